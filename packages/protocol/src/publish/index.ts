/**
 * publish: what `cargo publish` sends to a registry (the length-prefixed body, the
 * NewCrate metadata and its validation), the conversion from a loaded Package to that
 * metadata, and from the metadata to the registry's index line.
 * Pure. May import ../errors, ../semver, ../names, ../manifest and ../index-format.
 */
export * from "./package-to-publish-metadata.js";
export * from "./publish-body.js";
export * from "./publish-metadata.js";
export * from "./publish-to-index-line.js";
export * from "./validate-publish-metadata.js";
