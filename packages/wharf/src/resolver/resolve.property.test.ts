/**
 * The resolver against a brute-force solver on small random registries (no features):
 * whenever a valid assignment exists the resolver finds one, everything it returns is
 * valid, and when none exists it fails with a RESOLVE_ error.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  compatibleRangeKey,
  isWharfError,
  matches,
  parseRequirement,
  parseVersion,
  type SourceId,
  type Version,
} from "@wharf/protocol";
import fc from "fast-check";
import { MemoryRegistry } from "./memory-registry.js";
import { resolve } from "./resolve.js";
import type { Resolve } from "./resolve-result.js";
import type { DependencySpec, Summary } from "./summary.js";

const RUNS = 3000;
const REG: SourceId = { kind: "registry", url: "https://example.com/index" };
const ROOT_SOURCE: SourceId = { kind: "path", path: "/w/root" };
const NAMES = ["a", "b", "c", "d", "e"];
const VERSIONS = ["0.1.0", "0.1.1", "0.2.0", "1.0.0", "1.1.0", "1.2.0", "2.0.0"];
const REQS = [
  "*",
  "^0.1",
  "=0.1.0",
  "^0.1.1",
  "^0.2",
  "^1",
  "^1.1",
  "=1.0.0",
  ">=1.0.0",
  "<1",
  "~1.2",
  "^2",
  "=2.0.0",
  ">=0.1.1, <1.1.0",
];

interface Edge {
  readonly to: number;
  readonly req: string;
}
interface Spec {
  /** per package: versions, each with edges to higher-numbered packages (a DAG by name) */
  readonly packages: { version: string; edges: Edge[] }[][];
  readonly rootEdges: Edge[];
}

function edgesTo(from: number, n: number): fc.Arbitrary<Edge[]> {
  const targets = [];
  for (let t = from + 1; t < n; t++) targets.push(t);
  if (targets.length === 0) return fc.constant([]);
  return fc.uniqueArray(fc.record({ to: fc.constantFrom(...targets), req: fc.constantFrom(...REQS) }), {
    maxLength: 3,
    selector: (e) => e.to,
  });
}

const specArb: fc.Arbitrary<Spec> = fc.integer({ min: 1, max: 5 }).chain((n) =>
  fc.record({
    packages: fc.tuple(
      ...Array.from({ length: n }, (_, i) =>
        fc
          .uniqueArray(fc.constantFrom(...VERSIONS), { minLength: 1, maxLength: 4 })
          .chain((versions) =>
            fc.tuple(...versions.map((version) => edgesTo(i, n).map((edges) => ({ version, edges })))),
          ),
      ),
    ),
    rootEdges: edgesTo(-1, n),
  }),
);

function dep(name: string, req: string): DependencySpec {
  return {
    name,
    nameInToml: name,
    req: parseRequirement(req),
    kind: "normal",
    optional: false,
    defaultFeatures: true,
    features: [],
    source: REG,
  };
}

function build(spec: Spec): { root: Summary; registry: MemoryRegistry } {
  const registry = new MemoryRegistry();
  spec.packages.forEach((versions, i) => {
    for (const v of versions) {
      registry.add({
        id: { name: NAMES[i]!, version: parseVersion(v.version), source: REG },
        dependencies: v.edges.map((e) => dep(NAMES[e.to]!, e.req)),
        features: new Map(),
        yanked: false,
      });
    }
  });
  const root: Summary = {
    id: { name: "root", version: parseVersion("0.1.0"), source: ROOT_SOURCE },
    dependencies: spec.rootEdges.map((e) => dep(NAMES[e.to]!, e.req)),
    features: new Map(),
    yanked: false,
  };
  return { root, registry };
}

/** Selections of one package's versions with at most one per compatible range. */
function selections(versions: readonly Version[]): Version[][] {
  let out: Version[][] = [[]];
  const bySlot = new Map<string, Version[]>();
  for (const v of versions) {
    const key = compatibleRangeKey(v);
    bySlot.set(key, [...(bySlot.get(key) ?? []), v]);
  }
  for (const slot of bySlot.values()) {
    const next: Version[][] = [];
    for (const partial of out) {
      next.push(partial);
      for (const v of slot) next.push([...partial, v]);
    }
    out = next;
  }
  return out;
}

/**
 * Exhaustive search. Edges only point to higher-numbered packages, so by the time package
 * i is chosen every requirement on it is known: try every selection that satisfies them.
 */
function bruteForce(spec: Spec): boolean {
  const n = spec.packages.length;
  const chosen: { version: string; edges: Edge[] }[][] = [];
  const search = (i: number): boolean => {
    if (i === n) return true;
    const reqs: string[] = spec.rootEdges.filter((e) => e.to === i).map((e) => e.req);
    for (const picked of chosen)
      for (const v of picked) for (const e of v.edges) if (e.to === i) reqs.push(e.req);
    const all = spec.packages[i]!;
    for (const selection of selections(all.map((v) => parseVersion(v.version)))) {
      const ok = reqs.every((r) => selection.some((v) => matches(parseRequirement(r), v)));
      if (!ok) continue;
      const keys = new Set(selection.map((v) => `${v.major}.${v.minor}.${v.patch}`));
      chosen.push(all.filter((v) => keys.has(v.version)));
      if (search(i + 1)) return true;
      chosen.pop();
    }
    return false;
  };
  return search(0);
}

/** Every dependency of every resolved package has an edge to a matching resolved package. */
function checkValid(spec: Spec, result: Resolve): void {
  const slots = new Set<string>();
  for (const p of result.packages) {
    const slot = `${p.id.name} ${compatibleRangeKey(p.id.version)}`;
    assert.ok(!slots.has(slot), `two versions in one compatible range: ${slot}`);
    slots.add(slot);
    for (const d of p.summary.dependencies) {
      const edge = p.dependencies.find((e) => e.deps.includes(d));
      assert.ok(edge !== undefined, `${p.id.name} has no edge for ${d.name}`);
      assert.equal(edge.id.name, d.name);
      assert.ok(matches(d.req, edge.id.version), `${d.name} edge does not match its requirement`);
      assert.ok(
        result.packages.some((q) => q.id.name === edge.id.name && q.id.version === edge.id.version),
        "edge to a package outside the resolve",
      );
    }
  }
  assert.ok(spec.rootEdges.length === 0 || result.packages.some((p) => p.id.name === "root"));
}

describe("resolver vs brute force", () => {
  it(`agrees on ${RUNS} random registries`, async () => {
    let solvable = 0;
    let unsolvable = 0;
    await fc.assert(
      fc.asyncProperty(specArb, async (spec) => {
        const { root, registry } = build(spec);
        const expected = bruteForce(spec);
        let result: Resolve | undefined;
        try {
          result = await resolve(registry, { roots: [{ summary: root }] });
        } catch (error) {
          assert.ok(isWharfError(error) && error.code.startsWith("RESOLVE_"), String(error));
          assert.equal(expected, false, `resolver failed but a solution exists: ${error.message}`);
          unsolvable++;
          return;
        }
        checkValid(spec, result);
        assert.equal(expected, true, "resolver returned a resolve the brute force says is impossible");
        solvable++;
      }),
      { numRuns: RUNS },
    );
    console.log(`resolver property: ${solvable} solvable, ${unsolvable} unsolvable`);
    assert.ok(solvable > 0 && unsolvable > 0);
  });
});
