/**
 * Which encoding cargo 1.95 writes (ResolveVersion::with_rust_version plus
 * write_pkg_lockfile): the workspace's lowest `rust-version` sets a floor (v4 from 1.83, v3
 * from 1.53, v2 from 1.41, else v1; v4 with none); a resolve merged with a previous lock file
 * keeps that file's version unless it is below the floor. Note that cargo does not rewrite a
 * lock file whose new text equals the old one, so an untouched v3 file stays v3 even under a
 * v4 floor: the caller compares texts before writing.
 */
import type { LockfileVersion } from "./lockfile.js";

export interface LockfileVersionOptions {
  /** the lowest `package.rust-version` among workspace members, as written (`1.70`, `1.56.1`) */
  rustVersion?: string | undefined;
  /** the version of the previous lock file when the new resolve was merged with it */
  previous?: LockfileVersion | undefined;
}

/** The floor a rust-version sets; an unreadable one is left to manifest validation. */
function floorFor(rustVersion: string | undefined): LockfileVersion {
  if (rustVersion === undefined) return 4;
  const m = /^(\d+)(?:\.(\d+))?/.exec(rustVersion);
  if (!m) return 4;
  const major = Number(m[1]);
  const minor = Number(m[2] ?? 0);
  const atLeast = (min: number) => major > 1 || (major === 1 && minor >= min);
  if (atLeast(83)) return 4;
  if (atLeast(53)) return 3;
  if (atLeast(41)) return 2;
  return 1;
}

export function lockfileVersionFor(options: LockfileVersionOptions): LockfileVersion {
  const floor = floorFor(options.rustVersion);
  const current = options.previous ?? floor;
  return Math.max(current, floor) as LockfileVersion;
}
