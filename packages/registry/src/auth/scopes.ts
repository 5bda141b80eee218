/**
 * Token scopes, with crates.io's names and meaning: endpoint scopes say which kinds of
 * write a token may do, crate patterns say on which crates (`name` exactly or `prefix*`,
 * compared on canonical names so `foo-*` also covers `foo_bar`).
 */
import { canonicalCrateName } from "@wharf/protocol";

export const ENDPOINT_SCOPES = ["publish-new", "publish-update", "yank", "change-owners"] as const;
export type EndpointScope = (typeof ENDPOINT_SCOPES)[number];

export function isEndpointScope(value: string): value is EndpointScope {
  return (ENDPOINT_SCOPES as readonly string[]).includes(value);
}

const PATTERN = /^(?:[A-Za-z0-9_-]{1,64}\*?|\*)$/;

export function isValidCratePattern(pattern: string): boolean {
  return PATTERN.test(pattern);
}

export function matchesCratePattern(pattern: string, crateName: string): boolean {
  const name = canonicalCrateName(crateName);
  if (pattern.endsWith("*")) return name.startsWith(canonicalCrateName(pattern.slice(0, -1)));
  return name === canonicalCrateName(pattern);
}

/** null patterns: the token is not limited to some crates (crates.io's default). */
export function patternsCoverCrate(patterns: readonly string[] | null, crateName: string): boolean {
  return patterns === null || patterns.some((pattern) => matchesCratePattern(pattern, crateName));
}
