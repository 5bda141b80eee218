/**
 * How cargo starts what it built (its `target_process` / `rustdoc_process`): the test
 * binary's environment (CARGO_PKG_*, CARGO_MANIFEST_DIR, OUT_DIR and `cargo:rustc-env`
 * of the package's build script, LD_LIBRARY_PATH with the target dir, native library dirs
 * and the sysroot), the `Running unittests src/lib.rs (target/debug/deps/x-hash)` label,
 * and the `rustdoc --test` command line for doc tests, in cargo 1.95's argument order.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import {
  type BuildOutput,
  externFile,
  isLinkableLib,
  type Layout,
  packageEnv,
  parseBuildOutput,
  type Unit,
  unitOutputs,
} from "../compiler/index.js";

/** the test executable of a `test` unit */
export function testExecutable(layout: Layout, unit: Unit): string {
  return join(layout.outDir(unit), unitOutputs(unit).exe!);
}

/** `unittests src/lib.rs (target/debug/deps/p-hash)` / `tests/it.rs (target/debug/deps/it-hash)` */
export function testLabel(unit: Unit, exe: string, cwd: string, execType: string): string {
  const src = relative(unit.pkg.root, unit.target.srcPath);
  const short = src.startsWith("..") ? unit.target.srcPath : src;
  const rel = relative(cwd, exe);
  const shown = rel.startsWith("..") ? exe : rel;
  if (unit.target.kind === "test" || unit.target.kind === "bench") return `${short} (${shown})`;
  return `${execType} ${short} (${shown})`;
}

/** the package's own build-script run among the unit's dependencies */
export function ownScriptRun(unit: Unit): Unit | undefined {
  return unit.deps.find((d) => d.unit.mode === "run-custom-build" && d.unit.pkg === unit.pkg)?.unit;
}

export function readScriptOutput(layout: Layout, run: Unit): BuildOutput | undefined {
  const file = join(layout.runDir(run), "output");
  if (!existsSync(file)) return undefined;
  return parseBuildOutput(readFileSync(file, "utf8"), run.pkg.name);
}

/** `cargo:rustc-link-search` dirs inside the target dir (cargo's native dirs for dylib lookup) */
export function nativeDirs(layout: Layout, units: readonly Unit[]): string[] {
  const out: string[] = [];
  for (const u of units) {
    if (u.mode !== "run-custom-build") continue;
    for (const p of readScriptOutput(layout, u)?.linkSearch ?? []) {
      const dir = p.includes("=") ? p.slice(p.indexOf("=") + 1) : p;
      if (dir.startsWith(layout.targetDir) && !out.includes(dir)) out.push(dir);
    }
  }
  return out;
}

export interface ProcessEnvInput {
  unit: Unit;
  layout: Layout;
  /** the environment the program starts from (the user's, or the sandbox's cleared one) */
  base: Readonly<Record<string, string>>;
  cargoPath?: string | undefined;
  sysrootLib: string;
  native: readonly string[];
}

export function testProcessEnv(input: ProcessEnvInput): Record<string, string> {
  const { unit, layout } = input;
  const env: Record<string, string> = { ...input.base, ...packageEnv(unit, input.cargoPath) };
  const run = ownScriptRun(unit);
  if (run !== undefined) {
    env.OUT_DIR = join(layout.runDir(run), "out");
    for (const [k, v] of readScriptOutput(layout, run)?.env ?? []) env[k] = v;
  }
  const search = [...input.native, layout.dest, layout.deps, input.sysrootLib];
  const existing = input.base.LD_LIBRARY_PATH;
  env.LD_LIBRARY_PATH = [...search, ...(existing ? existing.split(":") : [])].join(":");
  return env;
}

export interface DoctestArgsInput {
  unit: Unit;
  layout: Layout;
  wsRoot: string;
  color: "auto" | "always" | "never";
  testArgs: readonly string[];
  quiet: boolean;
  native: readonly string[];
  rustdocflags: readonly string[];
  messageFormat: "human" | "json" | "short";
}

/** `rustdoc --test` for one lib, as cargo 1.95 runs it (cwd: the workspace root for members) */
export function doctestArgs(input: DoctestArgsInput): string[] {
  const { unit, layout } = input;
  const target = unit.target;
  const types = target.procMacro
    ? ["proc-macro"]
    : target.crateTypes.length === 0
      ? ["lib"]
      : target.crateTypes;
  const args = [`--edition=${target.edition}`];
  for (const t of types) args.push("--crate-type", t);
  args.push("--color", input.color, "--crate-name", target.name.replace(/-/g, "_"), "--test");
  const rel = relative(input.wsRoot, target.srcPath);
  args.push(unit.isMember && !rel.startsWith("..") ? rel : target.srcPath);
  args.push("--test-run-directory", unit.pkg.root);
  if (unit.profile.panic !== "unwind") args.push("-C", `panic=${unit.profile.panic}`);
  for (const d of input.native) args.push("-L", d);
  for (const a of input.testArgs) args.push("--test-args", a);
  if (input.quiet) args.push("--test-args", "--quiet");
  for (const d of unit.deps) {
    if (!isLinkableLib(d.unit)) continue;
    const file = externFile(d.unit, true);
    if (file !== undefined) args.push("--extern", `${d.externName}=${join(layout.outDir(d.unit), file)}`);
  }
  args.push("-L", `dependency=${layout.deps}`);
  const p = unit.profile;
  if (p.lto === "off") args.push("-C", "lto=off", "-C", "embed-bitcode=no");
  else args.push("-C", "embed-bitcode=no");
  for (const f of unit.features) args.push("--cfg", `feature="${f}"`);
  args.push("--check-cfg", "cfg(docsrs,test)");
  const declared = [...unit.pkg.features.keys()].sort();
  args.push("--check-cfg", `cfg(feature, values(${declared.map((f) => `"${f}"`).join(", ")}))`);
  const run = ownScriptRun(unit);
  const own = run === undefined ? undefined : readScriptOutput(layout, run);
  for (const c of own?.cfgs ?? []) args.push("--cfg", c);
  for (const c of own?.checkCfgs ?? []) args.push("--check-cfg", c);
  args.push(...input.rustdocflags);
  args.push("--error-format", input.messageFormat);
  return args;
}
