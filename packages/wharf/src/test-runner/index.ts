/**
 * test-runner: what `wharf test` / `wharf bench` add to the builder: which targets become
 * test harnesses (select), how cargo starts them and rustdoc's doc tests (test-process),
 * and running each under a wall-clock, memory and process limit, optionally through the
 * Sandbox (limits, cgroup, run-limited). May import @wharf/protocol, ../compiler and
 * ../sandbox; the operations in ../ops drive it.
 */
export * from "./cgroup.js";
export * from "./limits.js";
export * from "./run-limited.js";
export * from "./select.js";
export * from "./test-process.js";
