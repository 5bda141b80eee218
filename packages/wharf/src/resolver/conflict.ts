/**
 * Why a candidate could not be used (cargo's `ConflictReason` and `ConflictMap`): each
 * entry names an active package whose presence rules the candidate out. Backjumping and
 * the conflict cache rely on this set being complete for the direct rejections.
 */
import type { PackageId } from "./summary.js";

export type ConflictReason =
  /** another version of the same semver-compatible range is active */
  | { readonly kind: "semver" }
  /** another active package already has this `links` value */
  | { readonly kind: "links"; readonly links: string }
  /** the key package asks for a feature the candidate lacks */
  | { readonly kind: "missing-feature"; readonly feature: string }
  | { readonly kind: "required-dependency-as-feature"; readonly feature: string }
  | { readonly kind: "non-implicit-dependency-as-feature"; readonly feature: string };

export interface ConflictEntry {
  readonly id: PackageId;
  readonly reason: ConflictReason;
}

/** Keyed by packageIdKey. */
export type ConflictMap = Map<string, ConflictEntry>;
