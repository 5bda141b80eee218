/** Hand-written resolves, each expected result worked out by hand from cargo's rules. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatVersion, isWharfError, parseRequirement, parseVersion, type SourceId } from "@wharf/protocol";
import { buildFeatureMap } from "./feature-value.js";
import { MemoryRegistry } from "./memory-registry.js";
import { resolve } from "./resolve.js";
import type { ResolveOptions } from "./resolve-options.js";
import type { Resolve } from "./resolve-result.js";
import type { DependencySpec, PackageId, Summary } from "./summary.js";

const REG: SourceId = { kind: "registry", url: "https://example.com/index" };

type DepOpts = Partial<Omit<DependencySpec, "req" | "name">>;
function dep(name: string, req: string, opts: DepOpts = {}): DependencySpec {
  return {
    name,
    nameInToml: name,
    req: parseRequirement(req),
    kind: "normal",
    optional: false,
    defaultFeatures: true,
    features: [],
    source: REG,
    ...opts,
  };
}

interface PkgOpts {
  features?: Record<string, string[]>;
  links?: string;
  yanked?: boolean;
  source?: SourceId;
}
function pkg(name: string, version: string, deps: DependencySpec[] = [], opts: PkgOpts = {}): Summary {
  return {
    id: { name, version: parseVersion(version), source: opts.source ?? REG },
    dependencies: deps,
    features: buildFeatureMap(new Map(Object.entries(opts.features ?? {})), deps),
    links: opts.links,
    yanked: opts.yanked ?? false,
  };
}
function root(deps: DependencySpec[], opts: PkgOpts = {}): Summary {
  return pkg("root", "0.1.0", deps, { source: { kind: "path", path: "/w/root" }, ...opts });
}

function names(result: Resolve): string[] {
  return result.packages.map((p) => `${p.id.name} ${formatVersion(p.id.version)}`);
}
function run(
  registry: Summary[],
  options: Omit<ResolveOptions, "roots"> & { root: Summary },
): Promise<Resolve> {
  return resolve(new MemoryRegistry(registry), { ...options, roots: [{ summary: options.root }] });
}
async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isWharfError(error), String(error));
    return error;
  }
  assert.fail("expected the resolve to fail");
}

describe("resolve", () => {
  it("unifies semver-compatible requirements on the newest version all accept", async () => {
    const result = await run(
      [
        pkg("a", "1.0.0"),
        pkg("a", "1.1.0"),
        pkg("a", "1.2.0"),
        pkg("a", "2.0.0"),
        pkg("b", "1.0.0", [dep("a", "^1.1")]),
      ],
      { root: root([dep("a", "^1.0"), dep("b", "^1")]) },
    );
    assert.deepEqual(names(result), ["a 1.2.0", "b 1.0.0", "root 0.1.0"]);
    const rootPkg = result.packages.find((p) => p.id.name === "root")!;
    assert.deepEqual(
      rootPkg.dependencies.map((d) => [d.id.name, formatVersion(d.id.version), d.deps[0]!.nameInToml]),
      [
        ["a", "1.2.0", "a"],
        ["b", "1.0.0", "b"],
      ],
    );
  });

  it("lets two semver-incompatible versions coexist", async () => {
    const result = await run([pkg("a", "1.5.0"), pkg("a", "2.1.0"), pkg("b", "1.0.0", [dep("a", "^2")])], {
      root: root([dep("a", "^1"), dep("b", "^1")]),
    });
    assert.deepEqual(names(result), ["a 1.5.0", "a 2.1.0", "b 1.0.0", "root 0.1.0"]);
  });

  it("backtracks to an older version when the newest one conflicts", async () => {
    const result = await run(
      [
        pkg("a", "1.0.0", [dep("c", "=1.0.0")]),
        pkg("a", "2.0.0", [dep("c", "=1.1.0")]),
        pkg("c", "1.0.0"),
        pkg("c", "1.1.0"),
      ],
      { root: root([dep("a", "*"), dep("c", "=1.0.0")]) },
    );
    assert.deepEqual(names(result), ["a 1.0.0", "c 1.0.0", "root 0.1.0"]);
  });

  it("backtracks past a links conflict, and explains one that cannot be avoided", async () => {
    const avoided = await run(
      [pkg("a", "1.0.0", [], { links: "z" }), pkg("b", "1.0.0"), pkg("b", "1.1.0", [], { links: "z" })],
      { root: root([dep("a", "1"), dep("b", "1")]) },
    );
    assert.deepEqual(names(avoided), ["a 1.0.0", "b 1.0.0", "root 0.1.0"]);

    const err = await failure(
      run([pkg("a", "1.0.0", [], { links: "z" }), pkg("b", "1.0.0", [], { links: "z" })], {
        root: root([dep("a", "1"), dep("b", "1")]),
      }),
    );
    assert.equal(err.code, "RESOLVE_LINKS_CONFLICT");
    assert.match(err.message, /^failed to select a version for `b`\./);
    assert.match(
      err.message,
      /package `b` links to the native library `z`, but it conflicts with a previous package which links to `z` as well:\npackage `a v1\.0\.0 \(registry `https:\/\/example\.com\/index`\)`/,
    );
  });

  it("activates optional dependencies only through features", async () => {
    const a = pkg("a", "1.0.0", [dep("o", "1", { optional: true }), dep("p", "1", { optional: true })], {
      features: { x: ["dep:o", "o/fast"], default: [] },
    });
    const registry = [a, pkg("o", "1.0.0", [], { features: { fast: [] } }), pkg("p", "1.0.0")];
    const result = await run(registry, { root: root([dep("a", "1", { features: ["x"] })]) });
    assert.deepEqual(names(result), ["a 1.0.0", "o 1.0.0", "root 0.1.0"]);
    assert.deepEqual(result.packages.find((p) => p.id.name === "a")!.features, ["default", "x"]);
    assert.deepEqual(result.packages.find((p) => p.id.name === "o")!.features, ["fast"]);

    const plain = await run(registry, { root: root([dep("a", "1")]) });
    assert.deepEqual(names(plain), ["a 1.0.0", "root 0.1.0"]);

    const missing = await failure(run(registry, { root: root([dep("a", "1", { features: ["nope"] })]) }));
    assert.equal(missing.code, "RESOLVE_FEATURE_MISSING");
    assert.match(
      missing.message,
      /package `root` depends on `a` with feature `nope` but `a` does not have that feature\./,
    );
  });

  it("skips yanked versions unless the previous resolve locked them", async () => {
    const registry = [pkg("a", "1.0.0"), pkg("a", "1.1.0", [], { yanked: true })];
    const fresh = await run(registry, { root: root([dep("a", "^1")]) });
    assert.deepEqual(names(fresh), ["a 1.0.0", "root 0.1.0"]);
    const locked: PackageId = registry[1]!.id;
    const kept = await run(registry, { root: root([dep("a", "^1")]), locked: [locked] });
    assert.deepEqual(names(kept), ["a 1.1.0", "root 0.1.0"]);

    const err = await failure(run(registry, { root: root([dep("a", "=1.1.0")]) }));
    assert.equal(err.code, "RESOLVE_NO_MATCHING_VERSION");
    assert.equal(
      err.message,
      'failed to select a version for the requirement `a = "=1.1.0"`\n  version 1.1.0 is yanked\n' +
        "location searched: registry `https://example.com/index`\nrequired by package `root v0.1.0 (/w/root)`",
    );
  });

  it("prefers locked versions over newer ones", async () => {
    const registry = [pkg("a", "1.0.0"), pkg("a", "1.1.0")];
    const result = await run(registry, { root: root([dep("a", "^1")]), locked: [registry[0]!.id] });
    assert.deepEqual(names(result), ["a 1.0.0", "root 0.1.0"]);
  });

  it("takes dev-dependencies from roots only", async () => {
    const result = await run(
      [pkg("a", "1.0.0", [dep("e", "1", { kind: "dev" })]), pkg("d", "1.0.0"), pkg("e", "1.0.0")],
      {
        root: root([dep("a", "1"), dep("d", "1", { kind: "dev" })]),
      },
    );
    assert.deepEqual(names(result), ["a 1.0.0", "d 1.0.0", "root 0.1.0"]);
  });

  it("allows a cycle through an optional dependency that stays off, and rejects it when on", async () => {
    const registry = [
      pkg("a", "1.0.0", [dep("b", "1", { optional: true })]),
      pkg("b", "1.0.0", [dep("a", "1")]),
    ];
    const off = await run(registry, { root: root([dep("a", "1")]) });
    assert.deepEqual(names(off), ["a 1.0.0", "root 0.1.0"]);
    const err = await failure(run(registry, { root: root([dep("a", "1", { features: ["b"] })]) }));
    assert.equal(err.code, "RESOLVE_CYCLE");
    assert.match(
      err.message,
      /^cyclic package dependency: package `a v1\.0\.0 .*` depends on itself\. Cycle:/,
    );
  });

  it("explains a requirement no version matches, as cargo does", async () => {
    const err = await failure(
      run([pkg("foo", "1.0.0"), pkg("foo", "1.1.0"), pkg("bar", "0.1.0", [dep("foo", "^2")])], {
        root: root([dep("bar", "0.1")]),
      }),
    );
    assert.equal(err.code, "RESOLVE_NO_MATCHING_VERSION");
    assert.equal(
      err.message,
      'failed to select a version for the requirement `foo = "^2"`\n' +
        "candidate versions found which didn't match: 1.1.0, 1.0.0\n" +
        "location searched: registry `https://example.com/index`\n" +
        "required by package `bar v0.1.0 (registry `https://example.com/index`)`\n" +
        '    ... which satisfies dependency `bar = "^0.1"` of package `root v0.1.0 (/w/root)`',
    );
    const missing = await failure(run([], { root: root([dep("nope", "1")]) }));
    assert.equal(missing.code, "RESOLVE_PACKAGE_NOT_FOUND");
  });

  it("handles a chain 5000 packages deep without recursion", async () => {
    const registry: Summary[] = [];
    for (let i = 0; i < 5000; i++)
      registry.push(pkg(`p${i}`, "1.0.0", i < 4999 ? [dep(`p${i + 1}`, "1")] : []));
    const result = await run(registry, { root: root([dep("p0", "1")]) });
    assert.equal(result.packages.length, 5001);
  });

  it("is deterministic", async () => {
    const registry = [
      pkg("a", "1.0.0", [dep("b", "1")]),
      pkg("b", "1.0.0"),
      pkg("c", "0.1.0", [dep("b", "1")]),
    ];
    const options = { root: root([dep("c", "0.1"), dep("a", "1")]) };
    assert.deepEqual(await run(registry, options), await run(registry, options));
  });
});

describe("dependencies written without a version", () => {
  const P: SourceId = { kind: "path", path: "/w/p" };
  const dev = pkg("p", "0.2.0-dev.1", [], { source: P });

  it("match a pre-release, as cargo's OptVersionReq::Any does", async () => {
    const result = await run([dev], { root: root([dep("p", "*", { source: P, anyVersion: true })]) });
    assert.deepEqual(names(result), ["p 0.2.0-dev.1", "root 0.1.0"]);
  });

  it("while an explicit `*` still does not", async () => {
    const err = await failure(run([dev], { root: root([dep("p", "*", { source: P })]) }));
    assert.match(err.message, /failed to select a version/);
  });
});
