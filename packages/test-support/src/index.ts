/**
 * @wharf/test-support: helpers for tests: temp dirs with their own homes, running the
 * built wharf CLI and the real cargo, writing fixture projects. Used only by tests, which
 * also live here when they exercise the built CLI end to end against real cargo.
 */

export * from "./cargo-client.js";
export * from "./corpus-registry.js";
export * from "./hostile-crates.js";
export * from "./project.js";
export * from "./run.js";
export * from "./run-async.js";
export * from "./static-server.js";
export * from "./test-registry.js";
export * from "./tls.js";
