/**
 * manifest: Cargo.toml text -> validated domain model (TomlManifest), normalization with
 * workspace inheritance and cargo's target auto-discovery given a file listing, and the
 * Summary-level view (dependencies, features) both client and registry use. Pure.
 */
export * from "./cfg.js";
export * from "./features.js";
export * from "./file-probe.js";
export * from "./limits.js";
export * from "./locate.js";
export * from "./memory-probe.js";
export * from "./normalize.js";
export * from "./package.js";
export * from "./parse-manifest.js";
export * from "./paths.js";
export * from "./source-id.js";
export * from "./table-reader.js";
export * from "./targets.js";
export * from "./toml-document.js";
export * from "./types.js";
