/**
 * Content-addressed .crate files: crates/ab/cd/<sha256>.crate. The name is the checksum,
 * so every read re-hashes the bytes and refuses a file that no longer matches its name
 * (a flipped byte on disk, or a file swapped in by someone with write access).
 */
import { readFile, rm, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { sha256Hex, WharfError } from "@wharf/protocol";
import { writeFileAtomic } from "./atomic-write.js";
import { ensurePrivateDir, isSha256Hex } from "./cache-paths.js";

/** .crate files are written 0444 beside 0700 dirs: nobody, not even we, edits them in place */
const CRATE_FILE_MODE = 0o444;

function checkSha(sha256: string): string {
  if (!isSha256Hex(sha256)) {
    throw new WharfError({
      code: "CACHE_BAD_CHECKSUM",
      message: `\`${JSON.stringify(sha256).slice(1, -1)}\` is not a lowercase hex SHA-256`,
    });
  }
  return sha256;
}

export class CrateStore {
  constructor(readonly dir: string) {}

  pathOf(sha256: string): string {
    const sha = checkSha(sha256);
    return join(this.dir, sha.slice(0, 2), sha.slice(2, 4), `${sha}.crate`);
  }

  async has(sha256: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(sha256))).isFile();
    } catch {
      return false;
    }
  }

  /** Stores bytes whose checksum the caller expects; refuses them if they do not match. */
  async put(bytes: Uint8Array, expectedSha256: string): Promise<string> {
    const expected = checkSha(expectedSha256);
    const actual = sha256Hex(bytes);
    if (actual !== expected) {
      throw new WharfError({
        code: "CRATE_CHECKSUM_MISMATCH",
        message: `refusing to cache a .crate whose sha256 is ${actual}, expected ${expected}`,
      });
    }
    const path = this.pathOf(expected);
    await ensurePrivateDir(dirname(path));
    await writeFileAtomic(path, bytes, { mode: CRATE_FILE_MODE });
    return path;
  }

  /**
   * The verified bytes, or undefined if absent. A file that does not hash to its name is
   * deleted (it can only ever be wrong) and reported, so the caller downloads it again.
   */
  async read(sha256: string): Promise<Uint8Array | undefined> {
    const path = this.pathOf(sha256);
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch {
      return undefined;
    }
    const actual = sha256Hex(bytes);
    if (actual !== sha256) {
      await rm(path, { force: true });
      throw new WharfError({
        code: "CACHE_CRATE_CORRUPT",
        message: `cached .crate \`${path}\` hashes to ${actual}, not ${sha256}; it was removed`,
        hint: "the cache was modified outside wharf; the crate will be downloaded again on the next run",
      });
    }
    return bytes;
  }
}
