/**
 * Where things live under wharfHome. Kept in one place so the layout can be read (and
 * changed) at a glance, and so every directory is created private (0700): a cache shared
 * with other users would let them poison what we build.
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";

export const CACHE_DIR_MODE = 0o700;

export interface CachePaths {
  root: string;
  /** sparse index files, one folder per registry */
  index: string;
  /** content-addressed .crate files: crates/ab/cd/<sha256>.crate */
  crates: string;
  /** extracted sources: src/<name>-<version>-<short sha>/ plus a manifest beside each */
  src: string;
  /** temp files and dirs, on the same file system as their targets so rename is atomic */
  tmp: string;
  /** the file proper-lockfile guards */
  lockTarget: string;
}

export function cachePaths(wharfHome: string): CachePaths {
  const root = join(wharfHome, "cache");
  return {
    root,
    index: join(root, "index"),
    crates: join(root, "crates"),
    src: join(root, "src"),
    tmp: join(root, "tmp"),
    lockTarget: join(root, "cache.lock"),
  };
}

/** mkdir -p with 0700; mkdir's mode is masked by umask, which can only remove bits, so 0700 holds. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: CACHE_DIR_MODE });
}

const SHA256_RE = /^[0-9a-f]{64}$/;

export function isSha256Hex(text: string): boolean {
  return SHA256_RE.test(text);
}
