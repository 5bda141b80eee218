/**
 * sources: where packages come from. The sparse registry client: the
 * index and .crate downloads over HTTPS (undici), with the transport policy (HTTPS only,
 * custom CA, bounded redirects, concurrency, retries, timeouts, size bounds) in one place;
 * and git sources (the system `git`, argv only, clean env, https/ssh only) in git-*.ts.
 * May import @wharf/protocol, ../cache, undici and node built-ins; never reads the
 * environment (callers pass caFile, the env, tokens and wharfHome in); may import ../config
 * for types and Secret.
 */
export * from "./concurrency-limit.js";
export * from "./credential-provider-process.js";
export * from "./credentials.js";
export * from "./credentials-file.js";
export * from "./download-url.js";
export * from "./git-command.js";
export * from "./git-database.js";
export * from "./git-discover.js";
export * from "./git-lock.js";
export * from "./git-source.js";
export * from "./git-url.js";
export * from "./http-fetcher.js";
export * from "./registry-config.js";
export * from "./registry-url.js";
export * from "./resolver-registry.js";
export * from "./retry-policy.js";
export * from "./sparse-registry-client.js";
