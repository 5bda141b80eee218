/**
 * Ordering of versions. `compareVersions` is the crate's `Ord for Version` (major, minor,
 * patch, pre-release, then build metadata as a tiebreak), which is what cargo sorts
 * candidates by; `comparePrecedence` is SemVer 2.0 precedence, which ignores build metadata.
 */
import { compareBuildMetadata, comparePrerelease } from "./identifier-order.js";
import type { Version } from "./version.js";

function sign(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** SemVer 2.0 precedence: -1, 0 or 1; versions differing only in build metadata are equal. */
export function comparePrecedence(a: Version, b: Version): number {
  return (
    sign(a.major, b.major) ||
    sign(a.minor, b.minor) ||
    sign(a.patch, b.patch) ||
    comparePrerelease(a.pre, b.pre)
  );
}

/** The crate's total order: precedence first, then build metadata. -1, 0 or 1. */
export function compareVersions(a: Version, b: Version): number {
  return comparePrecedence(a, b) || compareBuildMetadata(a.build, b.build);
}

/** The crate's `==`: every field equal, build metadata included. */
export function versionsEqual(a: Version, b: Version): boolean {
  return compareVersions(a, b) === 0;
}

/** A sorted copy, lowest first (the input is left alone). */
export function sortVersions(versions: readonly Version[]): Version[] {
  return [...versions].sort(compareVersions);
}
