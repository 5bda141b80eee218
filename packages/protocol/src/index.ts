/**
 * @wharf/protocol: the pure code both the client and the registry need (errors, semver,
 * manifest parsing, crate names, security analyses). Nothing here touches the file system,
 * the environment, the clock, the network or randomness: callers pass data in.
 */
export * from "./crate-file/index.js";
export * from "./errors/index.js";
export * from "./index-format/index.js";
export * from "./manifest/index.js";
export * from "./names/index.js";
export * from "./publish/index.js";
export * from "./security/index.js";
export * from "./semver/index.js";
