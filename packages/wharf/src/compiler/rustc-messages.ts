/**
 * rustc's `--error-format=json` stderr lines (pure): artifact notices (the .rmeta that lets
 * dependents start early), diagnostics (shown through their `rendered` text, as cargo shows
 * them, without rustc's own "N warnings emitted" / "aborting due to" summaries, which cargo
 * replaces with its per-unit summary), and plain text passed through.
 */
import type { Unit } from "./unit.js";

export type RustcLine =
  | { kind: "artifact"; path: string; emit: string }
  | {
      kind: "diagnostic";
      level: string;
      rendered: string | undefined;
      summary: boolean;
      /** carries a suggestion `cargo fix` would apply */
      fixable: boolean;
      json: unknown;
    }
  | { kind: "other-json" }
  | { kind: "text"; text: string };

interface RawSpan {
  suggestion_applicability?: string | null;
}

interface RawChild {
  spans?: RawSpan[];
  children?: RawChild[];
}

function machineApplicable(d: RawChild): boolean {
  if ((d.spans ?? []).some((s) => s.suggestion_applicability === "MachineApplicable")) return true;
  return (d.children ?? []).some(machineApplicable);
}

interface RawDiagnostic extends RawChild {
  $message_type?: string;
  artifact?: string;
  emit?: string;
  message?: string;
  level?: string;
  rendered?: string | null;
}

export function parseRustcLine(line: string): RustcLine {
  if (!line.startsWith("{")) return { kind: "text", text: line };
  let raw: RawDiagnostic;
  try {
    raw = JSON.parse(line) as RawDiagnostic;
  } catch {
    return { kind: "text", text: line };
  }
  if (raw.$message_type === "artifact" && typeof raw.artifact === "string")
    return { kind: "artifact", path: raw.artifact, emit: raw.emit ?? "" };
  if (raw.$message_type === "diagnostic" || (raw.$message_type === undefined && raw.level !== undefined)) {
    const message = raw.message ?? "";
    const summary =
      (raw.level === "error" && message.startsWith("aborting due to")) ||
      (raw.level === "warning" && /^\d+ warnings? emitted$/.test(message));
    return {
      kind: "diagnostic",
      level: raw.level ?? "",
      rendered: raw.rendered ?? undefined,
      summary,
      fixable: machineApplicable(raw),
      json: raw,
    };
  }
  return { kind: "other-json" };
}

/** `lib`, `bin "name"`, `build script`, `example "name"`: how cargo names a unit's target */
export function unitDescription(unit: Unit): string {
  // cargo names a lib's or bin's test harness `lib test` / `bin "x" test`
  const test = unit.mode === "test" ? " test" : "";
  switch (unit.target.kind) {
    case "lib":
      return `lib${test}`;
    case "bin":
      return `bin "${unit.target.name}"${test}`;
    case "custom-build":
      return "build script";
    default:
      return `${unit.target.kind} "${unit.target.name}"`;
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** `warning: `pkg` (lib) generated 2 warnings (run `cargo fix --lib -p pkg` to apply 1 suggestion)` */
export function warningSummary(unit: Unit, warnings: number, fixable = 0): string {
  let s = `\`${unit.pkg.name}\` (${unitDescription(unit)}) generated ${plural(warnings, "warning")}`;
  if (fixable > 0) {
    const which = unit.target.kind === "lib" ? "--lib" : `--${unit.target.kind} "${unit.target.name}"`;
    s += ` (run \`cargo fix ${which} -p ${unit.pkg.name}\` to apply ${plural(fixable, "suggestion")})`;
  }
  return s;
}

/** `could not compile `pkg` (lib) due to 1 previous error; 2 warnings emitted` */
export function failureSummary(unit: Unit, errors: number, warnings: number): string {
  let s = `could not compile \`${unit.pkg.name}\` (${unitDescription(unit)})`;
  if (errors > 0) s += ` due to ${errors === 1 ? "1 previous error" : `${errors} previous errors`}`;
  if (warnings > 0) s += `; ${plural(warnings, "warning")} emitted`;
  return s;
}
