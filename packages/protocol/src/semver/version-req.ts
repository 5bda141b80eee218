/**
 * The VersionReq value: a conjunction of comparators, as the semver crate holds it. Partial
 * versions keep their missing parts as `undefined` because `^1`, `^1.0` and `^1.0.0` match
 * different sets and print differently.
 */
import type { Version } from "./version.js";

/**
 * The crate's `Op`. `wildcard` is a bare `1.*` / `1.2.x`; an explicit operator followed by a
 * wildcard (`>=1.*`) keeps its operator and just drops the missing parts.
 */
export type Op = "exact" | "greater" | "greaterEq" | "less" | "lessEq" | "tilde" | "caret" | "wildcard";

export interface Comparator {
  readonly op: Op;
  readonly major: bigint;
  readonly minor: bigint | undefined;
  /** only present when minor is */
  readonly patch: bigint | undefined;
  /** pre-release without the `-`; "" for none; only non-empty when patch is present */
  readonly pre: string;
}

export interface VersionReq {
  /** empty means `*`: any version that is not a pre-release */
  readonly comparators: readonly Comparator[];
}

/** The crate's `VersionReq::STAR`, what `*`, `x` and `X` parse to. */
export const STAR: VersionReq = Object.freeze({ comparators: Object.freeze([]) });

/** The most comparators one requirement may have (the crate's limit). */
export const MAX_COMPARATORS = 32;

/** cargo's `VersionExt::to_req`: a full-version comparator with the given operator. */
export function versionToReq(version: Version, op: Op): VersionReq {
  return {
    comparators: [{ op, major: version.major, minor: version.minor, patch: version.patch, pre: version.pre }],
  };
}

/** cargo's `OptVersionReq::is_exact` for a plain requirement: a single `=I.J.K[-pre]`. */
export function isExactReq(req: VersionReq): boolean {
  const [first] = req.comparators;
  return (
    req.comparators.length === 1 &&
    first !== undefined &&
    first.op === "exact" &&
    first.minor !== undefined &&
    first.patch !== undefined
  );
}
