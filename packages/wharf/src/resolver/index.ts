/**
 * resolver: cargo's dependency resolver. Summaries (from the registry client and the
 * workspace) + requirements + features -> Resolve (which versions, which edges, which
 * features), or a cargo-worded RESOLVE_* WharfError. Pure: it talks to the outside only
 * through the Registry interface it is given (no fs, env, clock, network, randomness).
 * May import @wharf/protocol (semver, SourceId, errors) and nothing else from wharf.
 * The lockfile encoder consumes Resolve; sources/cache implement Registry.
 */
export { activationError } from "./activation-error.js";
export type { ConflictEntry, ConflictMap, ConflictReason } from "./conflict.js";
export { describePath } from "./describe-path.js";
export { buildFeatureMap, type FeatureValue, parseFeatureValue } from "./feature-value.js";
export { type IndexSourceOptions, summaryFromIndexLine, summaryFromPackage } from "./from-manifest.js";
export { MemoryRegistry } from "./memory-registry.js";
export type { Registry } from "./registry.js";
export { resolve } from "./resolve.js";
export type { PatchSummary, PreciseVersion, ResolveOptions, RootRequest } from "./resolve-options.js";
export {
  checkCycles,
  type Resolve,
  type ResolvedDependency,
  type ResolvedPackage,
} from "./resolve-result.js";
export {
  activationsKey,
  comparePackageIds,
  type DependencySpec,
  formatPackageId,
  isCratesIo,
  type PackageId,
  packageIdKey,
  type Summary,
} from "./summary.js";
