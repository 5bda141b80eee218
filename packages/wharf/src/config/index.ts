/**
 * config: .cargo/config.toml discovery and merging, `--config`, CARGO_* environment
 * overrides, and Wharf's own wharf.toml policy with its trust rule. I/O (reads files).
 */
export type * from "./cargo-config.js";
export { cliArgsAsTable, parseConfigAssignment } from "./config-cli.js";
export { discoverConfigFiles, findConfigFile, loadConfigFile } from "./config-discovery.js";
export { displayConfigKey, envKeyFor, parseConfigKey } from "./config-key.js";
export { type MergeCargoConfigOptions, type MergedCargoConfig, mergeCargoConfig } from "./config-merge.js";
export { type ConfigPath, ConfigReader, type Env, type PathAndArgs, type Sourced } from "./config-reader.js";
export { type ConfigTable, type ConfigValue, type PlainConfigValue, toPlain } from "./config-value.js";
export { type Definition, definitionRoot, describeDefinition } from "./definition.js";
export { type LoadCargoConfigOptions, type LoadedCargoConfig, loadCargoConfig } from "./load-cargo-config.js";
export { type ProxyAuth, type ProxySetting, parseProxyUrl, redactProxyUrl, resolveProxy } from "./proxy.js";
export { readCargoConfig, readProfileConfig, readTargetConfig, resolveJobs } from "./read-cargo-config.js";
export { type FlagsForOptions, flagsFor } from "./rustflags.js";
export { Secret } from "./secret.js";
export { type ResolvedReplacement, resolveSourceReplacement } from "./source-replacement.js";
export {
  defaultPolicy,
  describeException,
  describeOrigin,
  type LoadedWharfConfig,
  type LoadWharfConfigOptions,
  loadWharfConfig,
  type PolicyOrigin,
  type SandboxException,
  type Setting,
  type TyposquatException,
  type WharfPolicy,
} from "./wharf-policy.js";
export { parseWharfSettings, type Severity, type SourceKind, type WharfSettings } from "./wharf-toml.js";
