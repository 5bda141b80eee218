/**
 * The `--build-scripts` part of `wharf audit` (registered by audit.ts): runs the analysis over
 * the resolved graph and prints it; `buildScriptFindingsAtOrAbove` gives the CI exit code
 * (1 when any finding reaches the threshold).
 */
import { type BuildFindingSeverity, severityRank } from "@wharf/protocol";
import type { CliContext } from "../context.js";

export interface RunAuditBuildScriptsOptions {
  manifestPath?: string | undefined;
  format?: "human" | "json" | undefined;
  /** findings below this are counted but not listed (human format); default "medium" */
  minSeverity?: BuildFindingSeverity | undefined;
}

/** Runs the analysis over the resolved graph and prints it; returns the audit for the exit code. */
export async function runAuditBuildScripts(ctx: CliContext, options: RunAuditBuildScriptsOptions) {
  // loaded on demand: the parser and resolver are only needed when this runs
  const { auditBuildScripts } = await import("../../ops/audit-build-scripts.js");
  const { buildScriptAuditJson, renderBuildScriptAudit } = await import(
    "../../ops/audit-build-scripts-render.js"
  );
  const audit = await auditBuildScripts(ctx, { manifestPath: options.manifestPath });
  ctx.shell.out(
    options.format === "json"
      ? buildScriptAuditJson(audit)
      : renderBuildScriptAudit(audit, { minSeverity: options.minSeverity }),
  );
  return audit;
}

/** How many findings reach `threshold` (the audit's `--deny`/severity level). */
export function buildScriptFindingsAtOrAbove(
  audit: { packages: { analysis: { findings: { severity: BuildFindingSeverity }[] } }[] },
  threshold: BuildFindingSeverity,
): number {
  return audit.packages
    .flatMap((p) => p.analysis.findings)
    .filter((f) => severityRank(f.severity) >= severityRank(threshold)).length;
}
