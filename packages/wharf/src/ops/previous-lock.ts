/**
 * The existing Cargo.lock as every command but generate-lockfile uses it (cargo's
 * `resolve_with_previous`): its packages are preferred, so a resolve changes only what the
 * manifests force; its checksums must agree with the new resolve (a mirror or registry that
 * now serves different bytes under the same version is an error, not an update); its
 * encoding and extra comments are kept. Also the package changes cargo reports.
 */
import { existsSync, readFileSync } from "node:fs";
import {
  compareVersions,
  formatSourceId,
  parseVersion,
  type SourceId,
  tryParseVersion,
  WharfError,
} from "@wharf/protocol";
import { type LockedPackage, type Lockfile, parseLockfile, type ResolvedPackage } from "../lockfile/index.js";
import type { PackageId } from "../resolver/index.js";

export interface PreviousLock {
  path: string;
  text: string;
  lock: Lockfile;
}

export function readPreviousLock(path: string): PreviousLock | undefined {
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, "utf8");
  return { path, text, lock: parseLockfile(text, path) };
}

/** A lockfile `source` back to a SourceId, for the kinds the resolver prefers (registries). */
export function sourceIdOfLockSource(source: string): SourceId | undefined {
  if (source.startsWith("registry+")) return { kind: "registry", url: source.slice("registry+".length) };
  if (source.startsWith("sparse+")) return { kind: "registry", url: source };
  return undefined;
}

/** `name version source` for a lockfile entry and for a resolved package alike. */
export function lockKey(name: string, version: string, source: string | undefined): string {
  return `${name} ${version} ${source ?? ""}`;
}

/** the lock file `source` of a registry package (what preferredIds reads back) */
function resolvedSource(p: ResolvedPackage): string | undefined {
  return p.source.kind === "registry" ? formatSourceId(p.source) : undefined;
}

export function resolvedKey(p: ResolvedPackage): string {
  return lockKey(p.name, p.version, resolvedSource(p));
}

/** The previous lock's registry packages as resolver ids, minus the ones `keep` rejects. */
export function preferredIds(lock: Lockfile, keep: (p: LockedPackage) => boolean): PackageId[] {
  const out: PackageId[] = [];
  for (const p of lock.packages) {
    if (p.source === undefined || !keep(p)) continue;
    const source = sourceIdOfLockSource(p.source);
    const version = tryParseVersion(p.version);
    if (source === undefined || !version.ok) continue;
    out.push({ name: p.name, version: version.value, source });
  }
  return out;
}

/**
 * cargo's `Resolve::merge_from` check: a package in both resolves must have the same
 * checksum in both, or the lock file, a mirror or the registry changed under us.
 */
export function checkChecksums(previous: Lockfile, path: string, next: readonly ResolvedPackage[]): void {
  const before = new Map(previous.packages.map((p) => [lockKey(p.name, p.version, p.source), p]));
  for (const p of next) {
    const old = before.get(resolvedKey(p));
    if (old === undefined) continue;
    if (old.checksum === p.checksum) continue;
    const id = `${p.name} v${p.version}`;
    const message =
      old.checksum === undefined
        ? `checksum for \`${id}\` was not previously calculated, but a checksum could now be calculated`
        : p.checksum === undefined
          ? `checksum for \`${id}\` could not be calculated, but a checksum is listed in the existing lock file`
          : `checksum for \`${id}\` changed between lock files: ${path} says ${old.checksum}, the registry says ${p.checksum}`;
    throw new WharfError({
      code: "LOCKFILE_CHECKSUM_MISMATCH",
      message,
      notes: [
        "the lock file may be corrupt or edited",
        "a replacement source (a mirror) may serve a different crate under the same version",
        "the registry itself may have been tampered with",
      ],
      hint: `unable to verify that \`${id}\` is the same as when the lockfile was generated; nothing was changed`,
    });
  }
}

export type ChangeKind = "Adding" | "Removing" | "Updating" | "Downgrading";

export interface PackageChange {
  kind: ChangeKind;
  /** what cargo prints after the status word */
  text: string;
  /** a change to a package that is not a workspace member and counts in "Locking N packages" */
  counted: boolean;
}

interface Ident {
  name: string;
  version: string;
  source: string | undefined;
  display: string;
}

/** cargo's PackageId Display: crates.io bare, other registries by config name (else URL). */
function display(
  name: string,
  version: string,
  source: string | undefined,
  registryName: (url: string) => string | undefined,
): string {
  const base = `${name} v${version}`;
  if (source === undefined || source === "registry+https://github.com/rust-lang/crates.io-index") return base;
  const url = source.startsWith("registry+")
    ? source.slice(9)
    : source.startsWith("sparse+")
      ? source
      : undefined;
  if (url !== undefined) return `${base} (registry \`${registryName(url) ?? url}\`)`;
  return `${base} (${source})`;
}

/**
 * cargo's `PackageDiff` + `PackageChange`: per (name, source), versions only in the old
 * resolve are removed and only in the new one added; exactly one of each is an upgrade or
 * a downgrade. Sorted by name then source, as cargo's BTreeMap is.
 */
export function lockChanges(
  previous: Lockfile | undefined,
  next: readonly ResolvedPackage[],
  isMember: (name: string, source: string | undefined) => boolean,
  registryName: (url: string) => string | undefined = () => undefined,
): PackageChange[] {
  const groups = new Map<string, { old: Ident[]; now: Ident[] }>();
  const group = (name: string, source: string | undefined) => {
    const key = `${name}\u0000${source ?? ""}`;
    let g = groups.get(key);
    if (!g) {
      g = { old: [], now: [] };
      groups.set(key, g);
    }
    return g;
  };
  for (const p of previous?.packages ?? []) {
    group(p.name, p.source).old.push({
      name: p.name,
      version: p.version,
      source: p.source,
      display: display(p.name, p.version, p.source, registryName),
    });
  }
  for (const p of next) {
    const source = resolvedSource(p);
    group(p.name, source).now.push({
      name: p.name,
      version: p.version,
      source,
      display: display(p.name, p.version, source, registryName),
    });
  }
  const byVersion = (a: Ident, b: Ident) => compareVersionText(a.version, b.version);
  const out: PackageChange[] = [];
  for (const key of [...groups.keys()].sort()) {
    const g = groups.get(key)!;
    const removed = g.old.filter((o) => !g.now.some((n) => n.version === o.version)).sort(byVersion);
    const added = g.now.filter((n) => !g.old.some((o) => o.version === n.version)).sort(byVersion);
    if (removed.length === 1 && added.length === 1) {
      const from = removed[0]!;
      const to = added[0]!;
      const down = compareVersionText(from.version, to.version) > 0;
      out.push({
        kind: down ? "Downgrading" : "Updating",
        text: `${from.display} -> v${to.version}`,
        counted: !isMember(to.name, to.source),
      });
      continue;
    }
    for (const r of removed) out.push({ kind: "Removing", text: r.display, counted: false });
    for (const a of added)
      out.push({ kind: "Adding", text: a.display, counted: !isMember(a.name, a.source) });
  }
  return out;
}

/** cargo's `cmp_precedence` on version texts the lock file and the resolve both hold. */
function compareVersionText(a: string, b: string): number {
  return compareVersions(parseVersion(a), parseVersion(b));
}
