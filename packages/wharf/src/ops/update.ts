/**
 * `wharf update [-p SPEC]... [--precise V] [--recursive] [--workspace] [--dry-run]`
 * (cargo_update.rs `update_lockfile`): re-resolve with the previous Cargo.lock preferred
 * except for what is being updated. Without -p every package is updated (the lock's
 * encoding and checksums still carried over); with -p only the named packages (and with
 * --recursive everything they depend on); --precise pins one registry package to an exact
 * version, even outside the requirement that matched the old one, yanked with a warning.
 * Workspace members are never pinned. Prints cargo's Locking / Updating / Adding lines.
 */
import { join } from "node:path";
import { parseVersion, tryParseVersion, type Version, WharfError } from "@wharf/protocol";
import type { CliContext } from "../cli/context.js";
import { type LockedPackage, type Lockfile, parseLockfile } from "../lockfile/index.js";
import type { PreciseVersion } from "../resolver/index.js";
import { generateLockfile } from "./generate-lockfile.js";
import { loadConfigFor, loadWorkspaceFor } from "./load.js";
import { printLockfileChanges } from "./lock-status.js";
import { lockKey, readPreviousLock, sourceIdOfLockSource } from "./previous-lock.js";
import { resolveWorkspace, writeLockfile } from "./resolve-workspace.js";

export interface UpdateOptions {
  manifestPath?: string | undefined;
  packages: string[];
  precise?: string | undefined;
  recursive: boolean;
  workspace: boolean;
  dryRun: boolean;
}

const keyOf = (p: LockedPackage) => lockKey(p.name, p.version, p.source);

/** cargo's `Resolve::query` for the spec forms people type: `name`, `name@version`, `name:version`. */
function queryLock(lock: Lockfile, spec: string): LockedPackage {
  const m = /^([^@:]+)(?:[@:](.+))?$/.exec(spec);
  const name = m?.[1] ?? spec;
  const version = m?.[2];
  const matching = lock.packages.filter((p) => {
    if (p.name !== name) return false;
    if (version === undefined) return true;
    const want = tryParseVersion(version);
    if (want.ok) return p.version === version;
    // a partial version (`1.2`) matches every version it is a prefix of
    return p.version === version || p.version.startsWith(`${version}.`);
  });
  if (matching.length === 1) return matching[0]!;
  if (matching.length === 0) {
    throw new WharfError({
      code: "UPDATE_SPEC_NOT_FOUND",
      message: `package ID specification \`${spec}\` did not match any packages`,
      hint: "the name must be a package in Cargo.lock; `wharf tree` lists them",
    });
  }
  throw new WharfError({
    code: "UPDATE_SPEC_AMBIGUOUS",
    message: `There are multiple \`${name}\` packages in your project, and the specification \`${spec}\` is ambiguous.`,
    hint: `re-run this command with one of the following specifications: ${matching.map((p) => `${p.name}@${p.version}`).join(", ")}`,
  });
}

function addWithDeps(lock: Lockfile, start: LockedPackage, into: Set<string>): void {
  const byKey = new Map(lock.packages.map((p) => [keyOf(p), p]));
  const stack = [start];
  while (stack.length > 0) {
    const p = stack.pop()!;
    const key = keyOf(p);
    if (into.has(key)) continue;
    into.add(key);
    for (const d of p.dependencies) {
      const dep = byKey.get(lockKey(d.name, d.version, d.source));
      if (dep) stack.push(dep);
    }
  }
}

function parsePrecise(text: string, pkg: LockedPackage): Version {
  const v = tryParseVersion(text);
  if (!v.ok) {
    throw new WharfError({
      code: "UPDATE_PRECISE_INVALID",
      message: `invalid version format for precise version \`${text}\``,
      hint: `--precise for the registry package \`${pkg.name}\` takes a full version such as 1.2.3`,
      notes: [v.reason],
    });
  }
  return v.value;
}

export async function update(ctx: CliContext, options: UpdateOptions): Promise<void> {
  if (options.recursive && options.precise !== undefined) {
    throw new WharfError({
      code: "CLI_INVALID_ARGUMENT",
      message: "cannot specify both recursive and precise simultaneously",
    });
  }
  const config = loadConfigFor(ctx);
  const ws = loadWorkspaceFor(ctx, config, options.manifestPath);
  let previous = readPreviousLock(join(ws.rootDir, "Cargo.lock"))?.lock;
  if (previous === undefined) {
    if (options.precise === undefined) {
      await generateLockfile(ctx, { manifestPath: options.manifestPath });
      return;
    }
    // --precise needs something to be precise against: a fresh resolve plays the old lock
    const fresh = await resolveWorkspace(ctx, options.manifestPath, { previous: "ignore" });
    await fresh.registry.close();
    previous = parseLockfile(fresh.lockText, fresh.lockPath);
  }
  const lock = previous;
  const avoid = new Set<string>();
  const precise: PreciseVersion[] = [];
  if (options.packages.length === 0) {
    if (!options.workspace) for (const p of lock.packages) avoid.add(keyOf(p));
  } else {
    for (const spec of options.packages) {
      const pkg = queryLock(lock, spec);
      if (options.recursive) addWithDeps(lock, pkg, avoid);
      else {
        avoid.add(keyOf(pkg));
        const source = pkg.source === undefined ? undefined : sourceIdOfLockSource(pkg.source);
        if (options.precise !== undefined && source !== undefined) {
          precise.push({
            name: pkg.name,
            source,
            from: parseVersion(pkg.version),
            to: parsePrecise(options.precise, pkg),
          });
        }
      }
    }
    // never avoid workspace members: their dependencies are what gets updated
    for (const p of lock.packages) {
      if (p.source === undefined && ws.members.some((m) => m.name === p.name)) avoid.delete(keyOf(p));
    }
  }
  // a non-registry source (git) is locked at one revision: avoiding one package avoids all of it
  const avoidSources = new Set(
    lock.packages
      .filter(
        (p) => avoid.has(keyOf(p)) && p.source !== undefined && sourceIdOfLockSource(p.source) === undefined,
      )
      .map((p) => p.source),
  );
  const keep = (p: LockedPackage) =>
    !avoid.has(keyOf(p)) && !(p.source !== undefined && avoidSources.has(p.source));

  // nothing to update (`--workspace`): a plain sync, which may trust the cached index
  const rw = await resolveWorkspace(
    ctx,
    options.manifestPath,
    avoid.size === 0 && precise.length === 0 ? { previousLock: lock } : { keep, precise, previousLock: lock },
  );
  try {
    for (const req of precise) {
      const chosen = rw.resolve.packages.find((p) => p.id.name === req.name && p.summary.yanked);
      if (chosen) {
        ctx.shell.warn(
          `selected package \`${req.name}@${options.precise}\` was yanked by the author\nhelp: if possible, try a compatible non-yanked version`,
        );
      }
    }
    printLockfileChanges(ctx, rw, { mode: "update", precise: options.precise !== undefined });
    if (options.dryRun) ctx.shell.warn("not updating lockfile due to dry run");
    else writeLockfile(ctx, rw);
  } finally {
    await rw.registry.close();
  }
}
