/**
 * One advisory lock for the whole cache (like cargo's package-cache lock), so several wharf
 * processes can fill it at once without one deleting what another is renaming into place.
 * proper-lockfile uses a mkdir lock with mtime refreshes, which works on network file
 * systems too; waits are bounded so a wedged process produces an error, not a hang.
 */

import { access } from "node:fs/promises";
import { dirname } from "node:path";
import { WharfError } from "@wharf/protocol";
import { lock } from "proper-lockfile";
import { writeFileAtomic } from "./atomic-write.js";
import { ensurePrivateDir } from "./cache-paths.js";

export interface CacheLockOptions {
  /** how many times to retry a held lock; default 60 (about 30 s with the backoff below) */
  retries?: number;
  /** a lock not refreshed for this long belongs to a dead process; default 30 s */
  staleMs?: number;
}

export async function withCacheLock<T>(
  lockTarget: string,
  fn: () => Promise<T>,
  options: CacheLockOptions = {},
): Promise<T> {
  await ensurePrivateDir(dirname(lockTarget));
  try {
    await access(lockTarget);
  } catch {
    await writeFileAtomic(lockTarget, "");
  }
  let release: () => Promise<void>;
  try {
    release = await lock(lockTarget, {
      stale: options.staleMs ?? 30_000,
      realpath: false,
      retries: {
        retries: options.retries ?? 60,
        factor: 1.3,
        minTimeout: 50,
        maxTimeout: 1_000,
        randomize: true,
      },
    });
  } catch (cause) {
    throw new WharfError({
      code: "CACHE_LOCK_TIMEOUT",
      message: `could not lock the package cache at \`${lockTarget}\``,
      hint: "another wharf process is using the cache; wait for it to finish or remove a stale `.lock` directory",
      cause,
    });
  }
  try {
    return await fn();
  } finally {
    await release().catch(() => undefined);
  }
}
