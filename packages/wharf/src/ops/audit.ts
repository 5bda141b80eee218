/**
 * `wharf audit`: the workspace's Cargo.lock against a local RustSec advisory database
 * (--db, else `[audit] advisory-db` from $WHARF_HOME/config.toml, else
 * $WHARF_HOME/advisory-db). Exit codes for CI, as cargo-audit: 0 clean, 1 a vulnerability
 * (or a warning kind named by --deny), 2 an error (no database, no lock file, a bad advisory).
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { matchAdvisories, WharfError } from "@wharf/protocol";
import type { CliContext } from "../cli/context.js";
import { wharfHome } from "../cli/homes.js";
import { loadWharfConfig } from "../config/index.js";
import { parseLockfile } from "../lockfile/index.js";
import { readAdvisoryDb } from "./audit-db.js";
import { type AuditSummary, auditJson, formatFindingText, isDenied } from "./audit-format.js";
import { loadConfigFor, loadWorkspaceFor } from "./load.js";

export const DENY_KINDS = ["warnings", "unmaintained", "unsound", "notice", "informational"] as const;

export interface AuditOptions {
  manifestPath?: string | undefined;
  /** a Cargo.lock to read instead of the workspace's */
  file?: string | undefined;
  db?: string | undefined;
  format: "text" | "json";
  deny: readonly string[];
  ignore: readonly string[];
  targetOs?: string | undefined;
  targetArch?: string | undefined;
}

/** Exit code 2 for every failure to audit, so CI can tell "vulnerable" from "broken". */
function asAuditError(error: unknown): never {
  if (error instanceof WharfError) {
    throw new WharfError({
      code: error.code,
      message: error.message,
      hint: error.hint,
      notes: error.notes,
      cause: error.cause,
      exitCode: 2,
    });
  }
  throw error;
}

export async function audit(ctx: CliContext, options: AuditOptions): Promise<void> {
  let summary: AuditSummary;
  try {
    summary = prepare(ctx, options);
  } catch (error) {
    asAuditError(error);
  }
  const { result } = summary;
  const deniedWarnings = result.warnings.filter((w) => isDenied(w, options.deny));
  if (options.format === "json") {
    ctx.shell.out(`${JSON.stringify(auditJson(summary), null, 2)}\n`);
  } else {
    ctx.shell.status(
      "Loaded",
      `${summary.database.advisoryCount} security advisories (from ${summary.database.path})`,
    );
    ctx.shell.status(
      "Scanning",
      `${summary.lockfile.path} for vulnerabilities (${summary.lockfile.dependencyCount} crate dependencies)`,
    );
    for (const f of [...result.vulnerabilities, ...result.warnings])
      ctx.shell.out(`${formatFindingText(f)}\n`);
  }
  const n = result.vulnerabilities.length;
  const malicious = result.vulnerabilities.filter((v) => v.kind === "malicious").length;
  if (n > 0 || deniedWarnings.length > 0) {
    const parts = [
      ...(malicious > 0 ? [`${malicious} malicious crate${malicious === 1 ? "" : "s"}`] : []),
      ...(n - malicious > 0 ? [`${n - malicious} vulnerabilit${n - malicious === 1 ? "y" : "ies"}`] : []),
      ...(deniedWarnings.length > 0
        ? [`${deniedWarnings.length} denied warning${deniedWarnings.length === 1 ? "" : "s"}`]
        : []),
    ];
    throw new WharfError({ code: "AUDIT_FINDINGS", message: `${parts.join(", ")} found`, exitCode: 1 });
  }
  if (result.warnings.length > 0 && options.format === "text") {
    ctx.shell.warn(
      `${result.warnings.length} allowed warning${result.warnings.length === 1 ? "" : "s"} found`,
    );
  }
}

function prepare(ctx: CliContext, options: AuditOptions): AuditSummary {
  for (const d of options.deny) {
    if (!(DENY_KINDS as readonly string[]).includes(d)) {
      throw new WharfError({
        code: "AUDIT_DENY_KIND",
        message: `invalid value \`${d}\` for --deny`,
        hint: `expected one of ${DENY_KINDS.join(", ")}`,
      });
    }
  }
  let lockPath: string;
  let root: string;
  if (options.file !== undefined) {
    lockPath = resolve(ctx.cwd, options.file);
    root = dirname(lockPath);
  } else {
    const ws = loadWorkspaceFor(ctx, loadConfigFor(ctx), options.manifestPath);
    root = ws.rootDir;
    lockPath = join(root, "Cargo.lock");
  }
  if (!existsSync(lockPath)) {
    throw new WharfError({
      code: "AUDIT_NO_LOCKFILE",
      message: `no Cargo.lock at ${lockPath}`,
      hint: "run `wharf generate-lockfile` first",
    });
  }
  const home = wharfHome(ctx.env, ctx.cwd);
  const policy = loadWharfConfig({ workspaceRoot: root, wharfHome: home });
  for (const w of policy.warnings) ctx.shell.warn(w);
  const dbPath =
    options.db !== undefined
      ? resolve(ctx.cwd, options.db)
      : (policy.policy.audit.advisoryDb.value ?? join(home, "advisory-db"));
  const advisories = readAdvisoryDb(dbPath);
  const lock = parseLockfile(readFileSync(lockPath, "utf8"), lockPath);
  const result = matchAdvisories(advisories, lock.packages, {
    ignore: options.ignore,
    targetOs: options.targetOs,
    targetArch: options.targetArch,
  });
  return {
    database: { path: dbPath, advisoryCount: advisories.length },
    lockfile: { path: lockPath, dependencyCount: lock.packages.length },
    result,
    denied: options.deny,
  };
}
