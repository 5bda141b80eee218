/**
 * Orphan blobs: bytes in the BlobStore that no version row refers to. They are the one
 * leftover the publish order (blob first, then the DB transaction) allows after a crash
 * or a refused publish. Young blobs are skipped: one may belong to a publish whose
 * transaction has not committed yet.
 */
import type { BlobStore } from "./blob-store.js";
import type { Clock, RegistryStore } from "./registry-store.js";

export interface OrphanBlobOptions {
  readonly store: Pick<RegistryStore, "referencedBlobs">;
  readonly blobs: BlobStore;
  readonly now: Clock;
  /** blobs modified more recently than this are left alone; default one hour */
  readonly minAgeMs?: number | undefined;
}

export const DEFAULT_ORPHAN_MIN_AGE_MS = 60 * 60 * 1000;

export async function orphanBlobs(options: OrphanBlobOptions): Promise<string[]> {
  const cutoff = options.now().getTime() - (options.minAgeMs ?? DEFAULT_ORPHAN_MIN_AGE_MS);
  // Listing the blobs before reading the references: a blob whose version commits in
  // between is then seen as referenced, never the other way round.
  const candidates: string[] = [];
  for await (const blob of options.blobs.list()) {
    if (blob.modifiedAt.getTime() <= cutoff) candidates.push(blob.hash);
  }
  const referenced = await options.store.referencedBlobs();
  return candidates.filter((hash) => !referenced.has(hash)).sort();
}

/** Deletes the orphans found by orphanBlobs and returns their hashes. */
export async function sweepOrphanBlobs(options: OrphanBlobOptions): Promise<string[]> {
  const orphans = await orphanBlobs(options);
  for (const hash of orphans) await options.blobs.delete(hash);
  return orphans;
}
