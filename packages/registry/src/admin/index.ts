/**
 * admin: operator commands on a registry's data directory (users, tokens, audit log,
 * takedowns, import). They act as the `admin-cli` actor, which the audit log records.
 */
export * from "./registry-data.js";
