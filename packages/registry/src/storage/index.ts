/**
 * storage: the registry's persistence behind two interfaces, RegistryStore (metadata,
 * owners, tokens, audit log, rate-limit state; SQLite via Kysely now, PostgreSQL later)
 * and BlobStore (content-addressed .crate bytes; local files now, S3-compatible later).
 * HTTP handlers and the auth layer talk only to these interfaces.
 * May import @wharf/protocol, kysely, better-sqlite3 and node built-ins; never ../app or
 * ../auth (auth builds on storage, not the other way round).
 */
export type { BlobInfo, BlobStore } from "./blob-store.js";
export { isBlobHash, sha256Hex } from "./blob-store.js";
export { applyYanked, DEFAULT_SEARCH_PER_PAGE, MAX_SEARCH_PER_PAGE } from "./crate-reads.js";
export { FsBlobStore } from "./fs-blob-store.js";
export {
  createMigrator,
  migrateToLatest,
  registryMigrations,
  SCHEMA_VERSION,
  type SqlDialectName,
  schemaVersion,
} from "./migrations.js";
export {
  DEFAULT_ORPHAN_MIN_AGE_MS,
  type OrphanBlobOptions,
  orphanBlobs,
  sweepOrphanBlobs,
} from "./orphan-blobs.js";
export { gcraStep } from "./rate-limit.js";
export type * from "./registry-store.js";
export type { RegistryDatabase } from "./schema.js";
export {
  type OpenSqliteRegistryStoreOptions,
  openSqliteRegistryStore,
  SqliteRegistryStore,
} from "./sqlite-registry-store.js";
export {
  isStorageErrorCode,
  STORAGE_ERROR_STATUS,
  type StorageErrorCode,
  storageError,
  storageErrorStatus,
} from "./storage-error.js";
