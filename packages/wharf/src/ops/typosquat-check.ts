/**
 * The client side of typosquat and dependency-confusion checks. After a resolve, every
 * package the previous Cargo.lock did not have by name is checked against the popular-crate
 * list (a look-alike is a warning; with `[typosquat] deny = true` in wharf.toml or
 * $WHARF_HOME/config.toml it is an error and the lock file is put back as it was), and every
 * locked name whose source changed is warned about. `wharf add` checks the crates it is
 * asked to add before touching the manifest.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { builtinTyposquatIndex, sourceChanges, type TyposquatFinding, WharfError } from "@wharf/protocol";
import type { CliContext } from "../cli/context.js";
import { wharfHome } from "../cli/homes.js";
import { loadWharfConfig, type WharfPolicy } from "../config/index.js";
import { parseLockfile } from "../lockfile/index.js";
import type { ResolvedWorkspace } from "./resolve-workspace.js";

interface Suspect {
  name: string;
  version?: string | undefined;
  finding: TyposquatFinding;
}

function policyFor(ctx: CliContext, root: string): WharfPolicy {
  return loadWharfConfig({ workspaceRoot: root, wharfHome: wharfHome(ctx.env, ctx.cwd) }).policy;
}

function suspects(policy: WharfPolicy, crates: readonly { name: string; version?: string }[]): Suspect[] {
  if (!policy.typosquat.enabled.value) return [];
  const allowed = new Set(policy.typosquat.exceptions.map((e) => e.crate));
  const index = builtinTyposquatIndex();
  const out: Suspect[] = [];
  for (const c of crates) {
    if (allowed.has(c.name)) continue;
    const finding = index.check(c.name, { threshold: policy.typosquat.threshold.value });
    if (finding) out.push({ ...c, finding });
  }
  return out;
}

function describe(s: Suspect): string {
  const m = s.finding.matches[0];
  const id = s.version === undefined ? `\`${s.name}\`` : `\`${s.name} v${s.version}\``;
  return `${id} looks like a typosquat of \`${m?.popular}\`: it ${m?.reason}`;
}

/** Warns about (or, under the deny policy, refuses) look-alike names; true if any were found. */
function report(ctx: CliContext, policy: WharfPolicy, found: readonly Suspect[], restore?: () => void): void {
  if (found.length === 0) return;
  if (policy.typosquat.deny.value) {
    restore?.();
    const [first, ...rest] = found;
    throw new WharfError({
      code: "TYPOSQUAT_DENIED",
      message: first ? describe(first) : "typosquat",
      notes: rest.map(describe),
      hint: "check the crate name; if it is the crate you mean, add it to `[typosquat] allow = [...]` in wharf.toml",
    });
  }
  for (const s of found) ctx.shell.warn(`${describe(s)}\nhelp: make sure this is the crate you meant`);
}

/** Called after a resolve has printed its lock changes. */
export function checkNewLockPackages(ctx: CliContext, rw: ResolvedWorkspace): void {
  const next = parseLockfile(rw.lockText, rw.lockPath).packages;
  const before = rw.previous?.lock.packages ?? [];
  for (const c of sourceChanges(before, next)) ctx.shell.warn(c.message);
  const known = new Set(before.map((p) => p.name));
  const fresh = next.filter((p) => p.source !== undefined && !known.has(p.name));
  if (fresh.length === 0) return;
  const policy = policyFor(ctx, rw.ws.rootDir);
  const restore = () => {
    // the lock may already be written: leave it as it was so the next run checks again
    if (!existsSync(rw.lockPath) || readFileSync(rw.lockPath, "utf8") !== rw.lockText) return;
    if (rw.previous) writeFileSync(rw.lockPath, rw.previous.text);
    else rmSync(rw.lockPath);
  };
  report(ctx, policy, suspects(policy, fresh), restore);
}

/** `wharf add`: the registry crates named on the command line, before the manifest changes. */
export function checkAddedCrates(ctx: CliContext, workspaceRoot: string, names: readonly string[]): void {
  if (names.length === 0) return;
  const policy = policyFor(ctx, workspaceRoot);
  report(
    ctx,
    policy,
    suspects(
      policy,
      names.map((name) => ({ name })),
    ),
  );
}
