/**
 * cargo's orders: packages by PackageId (name, then semver order with build metadata as the
 * tiebreak, then SourceId), and dependency references by their encoded form (name, then the
 * version *string*, then the source), absent parts first.
 */
import { compareVersions, tryParseVersion } from "@wharf/protocol";
import { compareSources, compareUtf8 } from "./lock-source.js";

interface PackageKey {
  name: string;
  version: string;
  source?: string | undefined;
}

function compareVersionText(a: string, b: string): number {
  const va = tryParseVersion(a);
  const vb = tryParseVersion(b);
  if (va.ok && vb.ok) return compareVersions(va.value, vb.value);
  return compareUtf8(a, b);
}

export function comparePackageIds(a: PackageKey, b: PackageKey): number {
  return (
    compareUtf8(a.name, b.name) ||
    compareVersionText(a.version, b.version) ||
    compareSources(a.source, b.source, true)
  );
}

/** An edge as written: the parts cargo left out are undefined. */
export interface EncodedReference {
  name: string;
  version?: string | undefined;
  source?: string | undefined;
}

function compareOptional<T>(a: T | undefined, b: T | undefined, cmp: (x: T, y: T) => number): number {
  if (a === undefined) return b === undefined ? 0 : -1;
  if (b === undefined) return 1;
  return cmp(a, b);
}

export function compareEncodedReferences(a: EncodedReference, b: EncodedReference): number {
  return (
    compareUtf8(a.name, b.name) ||
    compareOptional(a.version, b.version, compareUtf8) ||
    compareOptional(a.source, b.source, (x, y) => compareSources(x, y))
  );
}

/** `name`, `name version` or `name version (source)`. */
export function formatEncodedReference(ref: EncodedReference): string {
  let out = ref.name;
  if (ref.version !== undefined) out += ` ${ref.version}`;
  if (ref.source !== undefined) out += ` (${ref.source})`;
  return out;
}
