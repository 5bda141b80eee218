/**
 * The part of `wharf package` that `publish` shares: pick the packages, list their files
 * as cargo does, check the git state, and turn the archive list into file contents (the
 * normalized Cargo.toml, .cargo_vcs_info.json, the generated Cargo.lock) ready for the
 * deterministic .crate writer.
 */
import { readFileSync, statSync } from "node:fs";
import { type Package, type TomlTable, WharfError } from "@wharf/protocol";
import type { CliContext } from "../cli/context.js";
import type { LoadedCargoConfig } from "../config/index.js";
import {
  type ArchiveEntry,
  buildArchiveList,
  checkRepoState,
  formatVcsInfo,
  listPackageFiles,
  publishManifestText,
  type SourceFile,
  type VcsInfo,
} from "../packager/index.js";
import { fsProbe, loadManifestFile, type Workspace } from "../workspace/index.js";
import { registryIndexResolver } from "./load.js";

export interface PackageSelection {
  packages: readonly string[];
  workspace: boolean;
}

/** `-p NAME[@VERSION]`, `--workspace`, else the package in the current directory (or the default members). */
export function selectPackages(ws: Workspace, selection: PackageSelection): Package[] {
  if (selection.workspace) return ws.members;
  if (selection.packages.length > 0) {
    return selection.packages.map((spec) => {
      const at = spec.indexOf("@");
      const name = at < 0 ? spec : spec.slice(0, at);
      const version = at < 0 ? undefined : spec.slice(at + 1);
      const found = ws.members.find(
        (m) => m.name === name && (version === undefined || m.version === version),
      );
      if (!found) {
        throw new WharfError({
          code: "PACKAGE_SPEC_NOT_FOUND",
          message: `package ID specification \`${spec}\` did not match any packages`,
          hint: `the workspace members are: ${ws.members.map((m) => m.name).join(", ")}`,
        });
      }
      return found;
    });
  }
  const current = ws.members.find((m) => m.manifestPath === ws.currentManifest);
  return current ? [current] : ws.defaultMembers;
}

export interface PreparedPackage {
  pkg: Package;
  entries: ArchiveEntry[];
  sourceFiles: SourceFile[];
  vcs: VcsInfo | undefined;
  manifestText: string;
}

export interface PrepareOptions {
  allowDirty: boolean;
  /** `--list`: the normalized manifest is not needed */
  listOnly: boolean;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function defaultResolverOf(edition: string): string {
  return edition === "2024" ? "3" : edition === "2021" ? "2" : "1";
}

/** The resolver the whole workspace uses: `resolver` where written, else from the root's edition. */
function workspaceResolver(ws: Workspace): string {
  if (ws.resolver !== undefined) return ws.resolver;
  const root = ws.members.find((m) => m.manifestPath === ws.rootManifest);
  return root ? defaultResolverOf(root.edition) : "1";
}

export async function preparePackage(
  ctx: CliContext,
  config: LoadedCargoConfig,
  ws: Workspace,
  pkg: Package,
  options: PrepareOptions,
): Promise<PreparedPackage> {
  const include = pkg.include ?? [];
  const exclude = pkg.exclude ?? [];
  if (include.length > 0 && exclude.length > 0) {
    ctx.shell.warn(
      "both package.include and package.exclude are specified; the exclude list will be ignored",
    );
  }
  const listed = await listPackageFiles({
    root: pkg.root,
    include,
    exclude: include.length > 0 ? [] : exclude,
    env: ctx.env,
    warn: (m) => ctx.shell.warn(m),
  });
  const outside = [pkg.metadata.readme, pkg.metadata.licenseFile]
    .filter((p): p is string => p !== undefined)
    .map((p) => (p.startsWith("/") ? p : `${pkg.root}/${p}`));
  outside.push(ws.rootManifest);
  const vcs = listed.repo
    ? await checkRepoState({
        repo: listed.repo,
        root: pkg.root,
        files: listed.files,
        outsideFiles: outside,
        allowDirty: options.allowDirty,
        cwd: ctx.cwd,
        env: ctx.env,
      })
    : undefined;
  const entries = buildArchiveList({
    root: pkg.root,
    manifestPath: pkg.manifestPath,
    files: listed.files,
    readme: pkg.metadata.readme,
    licenseFile: pkg.metadata.licenseFile,
    buildScripts: pkg.targets
      .filter((t) => t.kind === "custom-build")
      .map((t) => t.srcPath.slice(pkg.root.length + 1)),
    hasVcsInfo: vcs !== undefined,
    includeLockfile: true,
    isFile,
    isExecutable: (p) => (statSync(p).mode & 0o100) !== 0,
    warn: (m) => ctx.shell.warn(m),
  });
  let manifestText = "";
  if (!options.listOnly) {
    const own = loadManifestFile(pkg.manifestPath).parsed;
    const root = ws.rootManifest === pkg.manifestPath ? own : loadManifestFile(ws.rootManifest).parsed;
    const workspaceRaw = root.raw.workspace as TomlTable | undefined;
    manifestText = publishManifestText({
      manifest: own.manifest,
      raw: own.raw,
      workspace: root.manifest.workspace,
      workspaceRaw,
      root: pkg.root,
      name: pkg.name,
      edition: pkg.edition,
      readme: pkg.metadata.readme,
      licenseFile: pkg.metadata.licenseFile,
      workspaceResolver: workspaceResolver(ws),
      packagedFiles: new Set(entries.map((e) => e.relPath)),
      registryIndex: registryIndexResolver(config),
      probe: fsProbe,
      warn: (m) => ctx.shell.warn(m),
    });
  }
  return { pkg, entries, sourceFiles: listed.files, vcs, manifestText };
}

export interface CrateFile {
  path: string;
  bytes: Uint8Array;
  executable: boolean;
}

function entryBytes(prepared: PreparedPackage, entry: ArchiveEntry, lockText: string): Uint8Array {
  const c = entry.contents;
  if (c.kind === "manifest") return new TextEncoder().encode(prepared.manifestText);
  if (c.kind === "lockfile") return new TextEncoder().encode(lockText);
  if (c.kind === "vcs-info") return new TextEncoder().encode(formatVcsInfo(prepared.vcs!));
  try {
    return readFileSync(c.absPath);
  } catch (cause) {
    throw new WharfError({
      code: "PACKAGE_READ",
      message: `failed to open for archiving: \`${c.absPath}\``,
      cause,
    });
  }
}

/** The bytes of every archive entry; the lock text comes from `lockText` (see package-lock.ts). */
export function archiveContents(prepared: PreparedPackage, lockText: string): CrateFile[] {
  return prepared.entries.map((entry) => ({
    path: entry.relPath,
    bytes: entryBytes(prepared, entry, lockText),
    executable: entry.contents.kind === "disk" && entry.contents.executable,
  }));
}
