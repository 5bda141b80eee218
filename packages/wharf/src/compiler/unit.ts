/**
 * The Unit (cargo's word): one rustc invocation or one build-script run: a package, one of
 * its targets, a mode, the features and profile it is built with, and whether it is built
 * for the host (build scripts, proc macros and their dependencies). Units form a DAG.
 */
import type { Package, Target } from "@wharf/protocol";
import type { PackageId } from "../resolver/index.js";
import type { Profile } from "./profiles.js";

/**
 * build: full artifacts; check: metadata only; run-custom-build: execute a build script;
 * test: a test harness (`rustc --test`, also benches); doctest: `rustdoc --test` of a lib,
 * run by the test runner after the build (never compiled by the builder itself)
 */
export type CompileMode = "build" | "check" | "run-custom-build" | "test" | "doctest";

export interface UnitDep {
  unit: Unit;
  /** the name the dependent uses (`--extern NAME=`), for lib dependencies */
  externName: string;
}

export interface Unit {
  /** unique within a graph; equal inputs give equal keys */
  readonly key: string;
  readonly pkg: Package;
  readonly pkgId: PackageId;
  readonly target: Target;
  readonly mode: CompileMode;
  readonly forHost: boolean;
  /** activated features, sorted */
  readonly features: readonly string[];
  readonly profile: Profile;
  /** a workspace member (warnings shown, incremental, no --cap-lints) */
  readonly isMember: boolean;
  /** requested on the command line (CARGO_PRIMARY_PACKAGE) */
  readonly isRoot: boolean;
  /** `-C metadata` / `-C extra-filename`: stable across runs, differs from cargo's */
  hash: string;
  readonly deps: UnitDep[];
}

/** `foo-bar` -> `foo_bar`: the crate name rustc sees */
export function crateNameOf(target: Target): string {
  return target.kind === "custom-build" ? "build_script_build" : target.name.replace(/-/g, "_");
}

export function isProcMacroUnit(unit: Unit): boolean {
  return unit.target.procMacro || unit.target.crateTypes.includes("proc-macro");
}

/** crate types rustc gets: a lib's declared types ("lib" stays "lib"), else "bin" */
export function crateTypesOf(target: Target): string[] {
  if (target.kind === "custom-build" || target.kind === "bin") return ["bin"];
  if (target.procMacro) return ["proc-macro"];
  return target.crateTypes.length === 0 ? ["lib"] : target.crateTypes;
}

/** whether the unit's output is linked (so its dependencies must be full rlibs) */
export function requiresUpstreamObjects(unit: Unit): boolean {
  if (unit.mode === "check") return false;
  if (unit.mode === "test") return true;
  return crateTypesOf(unit.target).some((t) => t !== "lib" && t !== "rlib");
}

/** a unit another unit can `--extern` */
export function isLinkableLib(unit: Unit): boolean {
  return unit.target.kind === "lib" && (unit.mode === "build" || unit.mode === "check");
}
