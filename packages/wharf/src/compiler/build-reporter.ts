/**
 * What a build tells the user: cargo's status lines (`Compiling`, `Checking`, `Running`),
 * rendered diagnostics and per-unit warning summaries on stderr, or with
 * `--message-format json` cargo's JSON messages on stdout (compiler-artifact,
 * compiler-message, build-script-executed, build-finished) for IDE tooling.
 */
import { formatPackageIdSpec, formatVersion } from "@wharf/protocol";
import { serializeTarget } from "../ops/metadata.js";
import type { BuildOutput } from "./build-script-output.js";
import type { Unit } from "./unit.js";

export interface BuildSink {
  status(word: string, message: string): void;
  verbose(word: string, message: string): void;
  /** rendered diagnostics, exactly as rustc rendered them */
  stderr(text: string): void;
  warn(message: string): void;
  stdout(text: string): void;
}

export function packageIdSpecOf(unit: Unit): string {
  return formatPackageIdSpec(unit.pkg.name, formatVersion(unit.pkgId.version), unit.pkgId.source);
}

/** `name v1.2.3` plus ` (path)` for path packages, as cargo's "Compiling" line shows */
export function packageLabel(unit: Unit): string {
  const base = `${unit.pkg.name} v${unit.pkg.version}`;
  const s = unit.pkgId.source;
  if (s.kind === "path") return `${base} (${unit.pkg.root})`;
  if (s.kind === "git") return `${base} (${s.url}${s.precise ? `#${s.precise.slice(0, 8)}` : ""})`;
  return base;
}

export class BuildReporter {
  private readonly announced = new Set<string>();

  constructor(
    private readonly sink: BuildSink,
    readonly json: boolean,
  ) {}

  /** `Compiling x v1` once per package and word, when its first unit starts */
  starting(unit: Unit): void {
    if (unit.mode === "run-custom-build") return;
    const word = unit.mode === "check" ? "Checking" : "Compiling";
    const key = `${word}|${unit.key.split("|")[0]}`;
    if (this.announced.has(key)) return;
    this.announced.add(key);
    this.sink.status(word, packageLabel(unit));
  }

  running(command: string): void {
    this.sink.verbose("Running", `\`${command}\``);
  }

  fresh(unit: Unit): void {
    this.sink.verbose("Fresh", packageLabel(unit));
  }

  diagnostic(unit: Unit, json: unknown, rendered: string | undefined): void {
    if (this.json) {
      this.sink.stdout(
        `${JSON.stringify({
          reason: "compiler-message",
          package_id: packageIdSpecOf(unit),
          manifest_path: unit.pkg.manifestPath,
          target: serializeTarget(unit.target),
          message: json,
        })}\n`,
      );
    } else if (rendered !== undefined) this.sink.stderr(rendered);
  }

  text(line: string): void {
    this.sink.stderr(`${line}\n`);
  }

  warning(message: string): void {
    this.sink.warn(message);
  }

  artifact(unit: Unit, filenames: string[], executable: string | undefined, fresh: boolean): void {
    if (!this.json) return;
    const p = unit.profile;
    this.sink.stdout(
      `${JSON.stringify({
        reason: "compiler-artifact",
        package_id: packageIdSpecOf(unit),
        manifest_path: unit.pkg.manifestPath,
        target: serializeTarget(unit.target),
        profile: {
          opt_level: p.optLevel,
          debuginfo: /^\d+$/.test(p.debuginfo) ? Number(p.debuginfo) : p.debuginfo,
          debug_assertions: p.debugAssertions,
          overflow_checks: p.overflowChecks,
          test: unit.mode === "test",
        },
        features: unit.features,
        filenames,
        executable: executable ?? null,
        fresh,
      })}\n`,
    );
  }

  buildScriptExecuted(unit: Unit, output: BuildOutput, outDir: string): void {
    if (!this.json) return;
    this.sink.stdout(
      `${JSON.stringify({
        reason: "build-script-executed",
        package_id: packageIdSpecOf(unit),
        linked_libs: output.linkLibs,
        linked_paths: output.linkSearch,
        cfgs: output.cfgs,
        env: output.env,
        out_dir: outDir,
      })}\n`,
    );
  }

  finished(success: boolean): void {
    if (this.json) this.sink.stdout(`${JSON.stringify({ reason: "build-finished", success })}\n`);
  }
}
