/**
 * Text forms of SourceId and PackageId as cargo writes them in metadata, lockfiles and
 * messages: `registry+https://...`, `sparse+https://...`, `git+https://...?branch=x`,
 * `path+file:///...`, and package id specs such as `path+file:///w/foo#0.1.0` or
 * `registry+https://github.com/rust-lang/crates.io-index#serde@1.0.0`.
 */

import type { GitReference, SourceId } from "./package.js";
import { baseName, fileUrl } from "./paths.js";

function prettyRef(reference: GitReference): string | undefined {
  switch (reference.kind) {
    case "default-branch":
      return undefined;
    case "branch":
      return `branch=${encodeURIComponent(reference.name)}`;
    case "tag":
      return `tag=${encodeURIComponent(reference.name)}`;
    case "rev":
      return `rev=${encodeURIComponent(reference.rev)}`;
  }
}

/** The URL part of a source (what `SourceId::url()` gives): no protocol prefix except `sparse+`. */
export function sourceUrl(source: SourceId): string {
  switch (source.kind) {
    case "path":
      return fileUrl(source.path);
    case "registry":
    case "git":
      return source.url;
  }
}

/** The full source string (`SourceId::as_url`). */
export function formatSourceId(source: SourceId): string {
  switch (source.kind) {
    case "path":
      return `path+${fileUrl(source.path)}`;
    case "registry":
      return source.url.startsWith("sparse+") ? source.url : `registry+${source.url}`;
    case "git": {
      const ref = prettyRef(source.reference);
      return `git+${source.url}${ref ? `?${ref}` : ""}`;
    }
  }
}

/** A package id spec: the source, then `#name@version`, or `#version` when the URL already ends in the name. */
export function formatPackageIdSpec(name: string, version: string, source: SourceId): string {
  const base = formatSourceId(source);
  const url = sourceUrl(source);
  const lastSegment = baseName(new URL(url.replace(/^sparse\+/, "")).pathname);
  return lastSegment === name ? `${base}#${version}` : `${base}#${name}@${version}`;
}
