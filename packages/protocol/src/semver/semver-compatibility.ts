/**
 * cargo's `SemverCompatibility`: which versions of one crate count as "the same" for the
 * resolver, which activates at most one version per (name, source, compatibility). The
 * left-most non-zero part decides: 1.x.y -> major 1; 0.x.y (x > 0) -> minor x; 0.0.z ->
 * patch z. Pre-release and build metadata are ignored, so 2.0.0-rc.1 shares a key with 2.3.0.
 */
import type { Version } from "./version.js";

export type SemverCompatibility =
  | { readonly kind: "major"; readonly value: bigint }
  | { readonly kind: "minor"; readonly value: bigint }
  | { readonly kind: "patch"; readonly value: bigint };

export function semverCompatibility(version: Version): SemverCompatibility {
  if (version.major !== 0n) return { kind: "major", value: version.major };
  if (version.minor !== 0n) return { kind: "minor", value: version.minor };
  return { kind: "patch", value: version.patch };
}

/**
 * The compatibility as a string usable as a map key: "1", "0.2", "0.0.3". Two versions
 * may coexist in one build only if their keys differ.
 */
export function compatibleRangeKey(version: Version): string {
  const compat = semverCompatibility(version);
  switch (compat.kind) {
    case "major":
      return `${compat.value}`;
    case "minor":
      return `0.${compat.value}`;
    case "patch":
      return `0.0.${compat.value}`;
  }
}

const KIND_RANK = { major: 0, minor: 1, patch: 2 } as const;

/** cargo's derived `Ord`: every Major before every Minor before every Patch, then by value. */
export function compareSemverCompatibility(a: SemverCompatibility, b: SemverCompatibility): number {
  const byKind = KIND_RANK[a.kind] - KIND_RANK[b.kind];
  if (byKind !== 0) return Math.sign(byKind);
  return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
}
