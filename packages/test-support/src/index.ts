/**
 * @wharf/test-support: helpers for tests: temp dirs with their own homes, running the
 * built wharf CLI and the real cargo, comparing their outputs. Used only by tests.
 */
export * from "./run.js";
