/**
 * The last step of every publish and import, once all checks passed: the blob is written
 * first, then the version row, index line and audit entry commit in one transaction, so a
 * crash leaves at most an orphan blob, never a version without its file.
 */
import { formatIndexLine, type PublishMetadata, publishMetadataToIndexLine } from "@wharf/protocol";
import type { BlobStore, Clock, PublishVersionResult, RegistryStore } from "../storage/index.js";

export interface StoreVersionInput {
  store: RegistryStore;
  blobs: BlobStore;
  now: Clock;
  meta: PublishMetadata;
  crateBytes: Uint8Array;
  /** sha256 of crateBytes, already computed by the caller's checks */
  cksum: string;
  userId: number;
  remoteAddr: string | null;
  expectNewCrate?: boolean | undefined;
}

export async function storeCrateVersion(input: StoreVersionInput): Promise<PublishVersionResult> {
  const { meta } = input;
  const blobHash = await input.blobs.put(input.crateBytes);
  const pubtime = input
    .now()
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z");
  const line = publishMetadataToIndexLine(meta, input.cksum, { pubtime });
  return input.store.publishVersion({
    crateName: meta.name,
    version: meta.vers,
    cksum: input.cksum,
    blobHash,
    indexLine: formatIndexLine(line),
    size: input.crateBytes.length,
    links: meta.links,
    rustVersion: meta.rust_version,
    userId: input.userId,
    remoteAddr: input.remoteAddr,
    metadata: {
      description: meta.description,
      homepage: meta.homepage,
      repository: meta.repository,
      documentation: meta.documentation,
      license: meta.license,
      keywords: meta.keywords,
      categories: meta.categories,
    },
    expectNewCrate: input.expectNewCrate,
  });
}
