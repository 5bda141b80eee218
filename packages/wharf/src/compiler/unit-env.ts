/**
 * The environment cargo gives rustc and build scripts (pure): CARGO_PKG_* and friends for
 * every compile, and for a build-script run TARGET, HOST, OPT_LEVEL, PROFILE, DEBUG,
 * NUM_JOBS, RUSTC, CARGO_CFG_*, CARGO_FEATURE_*, CARGO_ENCODED_RUSTFLAGS, DEP_<links>_<key>
 * and OUT_DIR. Nothing is inherited: the caller adds the few host variables it allows.
 */
import type { TargetCfg } from "../ops/metadata-platform.js";
import { crateNameOf, type Unit } from "./unit.js";

export type EnvMap = Record<string, string>;

function versionParts(v: string): { major: string; minor: string; patch: string; pre: string } {
  const m = /^(\d+)\.(\d+)\.(\d+)(?:-([^+]*))?/.exec(v);
  return { major: m?.[1] ?? "0", minor: m?.[2] ?? "0", patch: m?.[3] ?? "0", pre: m?.[4] ?? "" };
}

/** CARGO_PKG_* and CARGO_MANIFEST_* of a unit's package */
export function packageEnv(unit: Unit, cargoPath: string | undefined): EnvMap {
  const pkg = unit.pkg;
  const md = pkg.metadata;
  const v = versionParts(pkg.version);
  const env: EnvMap = {
    CARGO_MANIFEST_DIR: pkg.root,
    CARGO_MANIFEST_PATH: pkg.manifestPath,
    CARGO_PKG_VERSION: pkg.version,
    CARGO_PKG_VERSION_MAJOR: v.major,
    CARGO_PKG_VERSION_MINOR: v.minor,
    CARGO_PKG_VERSION_PATCH: v.patch,
    CARGO_PKG_VERSION_PRE: v.pre,
    CARGO_PKG_NAME: pkg.name,
    CARGO_PKG_AUTHORS: md.authors.join(":"),
    CARGO_PKG_DESCRIPTION: md.description ?? "",
    CARGO_PKG_HOMEPAGE: md.homepage ?? "",
    CARGO_PKG_REPOSITORY: md.repository ?? "",
    CARGO_PKG_LICENSE: md.license ?? "",
    CARGO_PKG_LICENSE_FILE: md.licenseFile ?? "",
    CARGO_PKG_RUST_VERSION: md.rustVersion ?? "",
    CARGO_PKG_README: md.readme ?? "",
  };
  if (cargoPath !== undefined) env.CARGO = cargoPath;
  return env;
}

export interface RustcEnvInput {
  unit: Unit;
  cargoPath?: string | undefined;
  /** OUT_DIR of the package's build script run, if it has one */
  outDir?: string | undefined;
  /** `cargo:rustc-env` pairs of the package's build script */
  scriptEnv: readonly [string, string][];
}

export function rustcEnv(input: RustcEnvInput): EnvMap {
  const { unit } = input;
  const env = packageEnv(unit, input.cargoPath);
  env.CARGO_CRATE_NAME = crateNameOf(unit.target);
  if (unit.isRoot) env.CARGO_PRIMARY_PACKAGE = "1";
  if (unit.target.kind === "bin") env.CARGO_BIN_NAME = unit.target.binName ?? unit.target.name;
  if (input.outDir !== undefined) env.OUT_DIR = input.outDir;
  for (const [k, val] of input.scriptEnv) env[k] = val;
  return env;
}

export interface BuildScriptEnvInput {
  /** the run-custom-build unit */
  unit: Unit;
  cargoPath?: string | undefined;
  outDir: string;
  host: string;
  target: string;
  targetCfg: TargetCfg;
  jobs: number;
  rustc: string;
  rustflags: readonly string[];
  /** `DEP_<LINKS>_<KEY>` pairs from dependencies with `links` */
  depMetadata: readonly { links: string; key: string; value: string }[];
  /** the profile the package's lib is built with (OPT_LEVEL, DEBUG, PROFILE) */
  profileRoot: "debug" | "release";
}

function envKey(s: string): string {
  return s.toUpperCase().replace(/-/g, "_");
}

export function buildScriptEnv(input: BuildScriptEnvInput): EnvMap {
  const { unit } = input;
  const env = packageEnv(unit, input.cargoPath);
  const p = unit.profile;
  env.OUT_DIR = input.outDir;
  env.TARGET = input.target;
  env.HOST = input.host;
  env.NUM_JOBS = String(input.jobs);
  env.OPT_LEVEL = p.optLevel;
  env.DEBUG = p.debuginfo !== "0" ? "true" : "false";
  env.PROFILE = input.profileRoot;
  env.RUSTC = input.rustc;
  env.RUSTDOC = input.rustc.replace(/rustc$/, "rustdoc");
  env.CARGO_ENCODED_RUSTFLAGS = input.rustflags.join("\x1f");
  if (unit.pkg.metadata.links !== undefined) env.CARGO_MANIFEST_LINKS = unit.pkg.metadata.links;
  for (const f of unit.features) env[`CARGO_FEATURE_${envKey(f)}`] = "1";
  const cfg = input.targetCfg;
  for (const name of cfg.names) {
    if (name === "debug_assertions") continue;
    env[`CARGO_CFG_${envKey(name)}`] = "";
  }
  for (const [key, values] of cfg.pairs) {
    if (key === "feature") continue;
    env[`CARGO_CFG_${envKey(key)}`] = [...values].join(",");
  }
  if (p.debugAssertions) env.CARGO_CFG_DEBUG_ASSERTIONS = "";
  for (const d of input.depMetadata) env[`DEP_${envKey(d.links)}_${envKey(d.key)}`] = d.value;
  return env;
}
