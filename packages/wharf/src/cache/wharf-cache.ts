/**
 * One handle on the cache under a wharfHome: the layout, the stores, and the per-process
 * memory of which extracted trees were already hashed. Create one per process.
 */
import { lstat, readdir } from "node:fs/promises";
import { join } from "node:path";
import type { ArchiveLimits } from "@wharf/protocol";
import { type CacheLockOptions, withCacheLock } from "./cache-lock.js";
import { type CachePaths, cachePaths, ensurePrivateDir } from "./cache-paths.js";
import { CrateStore } from "./crate-store.js";
import { type CrateRef, type ExtractedCrate, extractCrate } from "./extract-crate.js";
import { IndexCache } from "./index-cache.js";
import { removeTree } from "./remove-tree.js";
import { type VerifiedSource, verifiedSourceDir } from "./verified-source-dir.js";

export interface WharfCacheOptions {
  /** WHARF_HOME, resolved by the caller (the cache never reads the environment) */
  wharfHome: string;
  archiveLimits?: Partial<ArchiveLimits>;
  /** allow paths differing only in case inside a crate (fine on Linux, clash on macOS/Windows) */
  allowCaseCollisions?: boolean;
  lock?: CacheLockOptions;
}

export class WharfCache {
  readonly paths: CachePaths;
  readonly crates: CrateStore;
  private readonly verified = new Set<string>();
  private readonly indexCaches = new Map<string, IndexCache>();

  constructor(private readonly options: WharfCacheOptions) {
    this.paths = cachePaths(options.wharfHome);
    this.crates = new CrateStore(this.paths.crates);
  }

  /** creates the cache directories (0700) and sweeps old leftovers of crashed runs; call once before use */
  async init(): Promise<this> {
    const { root, index, crates, src, tmp } = this.paths;
    for (const dir of [root, index, crates, src, tmp]) await ensurePrivateDir(dir);
    await this.sweepStaleTemps();
    return this;
  }

  /**
   * Temp dirs of an extraction killed half-way are never used (only a completed rename
   * publishes a tree), but they take space. Only old ones go: a young one may belong to a
   * wharf process that is extracting right now.
   */
  private async sweepStaleTemps(maxAgeMs = 24 * 60 * 60 * 1000): Promise<void> {
    const now = Date.now();
    for (const name of await readdir(this.paths.src)) {
      if (!name.startsWith(".tmp-")) continue;
      const path = join(this.paths.src, name);
      try {
        if (now - (await lstat(path)).mtimeMs > maxAgeMs) await removeTree(path);
      } catch {
        // raced with its owner or another sweeper: either way it is being dealt with
      }
    }
  }

  indexCache(indexUrl: string): IndexCache {
    let cache = this.indexCaches.get(indexUrl);
    if (cache === undefined) {
      cache = new IndexCache(this.paths.index, indexUrl);
      this.indexCaches.set(indexUrl, cache);
    }
    return cache;
  }

  async extractCrate(ref: CrateRef): Promise<ExtractedCrate> {
    const extracted = await extractCrate(this.crates, this.paths, ref, this.extractOptions());
    this.verified.add(extracted.dir);
    return extracted;
  }

  /** the source dir a build may use, verified against its manifest (re-extracted if tampered) */
  async verifiedSourceDir(ref: CrateRef): Promise<VerifiedSource> {
    return verifiedSourceDir(this.crates, this.paths, ref, {
      ...this.extractOptions(),
      verified: this.verified,
    });
  }

  async withLock<T>(fn: () => Promise<T>): Promise<T> {
    return withCacheLock(this.paths.lockTarget, fn, this.options.lock);
  }

  private extractOptions() {
    return {
      ...(this.options.archiveLimits ? { limits: this.options.archiveLimits } : {}),
      ...(this.options.allowCaseCollisions ? { allowCaseCollisions: true } : {}),
    };
  }
}
