/**
 * crate-file: the .crate format (a gzip'd tar of `<name>-<version>/...`): a strict reader
 * that refuses hostile archives with stable error codes, a writer that produces the bytes
 * `cargo package` would, and the SHA-256 checksum the index and lockfiles record.
 * Pure (data in, data out). May import ../errors and node:zlib / node:crypto only.
 */
export * from "./archive-error.js";
export { compareArchivePaths } from "./archive-path.js";
export * from "./limits.js";
export * from "./read-crate-archive.js";
export * from "./sha256.js";
export * from "./write-crate-archive.js";
