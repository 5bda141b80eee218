/**
 * Judging file-system access by where the path comes from: writes belong in OUT_DIR, reads
 * of credentials or the home directory never belong in a build. Also which std calls read,
 * write or probe paths, and which of their arguments is the path.
 */
import type { BuildFindingSeverity } from "./build-script-finding.js";
import { hasKind, type Origin } from "./build-script-origins.js";
import { isSystemLibraryPath } from "./build-script-rules.js";

export interface PathVerdict {
  severity: BuildFindingSeverity;
  why: string;
}

/** `fs::write(path, ..)`-style calls: the index of the target path and of the data. */
const WRITE_CALLS: ReadonlyArray<readonly [RegExp, number, number | undefined]> = [
  [/(?:^|::)fs::write$/, 0, 1],
  [/(?:^|::)File::create(?:_new)?$/, 0, undefined],
  [
    /(?:^|::)fs::(?:create_dir|create_dir_all|remove_file|remove_dir|remove_dir_all|set_permissions)$/,
    0,
    undefined,
  ],
  [/(?:^|::)fs::(?:copy|rename|hard_link|soft_link)$/, 1, 0],
  [/(?:^|::)(?:unix::fs::)?symlink(?:_file|_dir)?$/, 1, 0],
];

const READ_CALLS =
  /(?:^|::)(?:fs::(?:read|read_to_string|read_dir|read_link|copy|hard_link)|File::open|fs::File::open)$/;

export function writeCall(fn: string): { target: number; data: number | undefined } | undefined {
  for (const [re, target, data] of WRITE_CALLS) if (re.test(fn)) return { target, data };
  return undefined;
}

export function isReadCall(fn: string): boolean {
  return READ_CALLS.test(fn);
}

function literalPaths(origins: readonly Origin[]): string[] {
  return origins.filter((o) => o.kind === "literal").map((o) => o.detail);
}

export function judgeWrite(origins: readonly Origin[]): PathVerdict | undefined {
  const cred = hasKind(origins, "credential");
  if (cred) return { severity: "high", why: `writes to a credential location (${cred.detail})` };
  const home = hasKind(origins, "home", "cargo-home");
  if (home)
    return { severity: "high", why: `writes under the home directory (${home.detail}), outside OUT_DIR` };
  const temp = hasKind(origins, "temp");
  if (temp)
    return { severity: "high", why: `writes to a temporary directory (${temp.detail}), outside OUT_DIR` };
  const inOutDir = hasKind(origins, "out-dir") !== undefined;
  const abs = hasKind(origins, "absolute");
  if (abs && !inOutDir)
    return { severity: "high", why: `writes to the absolute path ${abs.detail}, outside OUT_DIR` };
  if (inOutDir) {
    const climb = literalPaths(origins).find((p) => /(?:^|[\\/])\.\.(?:[\\/]|$)/.test(p));
    return climb === undefined
      ? undefined
      : { severity: "medium", why: `writes to \`${climb}\` relative to OUT_DIR, which climbs out of it` };
  }
  if (hasKind(origins, "manifest-dir")) {
    return { severity: "medium", why: "writes into the package's source directory (CARGO_MANIFEST_DIR)" };
  }
  const env = hasKind(origins, "env", "secret-env");
  if (env) return { severity: "medium", why: `writes to a path taken from $${env.detail}, not OUT_DIR` };
  const rel = literalPaths(origins)[0];
  if (rel !== undefined)
    return { severity: "medium", why: `writes to \`${rel}\` in the package directory, not OUT_DIR` };
  return { severity: "info", why: "writes to a path that could not be traced to OUT_DIR" };
}

export function judgeRead(origins: readonly Origin[]): PathVerdict | undefined {
  const cred = hasKind(origins, "credential");
  if (cred) return { severity: "high", why: `reads a credential location (${cred.detail})` };
  const home = hasKind(origins, "home", "cargo-home");
  if (home) return { severity: "high", why: `reads under the home directory (${home.detail})` };
  if (hasKind(origins, "out-dir", "manifest-dir")) return undefined;
  const abs = hasKind(origins, "absolute");
  if (abs) {
    if (/^\/(?:root|home|Users)(?:\/|$)|^[A-Za-z]:[\\/]Users/i.test(abs.detail)) {
      return { severity: "high", why: `reads from a user's home directory (${abs.detail})` };
    }
    if (isSystemLibraryPath(abs.detail))
      return { severity: "info", why: `reads the system path ${abs.detail}` };
    return {
      severity: "medium",
      why: `reads the absolute path ${abs.detail}, outside the package and OUT_DIR`,
    };
  }
  const temp = hasKind(origins, "temp");
  if (temp) return { severity: "medium", why: `reads from a temporary directory (${temp.detail})` };
  return undefined;
}
