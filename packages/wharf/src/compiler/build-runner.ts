/**
 * Runs a unit graph: decides which units are fresh (fingerprints), then feeds the dirty ones
 * to the job queue. Every process goes through the Sandbox: rustc writes into the unit's own
 * work directory and Wharf moves the artifacts into target/ (the .rmeta as soon as rustc
 * reports it, so dependents can start); a build script writes only its build/<pkg>-<hash>
 * directory (OUT_DIR inside it) and its stdout becomes the `output` cargo keeps there.
 */
import { createHash } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import { WharfError } from "@wharf/protocol";
import type { Sandbox, SandboxGrants, SandboxJob, SandboxLimits, SandboxResult } from "../sandbox/index.js";
import type { BuildReporter } from "./build-reporter.js";
import { type BuildOutput, emptyBuildOutput, parseBuildOutput } from "./build-script-output.js";
import { parseDepInfo } from "./dep-info.js";
import { type FingerprintRecord, readFingerprint, staleReason, writeFingerprint } from "./fingerprint.js";
import { type NeedEvent, type QueueNode, runQueue } from "./job-queue.js";
import { externFile, type Layout, unitOutputs, upliftedNames } from "./layout.js";
import { rustcArgs } from "./rustc-args.js";
import { failureSummary, parseRustcLine, warningSummary } from "./rustc-messages.js";
import type { RustcInfo } from "./target-info.js";
import { crateNameOf, isLinkableLib, isProcMacroUnit, requiresUpstreamObjects, type Unit } from "./unit.js";
import { buildScriptEnv, type EnvMap, rustcEnv } from "./unit-env.js";
import type { UnitGraph } from "./unit-graph.js";

export interface BuildRunnerOptions {
  graph: UnitGraph;
  layout: Layout;
  wsRoot: string;
  rustc: RustcInfo;
  sandbox: Sandbox;
  jobs: number;
  keepGoing: boolean;
  rustflags: readonly string[];
  color: boolean;
  /** host variables allowed into every job (PATH, CC, ...) */
  passEnv: EnvMap;
  cargoPath?: string | undefined;
  reporter: BuildReporter;
  now: () => number;
  signal?: AbortSignal | undefined;
  /** per-job wall-clock limit */
  timeoutMs: number;
  /** the sandbox's other per-job limits (memory, processes, CPU, disk) */
  limits?: SandboxLimits | undefined;
  /** a crate's policy exceptions: extra reads, network, host variables */
  grantsFor?:
    | ((crate: string) => { grants: SandboxGrants; env: Record<string, string> } | undefined)
    | undefined;
}

export interface BuildRunResult {
  /** units that ran a process */
  ran: number;
  fresh: number;
  /** executables of the requested bins: target name -> path */
  executables: Map<string, string>;
  exampleExecutables: Map<string, string>;
}

function unitKeyHash(unit: Unit, opts: BuildRunnerOptions): string {
  return createHash("sha256")
    .update(
      JSON.stringify({
        hash: unit.hash,
        rustflags: unit.mode === "run-custom-build" ? [] : opts.rustflags,
        src: unit.target.srcPath,
        member: unit.isMember,
        root: unit.isRoot,
      }),
    )
    .digest("hex")
    .slice(0, 16);
}

/** every lib unit reachable through lib dependencies (what a link step reads) */
function transitiveLibs(unit: Unit): string[] {
  const out = new Set<string>();
  const stack = [unit];
  while (stack.length > 0) {
    const u = stack.pop()!;
    for (const d of u.deps) {
      if (d.unit.mode === "run-custom-build" || !isLinkableLib(d.unit) || out.has(d.unit.key)) continue;
      out.add(d.unit.key);
      if (!isProcMacroUnit(d.unit)) stack.push(d.unit);
    }
  }
  return [...out];
}

function diagnosticsFile(fingerprint: string): string {
  return fingerprint.replace(/\.json$/, ".diagnostics");
}

function writeDiagnostics(fingerprint: string, lines: readonly string[]): void {
  mkdirSync(dirname(fingerprint), { recursive: true });
  writeFileSync(diagnosticsFile(fingerprint), lines.map((l) => `${l}\n`).join(""));
}

function readDiagnostics(fingerprint: string): string[] {
  try {
    return readFileSync(diagnosticsFile(fingerprint), "utf8")
      .split("\n")
      .filter((l) => l !== "");
  } catch {
    return [];
  }
}

function replaceFile(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch {
    copyFileSync(from, to);
    rmSync(from, { force: true });
  }
}

function hardLink(from: string, to: string): void {
  try {
    unlinkSync(to);
  } catch {
    // not there
  }
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}

export class BuildRunner {
  private readonly buildIds = new Map<string, string>();
  private readonly scriptOutputs = new Map<string, BuildOutput>();
  private readonly records = new Map<string, FingerprintRecord>();
  private counter = 0;
  private errors = 0;

  constructor(private readonly opts: BuildRunnerOptions) {}

  private newBuildId(): string {
    this.counter++;
    return `${this.opts.now().toString(36)}-${process.pid.toString(36)}-${this.counter}`;
  }

  private depBuildIds(unit: Unit): Record<string, string> {
    const out: Record<string, string> = {};
    for (const d of unit.deps) out[d.unit.key] = this.buildIds.get(d.unit.key) ?? "?";
    return out;
  }

  /** the run-custom-build unit of the unit's own package, among its dependencies */
  private ownScriptRun(unit: Unit): Unit | undefined {
    return unit.deps.find((d) => d.unit.mode === "run-custom-build" && d.unit.pkg === unit.pkg)?.unit;
  }

  /** `-L` paths of every build script the unit links with (cargo's `to_link`) */
  private linkSearch(unit: Unit): string[] {
    const out: string[] = [];
    const seen = new Set<string>();
    const visit = (u: Unit): void => {
      for (const d of u.deps) {
        if (seen.has(d.unit.key)) continue;
        seen.add(d.unit.key);
        if (d.unit.mode === "run-custom-build") {
          for (const p of this.scriptOutputs.get(d.unit.key)?.linkSearch ?? [])
            if (!out.includes(p)) out.push(p);
        } else if (isLinkableLib(d.unit) && !isProcMacroUnit(d.unit) && d.unit.forHost === unit.forHost)
          visit(d.unit);
      }
    };
    visit(unit);
    return out;
  }

  /** CARGO_BIN_EXE_<name> for integration tests and benches: the bins they depend on */
  private binExeEnv(unit: Unit): EnvMap {
    const env: EnvMap = {};
    if (unit.target.kind !== "test" && unit.target.kind !== "bench") return env;
    env.CARGO_TARGET_TMPDIR = join(this.opts.layout.targetDir, "tmp");
    for (const d of unit.deps) {
      if (d.unit.target.kind !== "bin" || d.unit.mode !== "build") continue;
      const name = d.unit.target.binName ?? d.unit.target.name;
      env[`CARGO_BIN_EXE_${d.unit.target.name}`] = join(this.opts.layout.dest, name);
    }
    return env;
  }

  async run(): Promise<BuildRunResult> {
    const { graph, layout, reporter } = this.opts;
    const result: BuildRunResult = {
      ran: 0,
      fresh: 0,
      executables: new Map(),
      exampleExecutables: new Map(),
    };
    const nodes: QueueNode[] = [];
    const dirty = new Set<string>();
    for (const unit of graph.units) {
      const key = unitKeyHash(unit, this.opts);
      const record = readFingerprint(layout.fingerprintFile(unit));
      const depsDirty = unit.deps.some((d) => dirty.has(d.unit.key));
      const reason = depsDirty
        ? "a dependency is rebuilt"
        : staleReason(record, { key, deps: this.depBuildIds(unit), env: this.envFor(record) });
      const fresh = reason === undefined && record !== undefined;
      if (fresh) {
        this.buildIds.set(unit.key, record.buildId);
        this.records.set(unit.key, record);
        if (unit.mode === "run-custom-build") {
          const text = readFileSync(join(layout.runDir(unit), "output"), "utf8");
          this.scriptOutputs.set(unit.key, parseBuildOutput(text, unit.pkg.name));
        }
      } else dirty.add(unit.key);
      const needs = unit.deps.map((d) => ({ key: d.unit.key, event: this.needEvent(unit, d.unit) }));
      // linking needs every upstream rlib finished, not just the direct dependencies'
      if (
        unit.mode !== "check" &&
        unit.mode !== "run-custom-build" &&
        (requiresUpstreamObjects(unit) || unit.target.kind !== "lib")
      ) {
        const direct = new Set(needs.map((n) => n.key));
        for (const key of transitiveLibs(unit)) if (!direct.has(key)) needs.push({ key, event: "done" });
      }
      nodes.push({
        key: unit.key,
        needs,
        fresh,
        run: fresh
          ? async () => {
              result.fresh++;
              reporter.fresh(unit);
              this.replayDiagnostics(unit);
              this.reportArtifact(unit, true, result);
            }
          : async (signalRmeta) => {
              result.ran++;
              if (unit.mode === "run-custom-build") await this.runBuildScript(unit, key);
              else await this.compile(unit, key, signalRmeta);
              this.reportArtifact(unit, false, result);
            },
      });
    }
    const outcome = await runQueue(nodes, {
      jobs: this.opts.jobs,
      keepGoing: this.opts.keepGoing,
      signal: this.opts.signal,
    });
    if (outcome.failures.length > 0) {
      const first = outcome.failures[0]!.error;
      if (outcome.failures.length === 1) throw first;
      throw new WharfError({
        code: "BUILD_FAILED",
        message: `build failed: ${outcome.failures.length} units did not compile`,
        cause: first,
      });
    }
    if (this.opts.signal?.aborted)
      throw new WharfError({ code: "BUILD_INTERRUPTED", message: "build interrupted" });
    return result;
  }

  /** what jobs see of the host environment: the values fingerprints compare */
  private envFor(record: FingerprintRecord | undefined): Readonly<Record<string, string | undefined>> {
    if (record === undefined) return {};
    return this.opts.passEnv;
  }

  private replayDiagnostics(unit: Unit): void {
    if (unit.mode === "run-custom-build") return;
    let warnings = 0;
    let fixable = 0;
    for (const line of readDiagnostics(this.opts.layout.fingerprintFile(unit))) {
      const m = parseRustcLine(line);
      if (m.kind !== "diagnostic") continue;
      if (m.level === "warning") warnings++;
      if (m.level === "warning" && m.fixable) fixable++;
      this.opts.reporter.diagnostic(unit, m.json, m.rendered);
    }
    if (warnings > 0 && unit.isMember && !this.opts.reporter.json)
      this.opts.reporter.warning(warningSummary(unit, warnings, fixable));
  }

  private needEvent(unit: Unit, dep: Unit): NeedEvent {
    if (dep.mode === "run-custom-build" || !isLinkableLib(dep) || isProcMacroUnit(dep)) return "done";
    if (unit.mode === "run-custom-build") return "done";
    const links = requiresUpstreamObjects(unit) || unit.target.kind !== "lib";
    if (unit.mode === "check" && dep.mode === "check") return "done";
    return links || dep.mode === "check" ? "done" : "rmeta";
  }

  private reportArtifact(unit: Unit, fresh: boolean, result: BuildRunResult): void {
    const { layout, reporter } = this.opts;
    if (unit.mode === "run-custom-build") {
      const out = this.scriptOutputs.get(unit.key) ?? emptyBuildOutput();
      reporter.buildScriptExecuted(unit, out, join(layout.runDir(unit), "out"));
      return;
    }
    const o = unitOutputs(unit);
    const outDir = layout.outDir(unit);
    const uplifted = upliftedNames(unit).map((u) =>
      join(layout.dest, unit.target.kind === "example" ? "examples" : "", u.to),
    );
    let exe: string | undefined;
    if (unit.target.kind === "custom-build") exe = layout.buildScriptExe(unit);
    else if (o.exe !== undefined) exe = uplifted[0] ?? join(outDir, o.exe);
    if (exe !== undefined && unit.isRoot && unit.mode === "build" && unit.target.kind === "bin")
      result.executables.set(unit.target.name, exe);
    if (exe !== undefined && unit.isRoot && unit.mode === "build" && unit.target.kind === "example")
      result.exampleExecutables.set(unit.target.name, exe);
    const filenames =
      unit.target.kind === "custom-build"
        ? [exe!]
        : uplifted.length > 0 && unit.target.kind !== "lib"
          ? uplifted
          : o.files.filter((f) => unit.mode === "check" || !f.endsWith(".rmeta")).map((f) => join(outDir, f));
    if (unit.target.kind !== "custom-build")
      reporter.artifact(
        unit,
        filenames,
        unit.target.kind === "lib" && unit.mode !== "test" ? undefined : exe,
        fresh,
      );
    else reporter.artifact(unit, filenames, exe, fresh);
  }

  private baseEnv(workTmp: string, unit: Unit): EnvMap {
    return { ...this.opts.passEnv, ...this.opts.grantsFor?.(unit.pkg.name)?.env, TMPDIR: workTmp };
  }

  /** what every job of a unit shares: policy grants, limits, and what a member may read */
  private jobPolicy(unit: Unit, step: string): Pick<SandboxJob, "grants" | "label" | "limits"> {
    return {
      grants: this.opts.grantsFor?.(unit.pkg.name)?.grants,
      label: { crate: unit.pkg.name, step },
      limits: { ...this.opts.limits, timeoutMs: this.opts.timeoutMs },
    };
  }

  /** a member's sources may reach into the workspace (include_str!("../README.md")) */
  private sourceReads(unit: Unit): string[] {
    return unit.isMember ? [unit.pkg.root, this.opts.wsRoot] : [unit.pkg.root];
  }

  private sandboxNotes(job: SandboxJob, r: SandboxResult): string[] {
    return this.opts.sandbox.explainFailure?.(job, r) ?? [];
  }

  private async compile(unit: Unit, key: string, signalRmeta: () => void): Promise<void> {
    const { layout, reporter, wsRoot, rustc } = this.opts;
    reporter.starting(unit);
    // known before rustc starts: a dependent pipelined on our .rmeta may finish (and record
    // our id in its fingerprint) before our rlib is done
    const buildId = this.newBuildId();
    this.buildIds.set(unit.key, buildId);
    const work = layout.workDir(unit);
    const stage = join(work, "out");
    const tmp = join(work, "tmp");
    rmSync(stage, { recursive: true, force: true });
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(stage, { recursive: true });
    mkdirSync(tmp, { recursive: true });
    const outDir = layout.outDir(unit);
    mkdirSync(outDir, { recursive: true });
    mkdirSync(layout.deps, { recursive: true });
    const outputs = unitOutputs(unit);
    // a stale rlib next to a fresh rmeta would be preferred by rustc: remove old outputs first
    for (const f of outputs.files) rmSync(join(outDir, f), { force: true });

    const member = unit.isMember;
    const cwd = member ? wsRoot : unit.pkg.root;
    const srcArg = member
      ? relative(wsRoot, unit.target.srcPath) || unit.target.srcPath
      : unit.target.srcPath;
    const links = requiresUpstreamObjects(unit) || unit.target.kind !== "lib";
    const externs: { name: string; path: string }[] = [];
    for (const d of unit.deps) {
      if (d.unit.mode === "run-custom-build" || !isLinkableLib(d.unit)) continue;
      const file = externFile(d.unit, links || isProcMacroUnit(unit));
      if (file !== undefined) externs.push({ name: d.externName, path: join(layout.outDir(d.unit), file) });
    }
    const scriptRun = this.ownScriptRun(unit);
    const own = scriptRun ? this.scriptOutputs.get(scriptRun.key) : undefined;
    const incremental = member && unit.profile.incremental && unit.target.kind !== "custom-build";
    const args = rustcArgs({
      unit,
      srcArg,
      outDir: stage,
      depsDir: layout.deps,
      incrementalDir: incremental ? join(work, "incremental") : undefined,
      externs,
      rustflags:
        unit.forHost && unit.target.kind === "custom-build" ? this.opts.rustflags : this.opts.rustflags,
      color: this.opts.color,
      ownBuildOutput: unit.target.kind === "custom-build" ? undefined : own,
      linkSearch: unit.target.kind === "custom-build" ? [] : this.linkSearch(unit),
      declaredFeatures: [...unit.pkg.features.keys()].sort(),
    });
    const env = {
      ...this.baseEnv(tmp, unit),
      ...rustcEnv({
        unit,
        cargoPath: this.opts.cargoPath,
        outDir: scriptRun ? join(layout.runDir(scriptRun), "out") : undefined,
        scriptEnv: unit.target.kind === "custom-build" ? [] : (own?.env ?? []),
      }),
      ...this.binExeEnv(unit),
    };
    reporter.running(`${rustc.rustc} ${args.join(" ")}`);
    const startedAt = this.opts.now();
    let warnings = 0;
    let errors = 0;
    let fixable = 0;
    const diagnostics: string[] = [];
    const job: SandboxJob = {
      program: rustc.rustc,
      args,
      cwd,
      env,
      reads: [...this.sourceReads(unit), layout.dest, rustc.sysroot],
      writeDir: work,
      ...this.jobPolicy(
        unit,
        unit.target.kind === "custom-build" ? "build script compile (rustc)" : "compile (rustc, proc macros)",
      ),
      onStderrLine: (line) => {
        const m = parseRustcLine(line);
        if (m.kind === "artifact") {
          if (m.emit === "metadata" && outputs.rmeta !== undefined && unit.mode !== "check") {
            const from = isAbsolute(m.path) ? m.path : resolve(cwd, m.path);
            if (basename(from) === outputs.rmeta && existsSync(from)) {
              // rustc reads the .rmeta back to embed it in the rlib: link it, never move it
              hardLink(from, join(outDir, outputs.rmeta));
              signalRmeta();
            }
          }
        } else if (m.kind === "diagnostic") {
          if (m.summary) return;
          diagnostics.push(line);
          if (m.level === "warning") warnings++;
          if (m.level === "warning" && m.fixable) fixable++;
          if (m.level === "error") errors++;
          reporter.diagnostic(unit, m.json, m.rendered);
        } else if (m.kind === "text" && m.text.trim() !== "") reporter.text(m.text);
      },
    };
    const r = await this.opts.sandbox.run(job, this.opts.signal);
    if (r.code !== 0) {
      this.errors++;
      const notes = this.sandboxNotes(job, r);
      if (r.timedOut && notes.length === 0)
        notes.push(`rustc ran longer than ${this.opts.timeoutMs / 1000}s and was stopped`);
      throw new WharfError({
        code: "BUILD_COMPILE_FAILED",
        message: failureSummary(unit, errors, warnings),
        notes,
      });
    }
    if (warnings > 0 && unit.isMember && !reporter.json)
      reporter.warning(warningSummary(unit, warnings, fixable));
    // move artifacts into place
    for (const f of outputs.files) {
      const from = join(stage, f);
      if (existsSync(from)) replaceFile(from, join(outDir, f));
    }
    const crate = crateNameOf(unit.target);
    const depFile = join(stage, `${crate}-${unit.hash}.d`);
    let files: string[] = [];
    let envDeps: [string, string | null][] = [];
    if (existsSync(depFile)) {
      const text = readFileSync(depFile, "utf8");
      const info = parseDepInfo(text, (p) => (isAbsolute(p) ? p : resolve(cwd, p)));
      files = info.files.filter((f) => !f.startsWith(`${work}/`));
      envDeps = info.envDeps.filter(([name]) => !(name in env) || name in this.opts.passEnv);
      writeFileSync(join(outDir, `${crate}-${unit.hash}.d`), text.split(stage).join(outDir));
      rmSync(depFile, { force: true });
    }
    if (unit.target.kind === "custom-build")
      hardLink(join(outDir, outputs.exe!), layout.buildScriptExe(unit));
    for (const u of upliftedNames(unit)) {
      const dir = unit.target.kind === "example" ? layout.examples : layout.dest;
      hardLink(join(outDir, u.from), join(dir, u.to));
    }
    // kept so a fresh build shows the same warnings again, as cargo does
    writeDiagnostics(layout.fingerprintFile(unit), diagnostics);
    writeFingerprint(layout.fingerprintFile(unit), {
      version: 1,
      key,
      buildId,
      deps: this.depBuildIds(unit),
      startedAt,
      files,
      env: envDeps.map(([name]) => [name, this.opts.passEnv[name] ?? null]),
      outputs: outputs.files.map((f) => join(outDir, f)),
    });
  }

  private async runBuildScript(unit: Unit, key: string): Promise<void> {
    const { layout, reporter, rustc } = this.opts;
    const compileUnit = unit.deps.find(
      (d) => d.unit.target.kind === "custom-build" && d.unit.mode === "build",
    )!.unit;
    const dir = layout.runDir(unit);
    const outDir = join(dir, "out");
    const tmp = join(dir, "tmp");
    mkdirSync(outDir, { recursive: true });
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    const depMetadata: { links: string; key: string; value: string }[] = [];
    for (const d of unit.deps) {
      if (d.unit.mode !== "run-custom-build") continue;
      const links = d.unit.pkg.metadata.links;
      if (links === undefined) continue;
      for (const [k, v] of this.scriptOutputs.get(d.unit.key)?.metadata ?? [])
        depMetadata.push({ links, key: k, value: v });
    }
    const env = {
      ...this.baseEnv(tmp, unit),
      ...buildScriptEnv({
        unit,
        cargoPath: this.opts.cargoPath,
        outDir,
        host: rustc.host,
        target: rustc.host,
        targetCfg: rustc.hostCfg,
        jobs: this.opts.jobs,
        rustc: rustc.rustc,
        rustflags: this.opts.rustflags,
        depMetadata,
        profileRoot: unit.profile.name === "release" || unit.profile.optLevel !== "0" ? "release" : "debug",
      }),
    };
    const exe = layout.buildScriptExe(compileUnit);
    reporter.running(exe);
    const startedAt = this.opts.now();
    const job: SandboxJob = {
      program: exe,
      args: [],
      cwd: unit.pkg.root,
      env,
      reads: [...this.sourceReads(unit), exe, rustc.sysroot, ...unit.deps.map((d) => layout.runDir(d.unit))],
      writeDir: dir,
      ...this.jobPolicy(unit, "build script run"),
    };
    const r = await this.opts.sandbox.run(job, this.opts.signal);
    writeFileSync(join(dir, "output"), r.stdout);
    writeFileSync(join(dir, "stderr"), r.stderr);
    writeFileSync(join(dir, "root-output"), outDir);
    const output = r.code === 0 ? parseBuildOutput(r.stdout, unit.pkg.name) : emptyBuildOutput();
    const label = `${unit.pkg.name}@${unit.pkg.version}`;
    const showWarnings = unit.isMember || unit.pkgId.source.kind === "path";
    if (showWarnings) for (const w of output.warnings) reporter.warning(`${label}: ${w}`);
    if (r.code !== 0 || output.errors.length > 0) {
      this.errors++;
      const notes = [
        `process didn't exit successfully: \`${exe}\` (${r.code === null ? `signal: ${r.signal}` : `exit status: ${r.code}`})`,
      ];
      if (r.stdout.trim() !== "") notes.push(`--- stdout\n${r.stdout.trimEnd()}`);
      if (r.stderr.trim() !== "") notes.push(`--- stderr\n${r.stderr.trimEnd()}`);
      for (const e of output.errors) notes.push(`error from build script: ${e}`);
      if (r.code !== 0) notes.push(...this.sandboxNotes(job, r));
      throw new WharfError({
        code: "BUILD_SCRIPT_FAILED",
        message: `failed to run custom build command for \`${label}\``,
        notes,
      });
    }
    this.scriptOutputs.set(unit.key, output);
    const buildId = this.newBuildId();
    this.buildIds.set(unit.key, buildId);
    const rerun = output.rerunIfChanged.map((p) => (isAbsolute(p) ? p : join(unit.pkg.root, p)));
    const scanWhole = rerun.length === 0 && unit.pkgId.source.kind !== "registry";
    writeFingerprint(layout.fingerprintFile(unit), {
      version: 1,
      key,
      buildId,
      deps: this.depBuildIds(unit),
      startedAt,
      files: rerun,
      env: output.rerunIfEnvChanged.map((name) => [name, this.opts.passEnv[name] ?? null]),
      scanRoot: scanWhole ? unit.pkg.root : undefined,
      scanSkip: scanWhole ? [layout.targetDir] : undefined,
      outputs: [join(dir, "output")],
    });
  }
}
