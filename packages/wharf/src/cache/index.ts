/**
 * cache: everything Wharf keeps under WHARF_HOME between runs: the sparse-index cache
 * (body plus validators for revalidation), the content-addressed .crate store, extracted
 * sources with their per-file hash manifests, and the lock that lets several wharf
 * processes share one cache. The cache is a place an attacker may write to, so every read
 * is verified: .crate files against their sha256 name, extracted sources against their
 * manifest before a build uses them.
 * May import @wharf/protocol, proper-lockfile and node built-ins; never reads the
 * environment (the caller passes wharfHome in) and never touches the network.
 */
export * from "./atomic-write.js";
export * from "./cache-lock.js";
export * from "./cache-paths.js";
export * from "./crate-store.js";
export * from "./extract-crate.js";
export * from "./index-cache.js";
export * from "./remove-tree.js";
export * from "./source-manifest.js";
export * from "./verified-source-dir.js";
export * from "./wharf-cache.js";
