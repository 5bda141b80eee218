/**
 * One handle on the cache under a wharfHome: the layout, the stores, and the per-process
 * memory of which extracted trees were already hashed. Create one per process.
 */
import type { ArchiveLimits } from "@wharf/protocol";
import { type CacheLockOptions, withCacheLock } from "./cache-lock.js";
import { type CachePaths, cachePaths, ensurePrivateDir } from "./cache-paths.js";
import { CrateStore } from "./crate-store.js";
import { type CrateRef, type ExtractedCrate, extractCrate } from "./extract-crate.js";
import { IndexCache } from "./index-cache.js";
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

  /** creates the cache directories (0700); call once before use */
  async init(): Promise<this> {
    for (const dir of [
      this.paths.root,
      this.paths.index,
      this.paths.crates,
      this.paths.src,
      this.paths.tmp,
    ]) {
      await ensurePrivateDir(dir);
    }
    return this;
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
