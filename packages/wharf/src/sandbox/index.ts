/**
 * sandbox: the one way the builder starts an untrusted process (rustc, build scripts, later
 * test binaries). A job declares what it reads, the single directory it may write, its
 * environment and its limits; an implementation decides how to enforce that. Paths are the
 * same inside and outside the sandbox, so dep-info and diagnostics need no translation.
 * `BwrapSandbox` (bubblewrap, the default) confines; `DirectSandbox` spawns directly
 * (`--no-sandbox`). May import node built-ins and @wharf/protocol only.
 */
export * from "./bwrap-args.js";
export * from "./bwrap-sandbox.js";
export * from "./direct-sandbox.js";
export * from "./refusal.js";
export * from "./sandbox.js";
