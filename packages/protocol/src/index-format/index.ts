/**
 * index-format: the registry index as cargo 1.95 reads it: the IndexLine type with every
 * field cargo knows, the deterministic line writer (crates.io's key order), a strict
 * line/file parser, and the sparse-index file path of a crate name.
 * Pure. May import ../errors, ../semver, ../names and ../manifest (platform parsing).
 */
export * from "./canonical-json.js";
export * from "./format-index-line.js";
export * from "./index-file-path.js";
export * from "./index-line.js";
export * from "./parse-index-line.js";
