/**
 * The rustc command line for one compile unit (pure), in cargo 1.95's order: crate name,
 * edition, source, JSON diagnostics, crate types, emit, codegen settings from the profile,
 * features and check-cfg, `-C metadata` / `-C extra-filename`, out dir, incremental,
 * `-L dependency`, `--extern`, `--cap-lints allow` for non-members, rustflags, then what the
 * build scripts said (`-L`, `-l`, link args, `--cfg`, `--check-cfg`).
 */
import type { BuildOutput } from "./build-script-output.js";
import { linkArgApplies } from "./build-script-output.js";
import { crateNameOf, crateTypesOf, isProcMacroUnit, requiresUpstreamObjects, type Unit } from "./unit.js";

export interface RustcArgsInput {
  unit: Unit;
  /** the crate root as passed (relative to the workspace root for members) */
  srcArg: string;
  /** where rustc writes (the unit's staging dir) */
  outDir: string;
  depsDir: string;
  incrementalDir?: string | undefined;
  externs: readonly { name: string; path: string }[];
  rustflags: readonly string[];
  /** rustc's ANSI-coloured `rendered` text */
  color: boolean;
  /** the unit's own package's build script output */
  ownBuildOutput?: BuildOutput | undefined;
  /** `-L` paths of every build script the unit links with (own and dependencies') */
  linkSearch: readonly string[];
  /** declared features of the package (check-cfg), in name order */
  declaredFeatures: readonly string[];
}

export function rustcArgs(input: RustcArgsInput): string[] {
  const { unit } = input;
  const p = unit.profile;
  const args: string[] = [
    "--crate-name",
    crateNameOf(unit.target),
    `--edition=${unit.target.edition}`,
    input.srcArg,
  ];
  args.push(
    "--error-format=json",
    `--json=${input.color ? "diagnostic-rendered-ansi," : ""}artifacts,future-incompat`,
  );
  const types = crateTypesOf(unit.target);
  // a test harness is an executable of its own: rustc picks the crate type
  if (unit.mode !== "test") for (const t of types) args.push("--crate-type", t);
  if (unit.mode === "check") args.push("--emit=dep-info,metadata");
  else if (unit.target.kind === "lib" && !requiresUpstreamObjects(unit))
    args.push("--emit=dep-info,metadata,link");
  else args.push("--emit=dep-info,link");
  if (isProcMacroUnit(unit) || (unit.mode !== "test" && types.includes("dylib")))
    args.push("-C", "prefer-dynamic");
  if (p.optLevel !== "0") args.push("-C", `opt-level=${p.optLevel}`);
  if (p.panic !== "unwind" && !isProcMacroUnit(unit) && unit.target.kind !== "custom-build")
    args.push("-C", `panic=${p.panic}`);
  const linksFinal =
    unit.target.kind === "bin" || unit.target.kind === "example" || requiresUpstreamObjects(unit);
  if (p.lto === "off") args.push("-C", "lto=off", "-C", "embed-bitcode=no");
  else if (p.lto === "false" || unit.forHost) args.push("-C", "embed-bitcode=no");
  else if (linksFinal) args.push("-C", p.lto === "true" || p.lto === "fat" ? "lto" : `lto=${p.lto}`);
  if (p.codegenUnits !== undefined) args.push("-C", `codegen-units=${p.codegenUnits}`);
  if (p.debuginfo !== "0") args.push("-C", `debuginfo=${p.debuginfo}`);
  args.push(...p.rustflags);
  if (p.optLevel !== "0") {
    if (p.debugAssertions) {
      args.push("-C", "debug-assertions=on");
      if (!p.overflowChecks) args.push("-C", "overflow-checks=off");
    } else if (p.overflowChecks) args.push("-C", "overflow-checks=on");
  } else if (!p.debugAssertions) {
    args.push("-C", "debug-assertions=off");
    if (p.overflowChecks) args.push("-C", "overflow-checks=on");
  } else if (!p.overflowChecks) args.push("-C", "overflow-checks=off");
  if (unit.mode === "test") {
    if (unit.target.harness) args.push("--test");
    else args.push("--cfg", "test");
  }
  for (const f of unit.features) args.push("--cfg", `feature="${f}"`);
  args.push("--check-cfg", "cfg(docsrs,test)");
  args.push("--check-cfg", `cfg(feature, values(${input.declaredFeatures.map((f) => `"${f}"`).join(", ")}))`);
  args.push("-C", `metadata=${unit.hash}`, "-C", `extra-filename=-${unit.hash}`);
  if (p.rpath) args.push("-C", "rpath");
  args.push("--out-dir", input.outDir);
  if (input.incrementalDir !== undefined) args.push("-C", `incremental=${input.incrementalDir}`);
  if (p.strip !== "none") args.push("-C", `strip=${p.strip}`);
  args.push("-L", `dependency=${input.depsDir}`);
  for (const e of input.externs) args.push("--extern", `${e.name}=${e.path}`);
  if (isProcMacroUnit(unit)) args.push("--extern", "proc_macro");
  if (!unit.isMember) args.push("--cap-lints", "allow");
  args.push(...input.rustflags);
  for (const s of input.linkSearch) args.push("-L", s);
  const own = input.ownBuildOutput;
  if (own !== undefined) {
    if (unit.target.kind !== "custom-build") for (const l of own.linkLibs) args.push("-l", l);
    for (const a of own.linkArgs) if (linkArgApplies(a, unit.target)) args.push("-C", `link-arg=${a.arg}`);
    for (const c of own.cfgs) args.push("--cfg", c);
    for (const c of own.checkCfgs) args.push("--check-cfg", c);
  }
  return args;
}
