/**
 * errors: the WharfError type, exit codes, secret redaction and the cargo-style renderer.
 * Pure; imports nothing outside this folder.
 */
export * from "./redact.js";
export * from "./render.js";
export * from "./wharf-error.js";
