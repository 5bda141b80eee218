/**
 * lockfile: Cargo.lock read and written byte for byte as cargo 1.95 does (encodings v1-v4;
 * new files are v4, or v3 and older under an old `rust-version`).
 *
 * - parseLockfile(text, file) -> Lockfile: every edge resolved to the package it names;
 *   bad input is a WharfError with a LOCKFILE_* code naming the file.
 * - formatLockfile(lock) -> string: cargo's exact bytes (sorting, shortest unambiguous
 *   edges, toml-rs quoting, blank lines, one trailing newline).
 * - encodeResolve({ version, packages, unusedPatches?, metadata?, extraComments? }) ->
 *   Lockfile: what the resolver calls. Each ResolvedPackage is { name, version, source:
 *   SourceId, precise?, checksum?, dependencies: ResolvedPackageId[], replace? }.
 * - lockfileVersionFor({ rustVersion, previous }) -> which encoding to write.
 *
 * Pure: text and data in, text and data out. May import @wharf/protocol (errors, semver,
 * SourceId) and smol-toml; never node:fs, process, the network or the clock.
 */
export {
  type EncodeResolveInput,
  encodeResolve,
  type ResolvedPackage,
  type ResolvedPackageId,
} from "./encode-resolve.js";
export { formatLockfile } from "./format-lockfile.js";
export {
  GENERATED_MARKER,
  GENERATED_NOTE,
  type LockedPackage,
  type LockedPackageRef,
  type Lockfile,
  type LockfileVersion,
  type UnusedPatch,
} from "./lockfile.js";
export { type LockfileVersionOptions, lockfileVersionFor } from "./lockfile-version.js";
export { parseLockfile } from "./parse-lockfile.js";
export { tomlKey, tomlString } from "./toml-string.js";
