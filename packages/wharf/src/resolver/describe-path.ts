/**
 * "package `a v1.0.0`\n    ... which satisfies dependency `a = \"^1\"` of package `b v0.1.0`":
 * how cargo shows why a package is in the graph (errors.rs `describe_path`).
 */

import { formatRequirement } from "@wharf/protocol";
import type { ResolverContext } from "./resolver-context.js";
import {
  comparePackageIds,
  type DependencySpec,
  formatPackageId,
  type PackageId,
  packageIdKey,
} from "./summary.js";

export type PathStep = { readonly id: PackageId; readonly dep: DependencySpec | undefined };

/** cargo's `path_to_bottom`: follow the smallest parent not yet on the path, up to a root. */
export function pathToRoot(ctx: ResolverContext, id: PackageId): PathStep[] {
  const steps: PathStep[] = [{ id, dep: undefined }];
  const seen = new Set([packageIdKey(id)]);
  let current = id;
  for (;;) {
    const parents = [...ctx.parentsOf(current).values()]
      .filter((edge) => !seen.has(packageIdKey(edge.id)))
      .sort((a, b) => comparePackageIds(a.id, b.id));
    const next = parents[0];
    if (next === undefined) return steps;
    seen.add(packageIdKey(next.id));
    steps.push({ id: next.id, dep: next.deps[0] });
    current = next.id;
  }
}

export function describePath(steps: readonly PathStep[]): string {
  const [first, ...rest] = steps;
  if (first === undefined) return "";
  let out = `package \`${formatPackageId(first.id)}\``;
  for (const step of rest) {
    const dep = step.dep;
    if (dep === undefined) continue;
    const kind = dep.source.kind === "path" ? "path " : dep.source.kind === "git" ? "git " : "";
    const requirement = kind === "" ? `${dep.nameInToml} = "${formatRequirement(dep.req)}"` : dep.nameInToml;
    out += `\n    ... which satisfies ${kind}dependency \`${requirement}\` of package \`${formatPackageId(step.id)}\``;
  }
  return out;
}

export function describePathInContext(ctx: ResolverContext, id: PackageId): string {
  return describePath(pathToRoot(ctx, id));
}
