/**
 * The Version value: a SemVer 2.0 version as cargo's semver crate holds it. Numbers are
 * bigint because cargo accepts every u64, and JS numbers stop being exact at 2^53.
 */

export const U64_MAX = (1n << 64n) - 1n;

export interface Version {
  readonly major: bigint;
  readonly minor: bigint;
  readonly patch: bigint;
  /** pre-release identifiers joined by `.` without the leading `-`; "" when there are none */
  readonly pre: string;
  /** build metadata joined by `.` without the leading `+`; "" when there is none */
  readonly build: string;
}

function toU64(value: bigint | number, what: string): bigint {
  if (typeof value === "number" && !Number.isSafeInteger(value)) {
    throw new RangeError(`${what} ${value} is not a safe integer; pass a bigint`);
  }
  const big = BigInt(value);
  if (big < 0n || big > U64_MAX) throw new RangeError(`${what} ${big} is outside u64`);
  return big;
}

/**
 * Builds a version from parts the caller has already validated (the crate's `Version::new`
 * plus pre and build). Use parseVersion for text; this checks only the numeric ranges.
 */
export function makeVersion(
  major: bigint | number,
  minor: bigint | number,
  patch: bigint | number,
  pre = "",
  build = "",
): Version {
  return {
    major: toU64(major, "major"),
    minor: toU64(minor, "minor"),
    patch: toU64(patch, "patch"),
    pre,
    build,
  };
}

/** cargo's `VersionExt::is_prerelease`: any pre-release identifier at all. */
export function isPrerelease(version: Version): boolean {
  return version.pre !== "";
}

/** The crate's `Display`: `1.2.3`, `1.2.3-alpha.1`, `1.2.3+build.5`. Round-trips parseVersion. */
export function formatVersion(version: Version): string {
  let out = `${version.major}.${version.minor}.${version.patch}`;
  if (version.pre !== "") out += `-${version.pre}`;
  if (version.build !== "") out += `+${version.build}`;
  return out;
}
