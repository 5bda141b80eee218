/**
 * Fingerprints: what Wharf recorded about a unit's last successful build, kept under
 * target/<profile>/.wharf-fingerprint/ (never cargo's .fingerprint), and the checks that
 * decide whether it is still fresh: the same static key (unit hash, rustflags, ...), the
 * same build ids for every dependency, no input file (from dep-info, rerun-if-changed, or
 * the whole package for a build script that named none) newer than the build's start, the
 * same values of the environment variables it read, and its outputs still present.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

export interface FingerprintRecord {
  version: 1;
  key: string;
  /** changes whenever the unit is rebuilt: dependents compare it */
  buildId: string;
  deps: Record<string, string>;
  /** ms since the epoch, taken before the process started */
  startedAt: number;
  files: string[];
  /** environment variables read and their values (null: unset) */
  env: [string, string | null][];
  /** a build script that named no rerun-if-changed: every file of its package counts */
  scanRoot?: string | undefined;
  /** directories skipped by the package scan (the target dir) */
  scanSkip?: string[] | undefined;
  outputs: string[];
}

export function readFingerprint(path: string): FingerprintRecord | undefined {
  try {
    const r = JSON.parse(readFileSync(path, "utf8")) as FingerprintRecord;
    return r.version === 1 ? r : undefined;
  } catch {
    return undefined;
  }
}

export function writeFingerprint(path: string, record: FingerprintRecord): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(record)}\n`);
}

function mtimeOf(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

/** the newest mtime of anything under `dir` (files and directories), skipping some */
export function newestUnder(dir: string, skip: ReadonlySet<string>, limit = 100_000): number {
  let newest = mtimeOf(dir) ?? 0;
  const stack = [dir];
  let seen = 0;
  while (stack.length > 0 && seen < limit) {
    const d = stack.pop()!;
    let entries: import("node:fs").Dirent[];
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      seen++;
      const p = join(d, e.name);
      if (skip.has(p) || e.name === ".git") continue;
      if (e.isDirectory()) {
        stack.push(p);
        newest = Math.max(newest, mtimeOf(p) ?? 0);
      } else newest = Math.max(newest, mtimeOf(p) ?? 0);
    }
  }
  return newest;
}

export interface FreshnessInput {
  key: string;
  deps: Record<string, string>;
  env: Readonly<Record<string, string | undefined>>;
}

/** Why the unit must be rebuilt, or undefined when it is fresh. Stats files; starts nothing. */
export function staleReason(record: FingerprintRecord | undefined, now: FreshnessInput): string | undefined {
  if (record === undefined) return "never built";
  if (record.key !== now.key) return "the build configuration changed";
  const depKeys = Object.keys(now.deps);
  if (depKeys.length !== Object.keys(record.deps).length) return "the dependencies changed";
  for (const k of depKeys) if (record.deps[k] !== now.deps[k]) return "a dependency was rebuilt";
  for (const o of record.outputs) if (!existsSync(o)) return `the output ${o} is missing`;
  for (const [name, value] of record.env) {
    if ((now.env[name] ?? null) !== value) return `the environment variable ${name} changed`;
  }
  for (const f of record.files) {
    let m: number | undefined;
    try {
      const st = statSync(f);
      // a rerun-if-changed directory counts as changed when anything under it is
      m = st.isDirectory() ? newestUnder(f, new Set()) : st.mtimeMs;
    } catch {
      m = undefined;
    }
    if (m === undefined) return `the file ${f} is missing`;
    if (m > record.startedAt) return `the file ${f} changed`;
  }
  if (record.scanRoot !== undefined) {
    if (newestUnder(record.scanRoot, new Set(record.scanSkip ?? [])) > record.startedAt)
      return `a file in ${record.scanRoot} changed`;
  }
  return undefined;
}
