/**
 * @wharf/wharf: the client. src/cli is the entry; src/ops holds one operation per command;
 * config, resolver, sources, cache, compiler, sandbox, test-runner and packager are the
 * components named in docs/ARCHITECTURE.md.
 */
export * from "./cli/index.js";
export * from "./util/index.js";
