/**
 * Bounds a .crate must stay within before Wharf reads it. The defaults are generous for real
 * crates (the largest Debian-packaged crates are a few MiB) and small enough that a hostile
 * upload cannot exhaust a registry's memory.
 */

export interface ArchiveLimits {
  /** regular files plus directories; crates.io has nothing near this many in one crate */
  maxEntries: number;
  /** sum of the regular files' sizes, checked against the headers before any data is read */
  maxUnpackedBytes: number;
  /** decompressed bytes per compressed byte, enforced once the output passes `ratioFloorBytes` */
  maxRatio: number;
  /** small archives may compress arbitrarily well (a crate of empty files), so no ratio below this */
  ratioFloorBytes: number;
  /** a path longer than Linux's PATH_MAX cannot be extracted anyway */
  maxPathBytes: number;
  /** one pax extended header; real ones carry a path and maybe a size */
  maxPaxBytes: number;
}

export const DEFAULT_ARCHIVE_LIMITS: Readonly<ArchiveLimits> = Object.freeze({
  maxEntries: 20_000,
  maxUnpackedBytes: 512 * 1024 * 1024,
  maxRatio: 100,
  ratioFloorBytes: 1024 * 1024,
  maxPathBytes: 4096,
  maxPaxBytes: 64 * 1024,
});

export function resolveArchiveLimits(overrides: Partial<ArchiveLimits> | undefined): ArchiveLimits {
  return { ...DEFAULT_ARCHIVE_LIMITS, ...overrides };
}

/**
 * How many decompressed bytes the gunzip step may produce: the file data plus room for
 * every entry's header, a GNU long name or pax header and block padding. Anything beyond
 * this cannot be a valid archive within the limits, so inflating stops there (gzip bombs).
 */
export function maxTarBytes(limits: ArchiveLimits): number {
  const perEntryOverhead = 512 * 4 + limits.maxPathBytes;
  return limits.maxUnpackedBytes + limits.maxEntries * perEntryOverhead + 64 * 1024;
}
