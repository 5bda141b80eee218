/**
 * How `wharf audit` shows its result: cargo-audit's text layout (one block per finding,
 * malicious crates first, then a summary line) or a JSON document for CI.
 */
import type { AuditFinding, AuditResult } from "@wharf/protocol";

export interface AuditSummary {
  database: { path: string; advisoryCount: number };
  lockfile: { path: string; dependencyCount: number };
  result: AuditResult;
  /** warning kinds that count as failures (from --deny) */
  denied: readonly string[];
}

/** Whether a warning counts toward the exit code under --deny. */
export function isDenied(f: AuditFinding, denied: readonly string[]): boolean {
  return denied.includes("warnings") || denied.includes(f.kind);
}

function solution(f: AuditFinding): string {
  const p = f.advisory.patched;
  return p.length === 0 ? "No fixed upgrade is available!" : `Upgrade to ${p.join(" OR ")}`;
}

export function formatFindingText(f: AuditFinding): string {
  const a = f.advisory;
  const label = f.kind === "malicious" ? "MALICIOUS" : f.kind === "vulnerability" ? "" : f.kind;
  const lines = [
    ["Crate:", f.package.name],
    ["Version:", f.package.version],
    ...(label ? [["Warning:", label]] : []),
    ["Title:", a.title],
    ["Date:", a.date],
    ["ID:", a.id],
    ...(a.url ? [["URL:", a.url]] : []),
    ...(Object.keys(a.affected.functions).length > 0
      ? [["Functions:", Object.keys(a.affected.functions).join(", ")]]
      : []),
    ["Solution:", solution(f)],
  ];
  return `${lines.map(([k, v]) => `${(k ?? "").padEnd(10)} ${v}`).join("\n")}\n`;
}

export function auditJson(s: AuditSummary): unknown {
  const finding = (f: AuditFinding) => ({
    kind: f.kind,
    package: { name: f.package.name, version: f.package.version, source: f.package.source ?? null },
    advisory: {
      id: f.advisory.id,
      package: f.advisory.package,
      title: f.advisory.title,
      date: f.advisory.date,
      url: f.advisory.url ?? null,
      categories: f.advisory.categories,
      keywords: f.advisory.keywords,
      aliases: f.advisory.aliases,
      cvss: f.advisory.cvss ?? null,
      informational: f.advisory.informational ?? null,
    },
    versions: { patched: f.advisory.patched, unaffected: f.advisory.unaffected },
    affected: f.advisory.affected,
  });
  const warnings: Record<string, unknown[]> = {};
  for (const w of s.result.warnings) {
    const list = warnings[w.kind] ?? [];
    list.push({ ...finding(w), denied: isDenied(w, s.denied) });
    warnings[w.kind] = list;
  }
  return {
    database: { path: s.database.path, "advisory-count": s.database.advisoryCount },
    lockfile: { path: s.lockfile.path, "dependency-count": s.lockfile.dependencyCount },
    vulnerabilities: {
      found: s.result.vulnerabilities.length > 0,
      count: s.result.vulnerabilities.length,
      malicious: s.result.vulnerabilities.filter((v) => v.kind === "malicious").length,
      list: s.result.vulnerabilities.map(finding),
    },
    warnings,
  };
}
