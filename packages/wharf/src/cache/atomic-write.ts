/**
 * Write-then-rename, so a reader (another wharf process, or this one after a crash) sees
 * either the old file or the whole new one, never a torn write.
 */
import { randomBytes } from "node:crypto";
import { open, rename, rm } from "node:fs/promises";
import { basename, join } from "node:path";

export interface AtomicWriteOptions {
  /** final file mode; default 0600 */
  mode?: number;
  /** directory for the temp file; must be on the same file system; default the target's dir */
  tmpDir?: string;
  /**
   * fsync the data before the rename; default true. Only for files that may be lost in a
   * crash without harm (a cache entry whose reader treats a short or empty file as absent):
   * each fsync holds one of libuv's four pool threads for milliseconds, stalling every
   * other file operation behind it.
   */
  sync?: boolean;
}

export async function writeFileAtomic(
  path: string,
  data: Uint8Array | string,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const dir = options.tmpDir ?? join(path, "..");
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  // "wx": never reuse or follow something already at the temp name
  const handle = await open(tmp, "wx", options.mode ?? 0o600);
  try {
    try {
      await handle.writeFile(data);
      if (options.sync !== false) await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}
