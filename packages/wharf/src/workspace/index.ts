/**
 * workspace: loading Cargo.toml files from disk into Packages and finding the workspace they
 * form (root, members, default members). The I/O half of the manifest component; the pure
 * half is @wharf/protocol's manifest module. May import @wharf/protocol, ../util and node.
 */
export * from "./fs-probe.js";
export * from "./glob.js";
export * from "./load-manifest.js";
export * from "./workspace.js";
