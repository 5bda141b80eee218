/**
 * Which targets `wharf test` / `wharf bench` build and run (pure), following cargo's unit
 * generator: without a filter, every target with `test = true` (lib, bins, integration
 * tests) as a harness, examples built to prove they compile, and the lib's doc tests;
 * `cargo bench` takes the `bench = true` targets (lib, bins, benches). With a filter
 * (`--lib --bins --bin --tests --test --examples --example --benches --bench
 * --all-targets --doc`) exactly the named kinds, examples then run as tests too.
 */
import { type Package, type Target, WharfError } from "@wharf/protocol";
import type { RootUnit } from "../compiler/index.js";

export interface TestSelection {
  lib: boolean;
  bins: readonly string[];
  allBins: boolean;
  tests: readonly string[];
  allTests: boolean;
  examples: readonly string[];
  allExamples: boolean;
  benches: readonly string[];
  allBenches: boolean;
  allTargets: boolean;
  /** `--doc`: only the lib's doc tests */
  doc: boolean;
}

export type TestIntent = "test" | "bench";

export function emptyTestSelection(): TestSelection {
  return {
    lib: false,
    bins: [],
    allBins: false,
    tests: [],
    allTests: false,
    examples: [],
    allExamples: false,
    benches: [],
    allBenches: false,
    allTargets: false,
    doc: false,
  };
}

export function isFiltered(sel: TestSelection): boolean {
  return (
    sel.lib ||
    sel.bins.length > 0 ||
    sel.allBins ||
    sel.tests.length > 0 ||
    sel.allTests ||
    sel.examples.length > 0 ||
    sel.allExamples ||
    sel.benches.length > 0 ||
    sel.allBenches ||
    sel.allTargets
  );
}

function featuresOn(t: Target, enabled: ReadonlySet<string>): boolean {
  return (t.requiredFeatures ?? []).every((f) => enabled.has(f) || f.includes("/"));
}

/** cargo's `doctestable`: a lib whose crate types include lib, rlib or proc-macro */
export function doctestable(t: Target): boolean {
  if (t.kind !== "lib") return false;
  if (t.procMacro) return true;
  const types = t.crateTypes.length === 0 ? ["lib"] : t.crateTypes;
  return types.some((c) => c === "lib" || c === "rlib" || c === "proc-macro");
}

/** The units one member contributes to a `wharf test` / `wharf bench` build. */
export function testUnitsFor(
  pkg: Package,
  sel: TestSelection,
  intent: TestIntent,
  enabled: ReadonlySet<string>,
): RootUnit[] {
  const out: RootUnit[] = [];
  const lib = pkg.targets.find((t) => t.kind === "lib");
  if (sel.doc) {
    if (lib?.doctest && doctestable(lib)) out.push({ target: lib, mode: "doctest" });
    return out;
  }
  if (!isFiltered(sel)) {
    for (const t of pkg.targets) {
      if (t.kind === "custom-build" || !featuresOn(t, enabled)) continue;
      const runs = intent === "bench" ? t.bench : t.test;
      if (runs) out.push({ target: t, mode: "test" });
      else if (intent === "test" && t.kind === "example") out.push({ target: t, mode: "build" });
    }
    if (intent === "test" && lib !== undefined && lib.doctest && doctestable(lib))
      out.push({ target: lib, mode: "doctest" });
    return out;
  }
  if (sel.lib || sel.allTargets) {
    if (lib !== undefined) out.push({ target: lib, mode: "test" });
    else if (sel.lib)
      throw new WharfError({
        code: "TEST_NO_LIB",
        message: `no library targets found in package \`${pkg.name}\``,
      });
  }
  const pick = (
    kind: Target["kind"],
    all: boolean,
    names: readonly string[],
    allFilter: (t: Target) => boolean,
  ): void => {
    for (const t of pkg.targets) {
      if (t.kind !== kind) continue;
      const wanted = all ? allFilter(t) && featuresOn(t, enabled) : names.includes(t.name);
      if (wanted && !out.some((u) => u.target === t)) out.push({ target: t, mode: "test" });
    }
    for (const n of names) {
      if (!pkg.targets.some((t) => t.kind === kind && t.name === n)) {
        const available = pkg.targets.filter((t) => t.kind === kind).map((t) => t.name);
        throw new WharfError({
          code: "TEST_NO_TARGET",
          message: `no ${kind} target named \`${n}\` in \`${pkg.name}\` package`,
          hint: available.length > 0 ? `available ${kind} targets: ${available.join(", ")}` : undefined,
        });
      }
    }
  };
  pick("bin", sel.allBins || sel.allTargets, sel.bins, () => true);
  pick("example", sel.allExamples || sel.allTargets, sel.examples, () => true);
  // `--tests` means every target `cargo test` would run; `--benches` every `cargo bench` one
  if (sel.allTests) {
    for (const t of pkg.targets)
      if (t.test && t.kind !== "custom-build" && featuresOn(t, enabled) && !out.some((u) => u.target === t))
        out.push({ target: t, mode: "test" });
  }
  pick("test", sel.allTargets, sel.tests, () => true);
  if (sel.allBenches) {
    for (const t of pkg.targets)
      if (t.bench && t.kind !== "custom-build" && featuresOn(t, enabled) && !out.some((u) => u.target === t))
        out.push({ target: t, mode: "test" });
  }
  pick("bench", sel.allTargets, sel.benches, () => true);
  return out;
}

const KIND_ORDER: Record<string, number> = { lib: 0, bin: 1, test: 2, bench: 3, example: 4 };

/** cargo runs test executables in unit order: package, then target kind, then name */
export function compareTestTargets(
  a: { pkgName: string; pkgVersion: string; target: Target },
  b: { pkgName: string; pkgVersion: string; target: Target },
): number {
  if (a.pkgName !== b.pkgName) return a.pkgName < b.pkgName ? -1 : 1;
  if (a.pkgVersion !== b.pkgVersion) return a.pkgVersion < b.pkgVersion ? -1 : 1;
  const k = (KIND_ORDER[a.target.kind] ?? 9) - (KIND_ORDER[b.target.kind] ?? 9);
  if (k !== 0) return k;
  return a.target.name < b.target.name ? -1 : a.target.name > b.target.name ? 1 : 0;
}

/** the flags that select one target again (`--lib`, `--bin x`, `--test x`, `--doc`) */
export function rerunArgs(target: Target, doctest: boolean): string {
  if (doctest) return "--doc";
  if (target.kind === "lib") return "--lib";
  return `--${target.kind} ${target.name}`;
}
