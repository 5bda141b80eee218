/**
 * semver: Cargo's version and requirement semantics (not npm's): parsing, ordering,
 * matching with cargo's pre-release rules, and the "compatible range" key that decides when
 * two versions of one crate may coexist in a build. Pure.
 * May import only ../errors; nothing here does I/O.
 */

export { comparePrecedence, compareVersions, sortVersions, versionsEqual } from "./compare-versions.js";
export { formatComparator, formatRequirement } from "./format-requirement.js";
export { compareBuildMetadata, comparePrerelease } from "./identifier-order.js";
export { filterSatisfying, matches, matchesComparator, maxSatisfying } from "./matches.js";
export { parseRequirement, tryParseRequirement } from "./parse-requirement.js";
export { type ParseResult, parseVersion, tryParseVersion } from "./parse-version.js";
export {
  compareSemverCompatibility,
  compatibleRangeKey,
  type SemverCompatibility,
  semverCompatibility,
} from "./semver-compatibility.js";
export { formatVersion, isPrerelease, makeVersion, U64_MAX, type Version } from "./version.js";
export {
  type Comparator,
  isExactReq,
  MAX_COMPARATORS,
  type Op,
  STAR,
  type VersionReq,
  versionToReq,
} from "./version-req.js";
