/**
 * manifest: Cargo.toml text -> validated domain model (TomlManifest, Summary-level data),
 * with cargo's target auto-discovery given a file listing. Pure.
 */
export {};
