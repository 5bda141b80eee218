/**
 * admin: operator commands on a registry's data directory (users, tokens, audit log,
 * takedowns, import). They act as the `admin-cli` actor, which the audit log records.
 * May import ../auth, ../storage, @wharf/protocol and node.
 */
export * from "./crate-identity.js";
export * from "./import-crates.js";
export * from "./operations.js";
export * from "./registry-data.js";
