/**
 * Whether a version satisfies a requirement, by the semver crate's rules (cargo's
 * `VersionReq::matches`). The pre-release rule: a version with a pre-release satisfies a
 * requirement only if every comparator accepts it AND some comparator names the same
 * major.minor.patch with a pre-release of its own, so `^1.2.3` never picks `1.3.0-beta`.
 */
import { compareVersions } from "./compare-versions.js";
import { comparePrerelease } from "./identifier-order.js";
import type { Version } from "./version.js";
import type { Comparator, VersionReq } from "./version-req.js";

function matchesExact(cmp: Comparator, ver: Version): boolean {
  if (ver.major !== cmp.major) return false;
  if (cmp.minor !== undefined && ver.minor !== cmp.minor) return false;
  if (cmp.patch !== undefined && ver.patch !== cmp.patch) return false;
  return ver.pre === cmp.pre;
}

function matchesGreater(cmp: Comparator, ver: Version): boolean {
  if (ver.major !== cmp.major) return ver.major > cmp.major;
  if (cmp.minor === undefined) return false;
  if (ver.minor !== cmp.minor) return ver.minor > cmp.minor;
  if (cmp.patch === undefined) return false;
  if (ver.patch !== cmp.patch) return ver.patch > cmp.patch;
  return comparePrerelease(ver.pre, cmp.pre) > 0;
}

function matchesLess(cmp: Comparator, ver: Version): boolean {
  if (ver.major !== cmp.major) return ver.major < cmp.major;
  if (cmp.minor === undefined) return false;
  if (ver.minor !== cmp.minor) return ver.minor < cmp.minor;
  if (cmp.patch === undefined) return false;
  if (ver.patch !== cmp.patch) return ver.patch < cmp.patch;
  return comparePrerelease(ver.pre, cmp.pre) < 0;
}

function matchesTilde(cmp: Comparator, ver: Version): boolean {
  if (ver.major !== cmp.major) return false;
  if (cmp.minor !== undefined && ver.minor !== cmp.minor) return false;
  if (cmp.patch !== undefined && ver.patch !== cmp.patch) return ver.patch > cmp.patch;
  return comparePrerelease(ver.pre, cmp.pre) >= 0;
}

function matchesCaret(cmp: Comparator, ver: Version): boolean {
  if (ver.major !== cmp.major) return false;
  const { minor, patch } = cmp;
  if (minor === undefined) return true;
  if (patch === undefined) return cmp.major > 0n ? ver.minor >= minor : ver.minor === minor;
  if (cmp.major > 0n) {
    if (ver.minor !== minor) return ver.minor > minor;
    if (ver.patch !== patch) return ver.patch > patch;
  } else if (minor > 0n) {
    if (ver.minor !== minor) return false;
    if (ver.patch !== patch) return ver.patch > patch;
  } else if (ver.minor !== minor || ver.patch !== patch) {
    return false;
  }
  return comparePrerelease(ver.pre, cmp.pre) >= 0;
}

/** The comparator's range test alone, before the pre-release rule. */
function inRange(cmp: Comparator, ver: Version): boolean {
  switch (cmp.op) {
    case "exact":
    case "wildcard":
      return matchesExact(cmp, ver);
    case "greater":
      return matchesGreater(cmp, ver);
    case "greaterEq":
      return matchesExact(cmp, ver) || matchesGreater(cmp, ver);
    case "less":
      return matchesLess(cmp, ver);
    case "lessEq":
      return matchesExact(cmp, ver) || matchesLess(cmp, ver);
    case "tilde":
      return matchesTilde(cmp, ver);
    case "caret":
      return matchesCaret(cmp, ver);
  }
}

/** Whether this comparator opts the version's own major.minor.patch into pre-releases. */
function allowsPrereleaseOf(cmp: Comparator, ver: Version): boolean {
  return cmp.major === ver.major && cmp.minor === ver.minor && cmp.patch === ver.patch && cmp.pre !== "";
}

/** The crate's `VersionReq::matches`. Build metadata never matters. */
export function matches(req: VersionReq, version: Version): boolean {
  if (!req.comparators.every((cmp) => inRange(cmp, version))) return false;
  if (version.pre === "") return true;
  return req.comparators.some((cmp) => allowsPrereleaseOf(cmp, version));
}

/** The crate's `Comparator::matches`: one comparator with the same pre-release rule. */
export function matchesComparator(cmp: Comparator, version: Version): boolean {
  return inRange(cmp, version) && (version.pre === "" || allowsPrereleaseOf(cmp, version));
}

/** The greatest version (by compareVersions) that satisfies `req`, if any. */
export function maxSatisfying(versions: Iterable<Version>, req: VersionReq): Version | undefined {
  let best: Version | undefined;
  for (const version of versions) {
    if (matches(req, version) && (best === undefined || compareVersions(version, best) > 0)) best = version;
  }
  return best;
}

/** The versions that satisfy `req`, sorted lowest first. */
export function filterSatisfying(versions: Iterable<Version>, req: VersionReq): Version[] {
  const out: Version[] = [];
  for (const version of versions) if (matches(req, version)) out.push(version);
  return out.sort(compareVersions);
}
