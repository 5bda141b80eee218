/**
 * BlobStore on a local directory: `<dir>/ab/cd/<hash>`. Writes go to a temp file in the
 * final directory, are fsynced, then renamed into place and the directory fsynced, so a
 * crash leaves either the whole blob or a stray temp file, never a torn blob under a
 * valid name. Directories are 0700 and files 0600: only the registry process reads them.
 */
import { randomBytes } from "node:crypto";
import { chmod, mkdir, open, readdir, readFile, rename, rm, stat, unlink, utimes } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { type BlobInfo, type BlobStore, isBlobHash, sha256Hex } from "./blob-store.js";
import { storageError } from "./storage-error.js";

const TEMP_PREFIX = ".tmp-";

function checkHash(hash: string): void {
  if (!isBlobHash(hash)) {
    throw storageError({
      code: "REGISTRY_BLOB_INVALID_HASH",
      message: `\`${hash.slice(0, 80)}\` is not a sha256 hex digest`,
    });
  }
}

function isMissing(error: unknown): boolean {
  return error instanceof Error && "code" in error && error.code === "ENOENT";
}

export class FsBlobStore implements BlobStore {
  readonly dir: string;
  private readonly now: () => Date;

  /** `now` stamps re-put blobs, so sweeps using the same clock see them as young. */
  constructor(dir: string, options: { now?: () => Date } = {}) {
    this.dir = dir;
    this.now = options.now ?? (() => new Date());
  }

  private shardDir(hash: string): string {
    return join(this.dir, hash.slice(0, 2), hash.slice(2, 4));
  }

  /** The file a blob lives in; for diagnostics and tests, never for writing. */
  pathOf(hash: string): string {
    checkHash(hash);
    return join(this.shardDir(hash), hash);
  }

  async put(bytes: Uint8Array): Promise<string> {
    const hash = sha256Hex(bytes);
    const dir = this.shardDir(hash);
    const target = join(dir, hash);
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const now = this.now();
    try {
      // Same bytes, same name: the existing blob stays untouched. Its mtime is refreshed so
      // an orphan sweep running right now does not delete a blob a publish is about to use.
      await utimes(target, now, now);
      return hash;
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
    const temp = join(dir, `${TEMP_PREFIX}${randomBytes(8).toString("hex")}`);
    const handle = await open(temp, "wx", 0o600);
    try {
      await handle.writeFile(bytes);
      // Stamped with the store's clock, the one orphan sweeps compare against.
      await handle.utimes(now, now);
      await handle.sync();
    } catch (error) {
      await handle.close();
      await rm(temp, { force: true });
      throw error;
    }
    await handle.close();
    try {
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    await syncDir(dir);
    return hash;
  }

  async get(hash: string): Promise<Buffer | undefined> {
    checkHash(hash);
    let bytes: Buffer;
    try {
      bytes = await readFile(join(this.shardDir(hash), hash));
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    // A flipped bit on disk must not be served as the crate its name promises.
    const actual = sha256Hex(bytes);
    if (actual !== hash) {
      throw storageError({
        code: "REGISTRY_BLOB_CORRUPT",
        message: `blob ${hash} in ${this.dir} has sha256 ${actual}`,
        hint: "restore the blob from a backup; the file on disk is damaged or was edited",
      });
    }
    return bytes;
  }

  async openStream(hash: string): Promise<Readable | undefined> {
    checkHash(hash);
    const path = join(this.shardDir(hash), hash);
    const handle = await open(path, "r").catch((error: unknown) => {
      if (isMissing(error)) return undefined;
      throw error;
    });
    if (handle === undefined) return undefined;
    // Opened first so a missing blob is an undefined here, not an error event later. The
    // stream owns the FileHandle (a raw fd passed on would be closed twice, once by GC).
    return handle.createReadStream({ autoClose: true });
  }

  async has(hash: string): Promise<boolean> {
    checkHash(hash);
    try {
      return (await stat(join(this.shardDir(hash), hash))).isFile();
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  async delete(hash: string): Promise<boolean> {
    checkHash(hash);
    try {
      await unlink(join(this.shardDir(hash), hash));
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  async *list(): AsyncIterable<BlobInfo> {
    for (const first of await readdirOrEmpty(this.dir)) {
      if (!/^[0-9a-f]{2}$/.test(first)) continue;
      for (const second of await readdirOrEmpty(join(this.dir, first))) {
        if (!/^[0-9a-f]{2}$/.test(second)) continue;
        const dir = join(this.dir, first, second);
        for (const name of await readdirOrEmpty(dir)) {
          if (!isBlobHash(name) || !name.startsWith(first + second)) continue;
          const info = await stat(join(dir, name)).catch(() => undefined);
          if (info?.isFile()) yield { hash: name, size: info.size, modifiedAt: info.mtime };
        }
      }
    }
  }

  /**
   * Removes temp files a crashed `put` left behind, when older than `minAgeMs` (a younger
   * one may belong to a put in flight). Returns how many were removed.
   */
  async removeStaleTempFiles(options: { now: () => Date; minAgeMs: number }): Promise<number> {
    let removed = 0;
    const cutoff = options.now().getTime() - options.minAgeMs;
    for (const first of await readdirOrEmpty(this.dir)) {
      for (const second of await readdirOrEmpty(join(this.dir, first))) {
        const dir = join(this.dir, first, second);
        for (const name of await readdirOrEmpty(dir)) {
          if (!name.startsWith(TEMP_PREFIX)) continue;
          const info = await stat(join(dir, name)).catch(() => undefined);
          if (info !== undefined && info.mtimeMs <= cutoff) {
            await rm(join(dir, name), { force: true });
            removed++;
          }
        }
      }
    }
    return removed;
  }

  /** Tightens the root directory's mode, for a directory created by someone else. */
  async ensureRoot(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await chmod(this.dir, 0o700);
  }
}

async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch (error) {
    if (isMissing(error) || (error instanceof Error && "code" in error && error.code === "ENOTDIR"))
      return [];
    throw error;
  }
}

/** Makes the rename durable: without it a power loss may forget the new directory entry. */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
