/**
 * Source strings as a lock file holds them (`registry+URL`, `sparse+URL`, `git+URL?ref#commit`,
 * `path+file://...`): cargo's ordering of them, the form a dependency reference uses, and the
 * encoding of a resolver SourceId for a given lock file version.
 */
import { formatSourceId, type GitReference, type SourceId } from "@wharf/protocol";
import type { LockfileVersion } from "./lockfile.js";

/** cargo's SourceKind order: path, registry, sparse, local-registry, directory, then git. */
const KIND_RANK: Record<string, number> = {
  path: 0,
  registry: 1,
  sparse: 2,
  "local-registry": 3,
  directory: 4,
  git: 5,
};

/** cargo's GitReference order: tag, branch, rev, then the default branch. */
const GIT_REF_RANK: Record<string, number> = { tag: 0, branch: 1, rev: 2, default: 3 };

export interface ParsedSource {
  kind: string;
  /** what cargo compares after the kind: the URL (for sparse, with its `sparse+` prefix) */
  url: string;
  gitRef?: { kind: "tag" | "branch" | "rev" | "default"; value: string } | undefined;
}

/** Splits `kind+url`; undefined when there is no `+` or the kind is unknown. */
export function parseSource(source: string): ParsedSource | undefined {
  const plus = source.indexOf("+");
  if (plus <= 0) return undefined;
  const kind = source.slice(0, plus);
  if (KIND_RANK[kind] === undefined) return undefined;
  const rest = source.slice(plus + 1);
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(rest)) return undefined;
  if (kind !== "git") return { kind, url: kind === "sparse" ? source : rest };
  return { kind, url: rest, gitRef: gitReferenceOf(rest) };
}

function gitReferenceOf(url: string): ParsedSource["gitRef"] {
  const noFragment = url.split("#")[0]!;
  const q = noFragment.indexOf("?");
  let ref: ParsedSource["gitRef"] = { kind: "default", value: "" };
  if (q < 0) return ref;
  // the last of branch/ref, rev, tag wins, as in GitReference::from_query
  for (const [key, value] of new URLSearchParams(noFragment.slice(q + 1))) {
    if (key === "branch" || key === "ref") ref = { kind: "branch", value };
    else if (key === "rev") ref = { kind: "rev", value };
    else if (key === "tag") ref = { kind: "tag", value };
  }
  return ref;
}

/** Byte order of UTF-8, which is how Rust compares `str` (UTF-16 order differs past U+FFFF). */
export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  // ASCII-only strings order the same in UTF-16 and UTF-8
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching the ASCII range is the point
  if (/^[\x00-\x7f]*$/.test(a) && /^[\x00-\x7f]*$/.test(b)) return a < b ? -1 : 1;
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

/**
 * A light CanonicalUrl: package ids compare sources by it (no trailing slash, no `.git`, no
 * locked commit), while dependency references compare the URL as written.
 */
function canonicalUrl(url: string): string {
  let out = url.split("#")[0]!;
  const q = out.indexOf("?");
  if (q >= 0) out = out.slice(0, q);
  out = out.replace(/\/+$/, "");
  if (out.endsWith(".git")) out = out.slice(0, -4);
  return /^https?:\/\/github\.com\//i.test(out) ? out.toLowerCase() : out;
}

/**
 * cargo's order of sources: kind (git by reference), then URL. undefined = a path package.
 * `canonical` selects SourceId's order (for packages) over the reference order.
 */
export function compareSources(a: string | undefined, b: string | undefined, canonical = false): number {
  const pa = a === undefined ? { kind: "path", url: "" } : parseSource(a);
  const pb = b === undefined ? { kind: "path", url: "" } : parseSource(b);
  if (!pa || !pb) return compareUtf8(a ?? "", b ?? "");
  const byKind = KIND_RANK[pa.kind]! - KIND_RANK[pb.kind]!;
  if (byKind !== 0) return Math.sign(byKind);
  if (pa.gitRef && pb.gitRef) {
    const byRef = GIT_REF_RANK[pa.gitRef.kind]! - GIT_REF_RANK[pb.gitRef.kind]!;
    if (byRef !== 0) return Math.sign(byRef);
    const byValue = compareUtf8(pa.gitRef.value, pb.gitRef.value);
    if (byValue !== 0) return byValue;
  }
  return canonical ? compareUtf8(canonicalUrl(pa.url), canonicalUrl(pb.url)) : compareUtf8(pa.url, pb.url);
}

/**
 * The source as a dependency reference writes it: never the locked `#commit`, and before v3
 * `?branch=master` meant the default branch, so it is dropped there.
 */
export function referenceSource(source: string, version: LockfileVersion): string {
  if (!source.startsWith("git+")) return source;
  let out = source.split("#")[0]!;
  if (version <= 2) out = out.replace(/\?branch=master$/, "");
  return out;
}

/** The same source, precise commit or not (a reference never carries the commit). */
export function sameSource(reference: string, packageSource: string): boolean {
  if (reference === packageSource) return true;
  if (!packageSource.startsWith("git+")) return false;
  const bare = packageSource.split("#")[0]!;
  return reference === bare || reference === bare.replace(/\?branch=master$/, "");
}

/** application/x-www-form-urlencoded bytes, as the url crate's byte_serialize writes them. */
function formUrlEncode(value: string): string {
  let out = "";
  for (const byte of Buffer.from(value, "utf8")) {
    const ch = String.fromCharCode(byte);
    if (/[A-Za-z0-9*\-._]/.test(ch)) out += ch;
    else if (byte === 0x20) out += "+";
    else out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

function prettyRef(reference: GitReference, encoded: boolean): string | undefined {
  const enc = (v: string) => (encoded ? formUrlEncode(v) : v);
  switch (reference.kind) {
    case "default-branch":
      return undefined;
    case "branch":
      return `branch=${enc(reference.name)}`;
    case "tag":
      return `tag=${enc(reference.name)}`;
    case "rev":
      return `rev=${enc(reference.rev)}`;
  }
}

/**
 * The `source` line for a package from `source` (undefined for path sources). v4 URL-encodes
 * git references (`?branch=a+b`); earlier versions print them raw.
 */
export function encodeSource(
  source: SourceId,
  version: LockfileVersion,
  precise: string | undefined,
): string | undefined {
  switch (source.kind) {
    case "path":
      return undefined;
    case "registry":
      return formatSourceId(source);
    case "git": {
      const ref = prettyRef(source.reference, version >= 4);
      const commit = precise ?? source.precise;
      return `git+${source.url}${ref ? `?${ref}` : ""}${commit ? `#${commit}` : ""}`;
    }
  }
}
