/**
 * What the build-script and proc-macro analysis reports: one finding per suspicious construct,
 * with the file and line, a severity and a one-line reason. Pure data, safe to print or store.
 */

/**
 * "high": network use, credentials, HOME or secret-like variables, writes outside OUT_DIR,
 * running downloaded or embedded binaries, obfuscated payloads; "medium": other tools,
 * unsafe code and FFI, untraceable program names; "info": the usual build helpers and
 * things worth knowing that are not suspicious on their own.
 */
export type BuildFindingSeverity = "high" | "medium" | "info";

export const BUILD_FINDING_SEVERITIES: readonly BuildFindingSeverity[] = ["high", "medium", "info"];

/** Stable rule ids, also the keys of the corpus findings table. */
export const BuildScriptRule = {
  network: "network",
  process: "process",
  secretEnv: "secret-env",
  envDump: "env-dump",
  pathRead: "path-read",
  pathWrite: "path-write",
  credentialPath: "credential-path",
  includeBinary: "include-binary",
  encodedBlob: "encoded-blob",
  unsafeCode: "unsafe",
  ffi: "ffi",
  parseError: "parse-error",
} as const;
export type BuildScriptRuleId = (typeof BuildScriptRule)[keyof typeof BuildScriptRule];

export interface BuildScriptFinding {
  rule: BuildScriptRuleId;
  severity: BuildFindingSeverity;
  /** path relative to the package root, with `/` separators */
  file: string;
  /** 1-based */
  line: number;
  /** 1-based, in characters */
  column: number;
  /** one line saying what was found and why it matters */
  message: string;
}

/** What was analysed: the build script (with the modules it pulls in) or a proc-macro library. */
export type AnalysedTarget = "build-script" | "proc-macro";

export interface CrateAnalysis {
  target: AnalysedTarget;
  /** every file that was read, in the order it was analysed */
  files: string[];
  /** sorted by file, line, column, then rule */
  findings: BuildScriptFinding[];
}

export function severityRank(s: BuildFindingSeverity): number {
  return s === "high" ? 2 : s === "medium" ? 1 : 0;
}

/** The highest severity among findings, or undefined when there are none. */
export function highestSeverity(findings: readonly BuildScriptFinding[]): BuildFindingSeverity | undefined {
  let best: BuildFindingSeverity | undefined;
  for (const f of findings)
    if (best === undefined || severityRank(f.severity) > severityRank(best)) best = f.severity;
  return best;
}
