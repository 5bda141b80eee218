/**
 * compiler (the builder): Resolve -> unit graph (pure) -> rustc arguments and build-script
 * environments (pure) -> jobs run through the Sandbox, with fingerprints deciding what is
 * fresh and cargo-style output. May import @wharf/protocol, ../resolver, ../sandbox and the
 * pure helpers of ../ops (feature pass, cfg evaluation, target JSON); never starts a process
 * except through a Sandbox.
 */
export * from "./build-reporter.js";
export * from "./build-runner.js";
export * from "./build-script-output.js";
export * from "./dep-info.js";
export * from "./fingerprint.js";
export * from "./job-queue.js";
export * from "./layout.js";
export * from "./profiles.js";
export * from "./rustc-args.js";
export * from "./rustc-messages.js";
export * from "./target-info.js";
export * from "./unit.js";
export * from "./unit-env.js";
export * from "./unit-graph.js";
