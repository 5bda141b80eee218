/**
 * The resolver's way in: a finished resolve (packages with their SourceIds, checksums and
 * the package ids each depends on) -> a Lockfile, ready for formatLockfile. Package order
 * does not matter here; the formatter sorts as cargo does.
 */
import { formatSourceId, type SourceId, WharfError } from "@wharf/protocol";
import { encodeSource } from "./lock-source.js";
import type { LockedPackage, LockedPackageRef, Lockfile, LockfileVersion, UnusedPatch } from "./lockfile.js";

/** A package id as the resolver knows it (cargo's PackageId). */
export interface ResolvedPackageId {
  name: string;
  /** the version exactly as cargo displays it, build metadata included */
  version: string;
  source: SourceId;
}

/** One package of the resolve graph. */
export interface ResolvedPackage extends ResolvedPackageId {
  /** the commit a git source is locked to (written as `#commit` after the source) */
  precise?: string | undefined;
  /** sha256 of the .crate for registry packages; absent for path and git packages */
  checksum?: string | undefined;
  /** every package this one depends on (any kind: normal, build, dev), each once */
  dependencies: readonly ResolvedPackageId[];
  /** `[replace]`: the package that stands in for this one (then `dependencies` is ignored) */
  replace?: ResolvedPackageId | undefined;
}

export interface EncodeResolveInput {
  /** from lockfileVersionFor(): the rust-version floor and the previous lock file decide it */
  version: LockfileVersion;
  packages: readonly ResolvedPackage[];
  /** `[patch]` entries that matched nothing, in the order the resolver found them */
  unusedPatches?: readonly (ResolvedPackageId & { precise?: string; checksum?: string })[] | undefined;
  /** `[metadata]` carried over from the previous lock file */
  metadata?: Record<string, string> | undefined;
  /** extra top comments of the previous lock file, which cargo keeps */
  extraComments?: readonly string[] | undefined;
}

/** Identity of a package id; SourceIds compare without their locked commit, as in cargo. */
function idKey(id: ResolvedPackageId): string {
  return `${id.name}\u0000${id.version}\u0000${formatSourceId(id.source)}`;
}

export function encodeResolve(input: EncodeResolveInput): Lockfile {
  const { version } = input;
  const refs = new Map<string, LockedPackageRef>();
  for (const pkg of input.packages) {
    refs.set(idKey(pkg), {
      name: pkg.name,
      version: pkg.version,
      source: encodeSource(pkg.source, version, pkg.precise),
    });
  }
  const refTo = (from: ResolvedPackageId, id: ResolvedPackageId): LockedPackageRef => {
    const ref = refs.get(idKey(id));
    if (!ref) {
      throw new WharfError({
        code: "LOCKFILE_DANGLING_DEPENDENCY",
        message: `\`${from.name} ${from.version}\` depends on \`${id.name} ${id.version}\` (${formatSourceId(id.source)}), which is not in the resolve`,
        notes: ["this is a bug: every dependency of a resolve must itself be resolved"],
      });
    }
    return ref;
  };
  const packages: LockedPackage[] = input.packages.map((pkg) => {
    const own = refs.get(idKey(pkg))!;
    const locked: LockedPackage = { ...own, checksum: pkg.checksum, dependencies: [] };
    if (pkg.replace) locked.replace = refTo(pkg, pkg.replace);
    else {
      const deps = new Map<string, LockedPackageRef>();
      for (const dep of pkg.dependencies) deps.set(idKey(dep), refTo(pkg, dep));
      locked.dependencies = [...deps.values()];
    }
    return locked;
  });
  const lock: Lockfile = { version, packages };
  const unused: UnusedPatch[] = (input.unusedPatches ?? []).map((p) => ({
    name: p.name,
    version: p.version,
    source: encodeSource(p.source, version, p.precise),
    checksum: p.checksum,
  }));
  if (unused.length > 0) lock.patchUnused = unused;
  if (input.metadata && Object.keys(input.metadata).length > 0) lock.metadata = { ...input.metadata };
  if (input.extraComments && input.extraComments.length > 0) lock.extraComments = [...input.extraComments];
  return lock;
}
