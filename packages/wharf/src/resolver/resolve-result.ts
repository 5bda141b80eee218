/**
 * The Resolve value (cargo's `Resolve`): every activated package, its features and its
 * dependency edges, sorted so equal inputs give equal values (lockfile bytes depend on it).
 * Also cargo's `check_cycles`, which runs on the finished graph.
 */
import { WharfError } from "@wharf/protocol";
import { describePath, type PathStep } from "./describe-path.js";
import type { ResolverContext } from "./resolver-context.js";
import {
  comparePackageIds,
  type DependencySpec,
  formatPackageId,
  type PackageId,
  packageIdKey,
  type Summary,
} from "./summary.js";

export interface ResolvedDependency {
  readonly id: PackageId;
  /** the parent's dependencies this package satisfies (several: normal + build, renames) */
  readonly deps: readonly DependencySpec[];
}

export interface ResolvedPackage {
  readonly id: PackageId;
  readonly summary: Summary;
  /** features the resolver activated on this package, sorted */
  readonly features: readonly string[];
  /** sorted by package id */
  readonly dependencies: readonly ResolvedDependency[];
}

export interface Resolve {
  /** sorted by package id */
  readonly packages: readonly ResolvedPackage[];
}

const KIND_RANK = { normal: 0, build: 1, dev: 2 } as const;

export function buildResolve(ctx: ResolverContext): Resolve {
  const active = new Map(ctx.activeSummaries().map((s) => [packageIdKey(s.id), s.id]));
  const children = new Map<string, ResolvedDependency[]>();
  for (const [childKey, parents] of ctx.allParentEdges()) {
    const childId = active.get(childKey);
    if (childId === undefined) continue;
    for (const [parentKey, edge] of parents) {
      const deps = [...edge.deps].sort(
        (a, b) =>
          (a.nameInToml < b.nameInToml ? -1 : a.nameInToml > b.nameInToml ? 1 : 0) ||
          KIND_RANK[a.kind] - KIND_RANK[b.kind],
      );
      let list = children.get(parentKey);
      if (list === undefined) {
        list = [];
        children.set(parentKey, list);
      }
      list.push({ id: childId, deps });
    }
  }
  const packages = ctx
    .activeSummaries()
    .sort((a, b) => comparePackageIds(a.id, b.id))
    .map((summary): ResolvedPackage => {
      const key = packageIdKey(summary.id);
      const dependencies = (children.get(key) ?? []).sort((a, b) => comparePackageIds(a.id, b.id));
      return { id: summary.id, summary, features: [...ctx.featuresOf(summary.id)].sort(), dependencies };
    });
  return { packages };
}

/**
 * cargo's `check_cycles`: a package may not depend on itself through normal or build
 * dependencies (dev-dependency edges do not count). Iterative DFS; deep graphs are fine.
 */
export function checkCycles(resolve: Resolve): void {
  const byKey = new Map(resolve.packages.map((p) => [packageIdKey(p.id), p]));
  const transitive = (p: ResolvedPackage): ResolvedDependency[] =>
    p.dependencies.filter((d) => d.deps.some((dep) => dep.kind !== "dev"));
  const done = new Set<string>();
  for (const start of resolve.packages) {
    const startKey = packageIdKey(start.id);
    if (done.has(startKey)) continue;
    const onPath = new Set<string>([startKey]);
    const stack: { pkg: ResolvedPackage; edges: ResolvedDependency[]; next: number }[] = [
      { pkg: start, edges: transitive(start), next: 0 },
    ];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const edge = top.edges[top.next];
      if (edge === undefined) {
        const key = packageIdKey(top.pkg.id);
        done.add(key);
        onPath.delete(key);
        stack.pop();
        continue;
      }
      top.next += 1;
      const key = packageIdKey(edge.id);
      if (onPath.has(key)) throw cycleError(stack, edge);
      if (done.has(key)) continue;
      const child = byKey.get(key);
      if (child === undefined) continue;
      onPath.add(key);
      stack.push({ pkg: child, edges: transitive(child), next: 0 });
    }
  }
}

function cycleError(
  stack: readonly { pkg: ResolvedPackage; edges: ResolvedDependency[]; next: number }[],
  closing: ResolvedDependency,
): WharfError {
  const target = packageIdKey(closing.id);
  const start = stack.findIndex((f) => packageIdKey(f.pkg.id) === target);
  const frames = stack.slice(start);
  // cargo prints the repeated package, then walks back up the path to it.
  const steps: PathStep[] = [{ id: closing.id, dep: undefined }];
  for (let i = frames.length - 1; i >= 0; i--) {
    const frame = frames[i]!;
    const edge = frame.edges[frame.next - 1]!;
    steps.push({ id: frame.pkg.id, dep: edge.deps.find((d) => d.kind !== "dev") });
  }
  return new WharfError({
    code: "RESOLVE_CYCLE",
    message: `cyclic package dependency: package \`${formatPackageId(closing.id)}\` depends on itself. Cycle:\n${describePath(steps)}`,
  });
}
