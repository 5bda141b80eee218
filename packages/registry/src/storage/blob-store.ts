/**
 * The BlobStore contract: immutable, content-addressed bytes (.crate files) keyed by their
 * sha256 hex. The file-system store is the first implementation; an S3-compatible one can
 * follow without the HTTP handlers noticing, because they only see this interface.
 */
import { createHash } from "node:crypto";
import type { Readable } from "node:stream";

export interface BlobInfo {
  readonly hash: string;
  readonly size: number;
  /** when the blob was last written or re-put; orphan sweeps keep young blobs */
  readonly modifiedAt: Date;
}

export interface BlobStore {
  /** Stores bytes durably and returns their sha256 hex. Putting existing bytes is a no-op. */
  put(bytes: Uint8Array): Promise<string>;
  /** The bytes, checked against their hash, or undefined when absent. */
  get(hash: string): Promise<Buffer | undefined>;
  /** A stream of the bytes for downloads (not re-hashed), or undefined when absent. */
  openStream(hash: string): Promise<Readable | undefined>;
  has(hash: string): Promise<boolean>;
  /** Removes a blob; true when it existed. */
  delete(hash: string): Promise<boolean>;
  /** Every stored blob, for orphan sweeps and audits; order unspecified. */
  list(): AsyncIterable<BlobInfo>;
}

const BLOB_HASH = /^[0-9a-f]{64}$/;

/** Hashes come from URLs and DB rows: only this shape may ever become a path. */
export function isBlobHash(value: string): boolean {
  return BLOB_HASH.test(value);
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
