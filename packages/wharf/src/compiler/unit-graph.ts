/**
 * The unit graph (pure): from the resolve, the loaded packages and the requested targets,
 * every unit to build and its dependencies, following cargo's rules: features per package
 * with resolver 2 host/target decoupling (ResolvedFeatures), dependencies for other
 * platforms dropped, optional dependencies only when activated, build scripts compiled as
 * host units and run before their package's other units, proc macros built for the host,
 * `links` packages' build-script runs ordered before dependents' runs (DEP_* metadata).
 * Equal units (same package, target, mode, features, profile) are shared.
 */
import { createHash } from "node:crypto";
import { compareStrings, formatSourceId, formatVersion, type Package, type Target } from "@wharf/protocol";
import { platformMatches, type TargetCfg } from "../ops/metadata-platform.js";
import { ResolvedFeatures } from "../ops/tree-features.js";
import {
  type DependencySpec,
  type PackageId,
  packageIdKey,
  type Resolve,
  type ResolvedPackage,
  summaryFromPackage,
} from "../resolver/index.js";
import type { ResolvedProfiles } from "./profiles.js";
import { type CompileMode, crateNameOf, type Unit, type UnitDep } from "./unit.js";

export interface RootRequest {
  pkg: Package;
  /** the targets to build, given the member's activated features */
  targets: (enabled: ReadonlySet<string>) => readonly Target[];
  /** instead of `targets`: each target with its own mode (test harnesses, doc tests) */
  units?: ((enabled: ReadonlySet<string>) => readonly RootUnit[]) | undefined;
}

/** one requested unit: `test` builds a harness, `doctest` asks for what `rustdoc --test` links */
export interface RootUnit {
  target: Target;
  mode: "build" | "check" | "test" | "doctest";
}

export interface UnitGraphInput {
  resolve: Resolve;
  /** every package the build may reach, by packageIdKey */
  packages: ReadonlyMap<string, Package>;
  memberKeys: ReadonlySet<string>;
  roots: readonly RootRequest[];
  /** features requested for each root member */
  memberFeatures: ReadonlyMap<
    string,
    { features: readonly string[]; allFeatures: boolean; defaultFeatures: boolean }
  >;
  /** "build" or "check" for the requested units */
  mode: "build" | "check";
  profiles: ResolvedProfiles;
  hostCfg: TargetCfg;
  /** resolver "2" or later */
  v2: boolean;
  /** `rustc -vV`, part of every hash */
  rustcVersion: string;
  /** dev-dependencies take part (examples) */
  hasDev: boolean;
}

export interface UnitGraph {
  /** every unit, dependencies before dependents */
  units: Unit[];
  roots: Unit[];
  /** doc-test units (not built: their dependencies are among `units`) */
  doctests: Unit[];
}

function isProcMacroPkg(pkg: Package | undefined): boolean {
  const lib = pkg?.targets.find((t) => t.kind === "lib");
  return lib !== undefined && (lib.procMacro || lib.crateTypes.includes("proc-macro"));
}

export function buildUnitGraph(input: UnitGraphInput): UnitGraph {
  const byKey = new Map(input.resolve.packages.map((p) => [packageIdKey(p.id), p]));
  const pkgOf = (id: PackageId) => input.packages.get(packageIdKey(id));
  const features = new ResolvedFeatures(input.resolve, {
    v2: input.v2,
    hasDev: input.hasDev,
    allTargets: false,
    isProcMacro: (id) => isProcMacroPkg(pkgOf(id)),
    platformActive: (platform) => platformMatches(platform, input.hostCfg),
  });
  const requests = input.roots.flatMap((r) => {
    const rp = byKey.get(packageIdKey(idOf(r.pkg)));
    const f = input.memberFeatures.get(r.pkg.manifestPath);
    if (rp === undefined) return [];
    return [
      {
        pkg: rp,
        features: f?.features ?? [],
        allFeatures: f?.allFeatures ?? false,
        defaultFeatures: f?.defaultFeatures ?? true,
      },
    ];
  });
  features.activateMembers(requests);

  const units = new Map<string, Unit>();
  const ordered: Unit[] = [];

  const activeDeps = (
    rp: ResolvedPackage,
    forHost: boolean,
    kinds: readonly string[],
  ): { child: ResolvedPackage; spec: DependencySpec }[] => {
    const out: { child: ResolvedPackage; spec: DependencySpec }[] = [];
    for (const d of rp.dependencies) {
      const child = byKey.get(packageIdKey(d.id));
      if (child === undefined) continue;
      const spec = d.deps.find(
        (s) =>
          kinds.includes(s.kind) &&
          platformMatches(s.platform, input.hostCfg) &&
          (!s.optional || features.isDepActivated(rp, forHost, s.nameInToml)),
      );
      if (spec !== undefined) out.push({ child, spec });
    }
    return out;
  };

  const makeUnit = (
    rp: ResolvedPackage,
    target: Target,
    mode: CompileMode,
    forHost: boolean,
    isRoot: boolean,
    deps: UnitDep[],
    /**
     * which feature set the unit gets: a build script is compiled for the host but with the
     * features of the package it builds for (cargo's UnitFor::for_custom_build keeps the
     * parent's host_features), so `cfg!(feature = "...")` in build.rs sees them
     */
    featuresForHost: boolean = forHost,
  ): Unit => {
    const pkg = pkgOf(rp.id)!;
    const key = packageIdKey(rp.id);
    const isMember = input.memberKeys.has(key);
    const unitFeatures = features.activatedFeatures(rp, featuresForHost);
    const profile = input.profiles.profileFor({ packageName: pkg.name, isMember, forHost });
    const hash = unitHash({
      id: rp.id,
      target,
      mode,
      features: unitFeatures,
      profile,
      rustc: input.rustcVersion,
      deps: deps.map((d) => d.unit.hash),
    });
    const unitKey = `${key}|${target.kind}|${target.name}|${mode}|${hash}`;
    const existing = units.get(unitKey);
    if (existing !== undefined) return existing;
    const unit: Unit = {
      key: unitKey,
      pkg,
      pkgId: rp.id,
      target,
      mode,
      forHost,
      features: unitFeatures,
      profile,
      isMember,
      isRoot,
      hash,
      deps: deps.sort((a, b) => compareStrings(a.externName, b.externName)),
    };
    units.set(unitKey, unit);
    ordered.push(unit);
    return unit;
  };

  /** the run-custom-build unit of a package, if it has a build script */
  const buildScriptRun = (
    rp: ResolvedPackage,
    forHost: boolean,
    memo: Map<string, Unit | null>,
  ): Unit | undefined => {
    const memoKey = `${packageIdKey(rp.id)}|${forHost}`;
    const cached = memo.get(memoKey);
    if (cached !== undefined) return cached ?? undefined;
    const pkg = pkgOf(rp.id)!;
    const script = pkg.targets.find((t) => t.kind === "custom-build");
    if (script === undefined) {
      memo.set(memoKey, null);
      return undefined;
    }
    // build-dependencies are host units, built fully
    const buildDeps: UnitDep[] = [];
    for (const { child, spec } of activeDeps(rp, forHost, ["build"])) {
      const lib = libUnit(child, "build", true, memo);
      if (lib) buildDeps.push({ unit: lib, externName: externName(spec, lib.target) });
    }
    const compile = makeUnit(rp, script, "build", true, false, buildDeps, forHost);
    // DEP_<links>_* comes from dependencies with `links`, so their runs go first
    const runDeps: UnitDep[] = [{ unit: compile, externName: "" }];
    for (const { child } of activeDeps(rp, forHost, ["normal"])) {
      const childPkg = pkgOf(child.id);
      if (childPkg?.metadata.links === undefined) continue;
      const run = buildScriptRun(child, forHost || isProcMacroPkg(childPkg), memo);
      if (run) runDeps.push({ unit: run, externName: "" });
    }
    const run = makeUnit(rp, script, "run-custom-build", forHost, false, runDeps);
    memo.set(memoKey, run);
    return run;
  };

  const depUnits = (
    rp: ResolvedPackage,
    mode: "build" | "check",
    forHost: boolean,
    kinds: readonly string[],
    memo: Map<string, Unit | null>,
  ): UnitDep[] => {
    const deps: UnitDep[] = [];
    const run = buildScriptRun(rp, forHost, memo);
    if (run) deps.push({ unit: run, externName: "" });
    for (const { child, spec } of activeDeps(rp, forHost, kinds)) {
      const childPkg = pkgOf(child.id);
      const procMacro = isProcMacroPkg(childPkg);
      const host = forHost || procMacro;
      // proc macros are always built (they are loaded into rustc); check stops at metadata otherwise
      const lib = libUnit(child, procMacro || forHost ? "build" : mode, host, memo);
      if (lib) deps.push({ unit: lib, externName: externName(spec, lib.target) });
    }
    return deps;
  };

  const libMemo = new Map<string, Unit | null>();
  function libUnit(
    rp: ResolvedPackage,
    mode: "build" | "check",
    forHost: boolean,
    memo: Map<string, Unit | null>,
  ): Unit | undefined {
    const memoKey = `lib|${packageIdKey(rp.id)}|${mode}|${forHost}`;
    const cached = libMemo.get(memoKey);
    if (cached !== undefined) return cached ?? undefined;
    const pkg = pkgOf(rp.id)!;
    const lib = pkg.targets.find((t) => t.kind === "lib");
    if (lib === undefined) {
      libMemo.set(memoKey, null);
      return undefined;
    }
    const deps = depUnits(rp, mode, forHost, ["normal"], memo);
    const unit = makeUnit(rp, lib, mode, forHost, false, deps);
    libMemo.set(memoKey, unit);
    return unit;
  }

  /**
   * A test harness or doc test: normal and dev-dependencies, the package's own lib (a lib's
   * own harness is the lib itself), and for integration tests and benches the package's bins
   * (CARGO_BIN_EXE_<name>), as cargo's unit dependencies have them.
   */
  const testUnit = (
    rp: ResolvedPackage,
    pkg: Package,
    target: Target,
    mode: "test" | "doctest",
    enabled: ReadonlySet<string>,
  ): Unit => {
    const deps = depUnits(rp, "build", false, ["normal", "dev"], memo);
    const ownLib = pkg.targets.find((t) => t.kind === "lib");
    if (ownLib !== undefined && (target.kind !== "lib" || mode === "doctest")) {
      const lib = libUnit(rp, "build", false, memo);
      if (lib) deps.push({ unit: lib, externName: crateNameOf(ownLib) });
    }
    if (target.kind === "test" || target.kind === "bench") {
      for (const bin of pkg.targets) {
        if (bin.kind !== "bin") continue;
        if (!(bin.requiredFeatures ?? []).every((f) => enabled.has(f) || f.includes("/"))) continue;
        deps.push({ unit: binUnit(rp, pkg, bin, "build"), externName: "" });
      }
    }
    return makeUnit(rp, target, mode, false, true, deps);
  };

  const binUnit = (rp: ResolvedPackage, pkg: Package, target: Target, mode: "build" | "check"): Unit => {
    const kinds = target.kind === "example" ? ["normal", "dev"] : ["normal"];
    const deps = depUnits(rp, mode, false, kinds, memo);
    const ownLib = pkg.targets.find((t) => t.kind === "lib");
    if (ownLib !== undefined) {
      const lib = libUnit(rp, mode, false, memo);
      if (lib) deps.push({ unit: lib, externName: crateNameOf(ownLib) });
    }
    return makeUnit(rp, target, mode, false, true, deps);
  };

  const memo = new Map<string, Unit | null>();
  const roots: Unit[] = [];
  for (const r of input.roots) {
    const rp = byKey.get(packageIdKey(idOf(r.pkg)));
    if (rp === undefined) continue;
    const enabled = new Set(features.activatedFeatures(rp, false));
    const wanted: readonly RootUnit[] =
      r.units?.(enabled) ?? r.targets(enabled).map((target) => ({ target, mode: input.mode }));
    for (const { target, mode: requested } of wanted) {
      if (requested === "test" || requested === "doctest") {
        roots.push(testUnit(rp, r.pkg, target, requested, enabled));
        continue;
      }
      const procMacro = target.kind === "lib" && isProcMacroPkg(r.pkg);
      const mode = procMacro && requested === "check" ? "check" : requested;
      if (target.kind === "lib") {
        const deps = depUnits(rp, mode, procMacro, ["normal"], memo);
        roots.push(makeUnit(rp, target, mode, procMacro, true, deps));
        continue;
      }
      roots.push(binUnit(rp, r.pkg, target, mode));
    }
  }
  return {
    units: ordered.filter((u) => u.mode !== "doctest"),
    roots: roots.filter((u) => u.mode !== "doctest"),
    doctests: roots.filter((u) => u.mode === "doctest"),
  };
}

function idOf(pkg: Package): PackageId {
  return summaryFromPackage(pkg).id;
}

/** cargo's `extern_crate_name`: a rename wins, else the lib's crate name */
function externName(spec: DependencySpec, lib: Target): string {
  if (spec.nameInToml !== spec.name) return spec.nameInToml.replace(/-/g, "_");
  return crateNameOf(lib);
}

interface HashInput {
  id: PackageId;
  target: Target;
  mode: CompileMode;
  features: readonly string[];
  profile: unknown;
  rustc: string;
  deps: readonly string[];
}

/** 16 hex digits over everything that makes an artifact different (cargo's `Metadata`) */
export function unitHash(h: HashInput): string {
  const text = JSON.stringify({
    tool: "wharf",
    name: h.id.name,
    version: formatVersion(h.id.version),
    source: formatSourceId(h.id.source),
    target: [h.target.kind, h.target.name, h.target.srcPath, h.target.edition],
    mode: h.mode,
    features: h.features,
    profile: h.profile,
    rustc: h.rustc,
    deps: [...h.deps].sort(),
  });
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}
