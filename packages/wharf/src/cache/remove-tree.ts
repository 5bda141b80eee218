/**
 * Removing extracted sources: they are read-only on purpose (0444 files, 0555 dirs), and a
 * non-root user cannot delete entries from a 0555 directory, so make the dirs writable
 * first. Symlinks are never followed (lstat), so a planted link cannot redirect the chmod.
 */
import { chmod, lstat, readdir, rm } from "node:fs/promises";
import { join } from "node:path";

const MAX_DEPTH = 256;

async function makeWritable(dir: string, depth: number): Promise<void> {
  if (depth > MAX_DEPTH) return;
  await chmod(dir, 0o700);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) await makeWritable(join(dir, entry.name), depth + 1);
  }
}

export async function removeTree(path: string): Promise<void> {
  let stat: Awaited<ReturnType<typeof lstat>>;
  try {
    stat = await lstat(path);
  } catch {
    return;
  }
  if (stat.isDirectory()) {
    try {
      await makeWritable(path, 0);
    } catch {
      // best effort: rm below reports what really cannot be removed
    }
  }
  await rm(path, { recursive: true, force: true });
}
