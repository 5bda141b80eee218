/**
 * Lockfile -> the exact bytes cargo 1.95 writes (src/cargo/ops/lockfile.rs serialize_resolve
 * over core/resolver/encode.rs): the two generated-file comments, `version = N` for v3+,
 * one `[[package]]` table per package sorted by PackageId, dependency edges in their shortest
 * unambiguous form, `[[patch.unused]]`, `[metadata]`, and one trailing newline from v2 on.
 */
import { WharfError } from "@wharf/protocol";
import { compareUtf8, referenceSource } from "./lock-source.js";
import {
  GENERATED_MARKER,
  GENERATED_NOTE,
  type LockedPackage,
  type LockedPackageRef,
  type Lockfile,
  type LockfileVersion,
  type UnusedPatch,
} from "./lockfile.js";
import {
  compareEncodedReferences,
  comparePackageIds,
  type EncodedReference,
  formatEncodedReference,
} from "./package-order.js";
import { tomlKey, tomlString } from "./toml-string.js";

/** name -> version -> how many packages have that name and version (cargo's EncodeState) */
type Counts = Map<string, Map<string, number>>;

function countVersions(packages: readonly LockedPackage[]): Counts {
  const counts: Counts = new Map();
  for (const pkg of packages) {
    const byVersion = counts.get(pkg.name) ?? new Map<string, number>();
    byVersion.set(pkg.version, (byVersion.get(pkg.version) ?? 0) + 1);
    counts.set(pkg.name, byVersion);
  }
  return counts;
}

/**
 * From v2 on an edge names only what tells its target apart: the version when the name has
 * several, the source when the name and version have several. v1 always wrote all of it.
 */
function encodeReference(ref: LockedPackageRef, version: LockfileVersion, counts: Counts): EncodedReference {
  let refVersion: string | undefined = ref.version;
  let source = ref.source === undefined ? undefined : referenceSource(ref.source, version);
  if (version >= 2) {
    const byVersion = counts.get(ref.name);
    const count = byVersion?.get(ref.version);
    if (byVersion === undefined || count === undefined) {
      throw new WharfError({
        code: "LOCKFILE_DANGLING_DEPENDENCY",
        message: `lock file dependency \`${ref.name} ${ref.version}\` names no package of the lock file`,
        notes: ["this is a bug: the resolve handed to the lock file writer is not closed"],
      });
    }
    if (count === 1) {
      source = undefined;
      if (byVersion.size === 1) refVersion = undefined;
    }
  }
  return { name: ref.name, version: refVersion, source };
}

function line(key: string, value: string): string {
  return `${key} = ${tomlString(value)}\n`;
}

function emitIdentity(entry: UnusedPatch, version: LockfileVersion): string {
  let out = line("name", entry.name) + line("version", entry.version);
  if (entry.source !== undefined) out += line("source", entry.source);
  // v1 kept checksums in [metadata] instead
  if (entry.checksum !== undefined && version >= 2) out += line("checksum", entry.checksum);
  return out;
}

function emitPackage(pkg: LockedPackage, version: LockfileVersion, counts: Counts): string {
  let out = `[[package]]\n${emitIdentity(pkg, version)}`;
  if (pkg.replace !== undefined) {
    const target = formatEncodedReference(encodeReference(pkg.replace, version, counts));
    return `${out}replace = ${tomlString(target)}\n\n`;
  }
  const deps = pkg.dependencies
    .map((dep) => encodeReference(dep, version, counts))
    .sort(compareEncodedReferences)
    .map(formatEncodedReference);
  if (deps.length > 0) {
    out += "dependencies = [\n";
    for (const dep of deps) out += ` ${tomlString(dep)},\n`;
    out += "]\n";
  }
  return `${out}\n`;
}

/** v1 listed every non-path package's checksum in [metadata], `<none>` when it had none. */
function v1Checksums(packages: readonly LockedPackage[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pkg of packages) {
    if (pkg.source === undefined) continue;
    const id = formatEncodedReference({
      name: pkg.name,
      version: pkg.version,
      source: referenceSource(pkg.source, 1),
    });
    out[`checksum ${id}`] = pkg.checksum ?? "<none>";
  }
  return out;
}

function emitMetadata(metadata: Record<string, string>): string {
  const keys = Object.keys(metadata).sort(compareUtf8);
  if (keys.length === 0) return "";
  let out = "[metadata]\n";
  for (const key of keys) out += `${tomlKey(key)} = ${tomlString(metadata[key]!)}\n`;
  return out;
}

export function formatLockfile(lock: Lockfile): string {
  const version = lock.version;
  const packages = [...lock.packages].sort(comparePackageIds);
  const counts = countVersions(packages);

  let out = `${GENERATED_MARKER}\n${GENERATED_NOTE}\n`;
  for (const comment of lock.extraComments ?? []) out += `${comment}\n`;
  if (version >= 3) out += `version = ${version}\n\n`;
  for (const pkg of packages) out += emitPackage(pkg, version, counts);
  for (const patch of lock.patchUnused ?? []) out += `[[patch.unused]]\n${emitIdentity(patch, version)}\n`;
  const metadata = version === 1 ? { ...lock.metadata, ...v1Checksums(packages) } : (lock.metadata ?? {});
  out += emitMetadata(metadata);
  // v1 files kept a stray blank line at the end; cargo preserves that quirk only for v1
  if (version >= 2) out = out.replace(/\n+$/, "\n");
  return out;
}
