/**
 * util: small I/O helpers shared by the client (the output shell, file helpers).
 * May import @wharf/protocol and node built-ins.
 */
export * from "./shell.js";
