/**
 * The gate between the cache and a build: extracted sources are checked against their
 * manifest (every file hashed, added and removed files noticed) before a build may use
 * them, and re-extracted from the verified .crate when they do not match, with a warning
 * naming the crate and the file. `verified` remembers trees already hashed by this process
 * so a build of many units does not re-hash the same crate over and over.
 */
import { stat } from "node:fs/promises";
import { type Diagnostic, WharfError } from "@wharf/protocol";
import type { CachePaths } from "./cache-paths.js";
import type { CrateStore } from "./crate-store.js";
import { type CrateRef, type ExtractOptions, extractCrate, sourceLocation } from "./extract-crate.js";
import { checkSourceTree, readSourceManifest, type SourceMismatch } from "./source-manifest.js";

export interface VerifiedSource {
  dir: string;
  /** warnings about tampered trees that were replaced */
  diagnostics: Diagnostic[];
}

export interface VerifySourceOptions extends ExtractOptions {
  /** hashes already checked this process: trees listed here are trusted without re-hashing */
  verified?: Set<string>;
}

async function isDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

function describe(mismatch: SourceMismatch): string {
  switch (mismatch.reason) {
    case "added":
      return "was added";
    case "missing":
      return "is missing";
    case "modified":
      return "was modified";
    case "mode":
      return "had its permissions changed";
    case "not-a-regular-file":
      return "is not a regular file or directory";
    case "no-manifest":
      return "has no integrity manifest";
  }
}

export async function verifiedSourceDir(
  store: CrateStore,
  paths: CachePaths,
  ref: CrateRef,
  options: VerifySourceOptions = {},
): Promise<VerifiedSource> {
  const location = sourceLocation(paths, ref);
  if (options.verified?.has(location.dir)) return { dir: location.dir, diagnostics: [] };

  const dirPresent = await isDir(location.dir);
  const manifest = await readSourceManifest(location.manifestPath);
  let mismatch: SourceMismatch | undefined;
  if (!dirPresent && manifest === undefined) {
    mismatch = undefined; // never extracted: not a warning, just extract
  } else if (manifest === undefined) {
    mismatch = { file: "", reason: "no-manifest" };
  } else if (
    !dirPresent ||
    manifest.sha256 !== ref.sha256 ||
    manifest.name !== ref.name ||
    manifest.version !== ref.version
  ) {
    mismatch = { file: "", reason: "missing" };
  } else {
    mismatch = await checkSourceTree(location.dir, manifest, { stampPath: `${location.manifestPath}.stamp` });
    if (mismatch === undefined) {
      options.verified?.add(location.dir);
      return { dir: location.dir, diagnostics: [] };
    }
  }

  const diagnostics: Diagnostic[] = [];
  if (mismatch !== undefined) {
    const what = mismatch.file === "" ? "the source directory" : `\`${mismatch.file}\``;
    diagnostics.push({
      level: "warning",
      code: "CACHE_SOURCE_TAMPERED",
      file: mismatch.file === "" ? location.dir : `${location.dir}/${mismatch.file}`,
      message: `extracted sources of \`${ref.name} v${ref.version}\` do not match their manifest: ${what} ${describe(mismatch)}; extracting them again from the verified .crate`,
    });
  }
  if (mismatch !== undefined && !(await store.has(ref.sha256))) {
    throw new WharfError({
      code: "CACHE_SOURCE_TAMPERED",
      message: diagnostics[0]!.message.replace(/; extracting them again.*$/, ""),
      hint: "the .crate is no longer cached either; download it again (e.g. `wharf fetch`) to restore the sources",
    });
  }
  const extracted = await extractCrate(store, paths, ref, { ...options, replace: mismatch !== undefined });
  options.verified?.add(extracted.dir);
  return { dir: extracted.dir, diagnostics };
}
