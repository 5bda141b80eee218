/**
 * How `wharf audit --build-scripts` shows its result: a human listing (packages with the most
 * severe findings first, one finding per line as `severity rule file:line reason`) or JSON.
 * Pure: audit in, text out.
 */
import { type BuildFindingSeverity, highestSeverity, severityRank } from "@wharf/protocol";
import type { BuildScriptAudit, PackageBuildAudit } from "./audit-build-scripts.js";

export interface RenderBuildScriptAuditOptions {
  /** findings below this are counted but not listed; default "medium" */
  minSeverity?: BuildFindingSeverity | undefined;
}

function targetLabel(p: PackageBuildAudit): string {
  return p.analysis.target === "build-script" ? "build script" : "proc-macro";
}

export function renderBuildScriptAudit(
  audit: BuildScriptAudit,
  options: RenderBuildScriptAuditOptions = {},
): string {
  const min = severityRank(options.minSeverity ?? "medium");
  const lines: string[] = [];
  const shown = audit.packages
    .map((p) => ({ p, findings: p.analysis.findings.filter((f) => severityRank(f.severity) >= min) }))
    .filter((x) => x.findings.length > 0)
    .sort(
      (a, b) =>
        severityRank(highestSeverity(b.findings) ?? "info") -
          severityRank(highestSeverity(a.findings) ?? "info") ||
        (a.p.name < b.p.name ? -1 : a.p.name > b.p.name ? 1 : 0),
    );
  for (const { p, findings } of shown) {
    lines.push(`${p.name} v${p.version} (${targetLabel(p)})`);
    const where = findings.map((f) => `${f.file}:${f.line}`);
    const width = Math.max(...where.map((w) => w.length));
    findings.forEach((f, i) => {
      lines.push(
        `  ${f.severity.padEnd(6)} ${f.rule.padEnd(14)} ${(where[i] ?? "").padEnd(width)}  ${f.message}`,
      );
    });
  }
  const c = audit.counts;
  const hidden = audit.packages
    .flatMap((p) => p.analysis.findings)
    .filter((f) => severityRank(f.severity) < min).length;
  lines.push(
    `${audit.packages.length} target${audit.packages.length === 1 ? "" : "s"} analysed: ${c.high} high, ${c.medium} medium, ${c.info} info${
      hidden > 0 ? ` (${hidden} not listed; lower the threshold to see them)` : ""
    }`,
  );
  for (const s of audit.skipped) lines.push(`skipped ${s.name} v${s.version}: ${s.reason}`);
  return `${lines.join("\n")}\n`;
}

/** The JSON shape of `--format json`: stable keys, findings as the analysis reports them. */
export function buildScriptAuditJson(audit: BuildScriptAudit): string {
  return `${JSON.stringify(
    {
      packages: audit.packages.map((p) => ({
        name: p.name,
        version: p.version,
        source: p.source,
        member: p.member,
        target: p.analysis.target,
        files: p.analysis.files,
        findings: p.analysis.findings,
      })),
      skipped: audit.skipped,
      counts: audit.counts,
      highest: audit.highest ?? null,
    },
    null,
    2,
  )}\n`;
}
