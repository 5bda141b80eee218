/**
 * cargo's `build_ar_list`: the packaged files plus what packaging generates. The package's
 * Cargo.toml is shipped as Cargo.toml.orig and replaced by the normalized one; Cargo.lock
 * is always generated; `.cargo_vcs_info.json` when in git; the readme and license file are
 * added when the rules left them out (from outside the package they land in its root).
 * Entries are sorted by path component. Pure: file questions go through `isFile`.
 */
import { compareArchivePaths, joinPath, normalizePath, WharfError } from "@wharf/protocol";
import type { SourceFile } from "./list-files.js";

export type ArchiveContents =
  | { kind: "disk"; absPath: string; executable: boolean }
  | { kind: "manifest" }
  | { kind: "lockfile" }
  | { kind: "vcs-info" };

export interface ArchiveEntry {
  relPath: string;
  contents: ArchiveContents;
}

export interface ArchiveListInput {
  root: string;
  manifestPath: string;
  files: readonly SourceFile[];
  readme?: string | undefined;
  licenseFile?: string | undefined;
  /** build script paths relative to the root */
  buildScripts: readonly string[];
  hasVcsInfo: boolean;
  includeLockfile: boolean;
  isFile: (absPath: string) => boolean;
  /** whether an absolute path is executable (for readme/license files found outside the list) */
  isExecutable: (absPath: string) => boolean;
  warn: (message: string) => void;
}

const RESERVED = new Set([".cargo_vcs_info.json", "Cargo.toml.orig"]);
const BAD_CHARS = ["/", "\\", "<", ">", ":", '"', "|", "?", "*"];

function checkFilename(rel: string): void {
  const name = rel.split("/").at(-1) ?? rel;
  const bad = BAD_CHARS.find((c) => name.includes(c));
  if (bad !== undefined) {
    throw new WharfError({
      code: "PACKAGE_BAD_FILENAME",
      message: `cannot package a filename with a special character \`${bad}\`: ${rel}`,
    });
  }
}

export function buildArchiveList(input: ArchiveListInput): ArchiveEntry[] {
  const result: ArchiveEntry[] = [];
  let hasManifest = false;
  for (const file of input.files) {
    checkFilename(file.relPath);
    if (file.relPath === "Cargo.lock") continue;
    if (RESERVED.has(file.relPath)) {
      throw new WharfError({
        code: "PACKAGE_RESERVED_FILE",
        message: `invalid inclusion of reserved file name ${file.relPath} in package source`,
      });
    }
    if (file.relPath === "Cargo.toml") {
      hasManifest = true;
      continue;
    }
    result.push({
      relPath: file.relPath,
      contents: { kind: "disk", absPath: file.absPath, executable: file.executable },
    });
  }
  if (hasManifest) {
    result.push({
      relPath: "Cargo.toml.orig",
      contents: { kind: "disk", absPath: input.manifestPath, executable: false },
    });
    result.push({ relPath: "Cargo.toml", contents: { kind: "manifest" } });
  } else {
    input.warn("no `Cargo.toml` file found when packaging (note the case of the file name).");
  }
  if (input.includeLockfile) result.push({ relPath: "Cargo.lock", contents: { kind: "lockfile" } });
  if (input.hasVcsInfo) result.push({ relPath: ".cargo_vcs_info.json", contents: { kind: "vcs-info" } });

  const missing: string[] = [];
  const addMetadataFile = (label: string, value: string | undefined) => {
    if (value === undefined) return;
    const abs = normalizePath(joinPath(input.root, value));
    if (!input.isFile(abs)) {
      const rel = value.startsWith("/") ? "" : ` (relative to \`${input.root}\`)`;
      missing.push(
        `${label} \`${value}\` does not appear to exist${rel}.\nPlease update the ${label} setting in the manifest at \`${input.manifestPath}\`.`,
      );
      return;
    }
    const prefix = `${input.root}/`;
    if (abs.startsWith(prefix)) {
      const rel = abs.slice(prefix.length);
      if (!result.some((e) => e.relPath === rel)) {
        result.push({
          relPath: rel,
          contents: { kind: "disk", absPath: abs, executable: input.isExecutable(abs) },
        });
      }
      return;
    }
    const name = value.split("/").at(-1) ?? value;
    if (result.some((e) => e.relPath === name)) {
      input.warn(
        `${label} \`${value}\` appears to be a path outside of the package, but there is already a file named \`${name}\` in the root of the package. The archived crate will contain the copy in the root of the package. Update the ${label} to point to the path relative to the root of the package to remove this warning.`,
      );
    } else {
      result.push({
        relPath: name,
        contents: { kind: "disk", absPath: abs, executable: input.isExecutable(abs) },
      });
    }
  };
  addMetadataFile("license-file", input.licenseFile);
  addMetadataFile("readme", input.readme);
  if (missing.length > 0) {
    throw new WharfError({ code: "PACKAGE_MISSING_FILE", message: missing.join("\n") });
  }
  for (const script of input.buildScripts) {
    const abs = normalizePath(joinPath(input.root, script));
    if (!input.isFile(abs) || !abs.startsWith(`${input.root}/`)) {
      throw new WharfError({
        code: "PACKAGE_BUILD_SCRIPT_OUTSIDE",
        message: `the source file of build script \`${script}\` doesn't appear to be a path inside of the package`,
        hint: `update the \`build\` setting in the manifest at \`${input.manifestPath}\` to point to a path inside the package root`,
      });
    }
  }
  return result.sort((a, b) => compareArchivePaths(a.relPath, b.relPath));
}
