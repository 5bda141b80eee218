/**
 * Matching advisories against locked packages, as cargo-audit does: withdrawn advisories are
 * ignored; an advisory applies to packages of its name from its source (crates.io unless it
 * names another); a version is affected unless a patched or unaffected range holds it.
 * Informational advisories (unmaintained, unsound, notice) come out as warnings, the rest as
 * vulnerabilities, and the `malicious` category as its own kind so it can be shown first.
 * Pure: advisories and packages in, findings out.
 */
import { tryParseVersion } from "../semver/index.js";
import type { Advisory } from "./advisory.js";
import { isAffected } from "./advisory-range.js";

/** The lockfile sources that are crates.io (git index and sparse index). */
export const CRATES_IO_SOURCES: readonly string[] = [
  "registry+https://github.com/rust-lang/crates.io-index",
  "sparse+https://index.crates.io/",
];

export interface AuditPackage {
  name: string;
  version: string;
  /** the Cargo.lock `source`; undefined for path packages */
  source?: string | undefined;
}

export type AuditFindingKind =
  | "malicious"
  | "vulnerability"
  | "unmaintained"
  | "unsound"
  | "notice"
  | "informational";

export interface AuditFinding {
  kind: AuditFindingKind;
  advisory: Advisory;
  package: AuditPackage;
}

export interface AuditMatchOptions {
  /** only advisories whose [affected] os/arch lists include these (cargo-audit --target-os/--target-arch) */
  targetOs?: string | undefined;
  targetArch?: string | undefined;
  /** advisory ids to leave out (cargo-audit --ignore) */
  ignore?: readonly string[] | undefined;
}

export interface AuditResult {
  /** malicious first, then by package name, version and advisory id */
  vulnerabilities: AuditFinding[];
  warnings: AuditFinding[];
}

export function findingKind(a: Advisory): AuditFindingKind {
  if (a.categories.includes("malicious")) return "malicious";
  if (a.informational === undefined) return "vulnerability";
  if (a.informational === "unmaintained" || a.informational === "unsound" || a.informational === "notice")
    return a.informational;
  return "informational";
}

function appliesToSource(a: Advisory, source: string | undefined): boolean {
  if (source === undefined || source.startsWith("git+") || source.startsWith("path+")) return false;
  if (a.source === undefined) return CRATES_IO_SOURCES.includes(source);
  return a.source === source;
}

const order = (x: AuditFinding, y: AuditFinding) =>
  (x.kind === "malicious" ? 0 : 1) - (y.kind === "malicious" ? 0 : 1) ||
  (x.package.name < y.package.name ? -1 : x.package.name > y.package.name ? 1 : 0) ||
  (x.package.version < y.package.version ? -1 : x.package.version > y.package.version ? 1 : 0) ||
  (x.advisory.id < y.advisory.id ? -1 : x.advisory.id > y.advisory.id ? 1 : 0);

export function matchAdvisories(
  advisories: readonly Advisory[],
  packages: readonly AuditPackage[],
  options: AuditMatchOptions = {},
): AuditResult {
  const byName = new Map<string, Advisory[]>();
  for (const a of advisories) {
    if (a.withdrawn !== undefined || options.ignore?.includes(a.id)) continue;
    if (options.targetOs && a.affected.os.length > 0 && !a.affected.os.includes(options.targetOs)) continue;
    if (options.targetArch && a.affected.arch.length > 0 && !a.affected.arch.includes(options.targetArch))
      continue;
    const list = byName.get(a.package);
    if (list) list.push(a);
    else byName.set(a.package, [a]);
  }
  const vulnerabilities: AuditFinding[] = [];
  const warnings: AuditFinding[] = [];
  for (const p of packages) {
    const candidates = byName.get(p.name);
    if (!candidates) continue;
    const v = tryParseVersion(p.version);
    if (!v.ok) continue;
    for (const a of candidates) {
      if (!appliesToSource(a, p.source) || !isAffected(a.safeRanges, v.value)) continue;
      const kind = findingKind(a);
      const finding = { kind, advisory: a, package: { name: p.name, version: p.version, source: p.source } };
      if (kind === "malicious" || kind === "vulnerability") vulnerabilities.push(finding);
      else warnings.push(finding);
    }
  }
  return { vulnerabilities: vulnerabilities.sort(order), warnings: warnings.sort(order) };
}
