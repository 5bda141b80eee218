/**
 * @wharf/wharf: the client. src/cli is the entry; src/ops holds one operation per command;
 * config, workspace, resolver, lockfile, sources, cache, compiler, sandbox, test-runner and
 * packager are the components named in docs/ARCHITECTURE.md. The lockfile and resolver are
 * exported as namespaces: both have a `ResolvedPackage`, in their own words.
 */
export * from "./cli/index.js";
export * as lockfile from "./lockfile/index.js";
export * as resolver from "./resolver/index.js";
export * from "./util/index.js";
