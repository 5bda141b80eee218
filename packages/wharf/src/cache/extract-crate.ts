/**
 * .crate -> read-only source tree. The archive is read and checked in memory first
 * (readCrateArchive refuses every archive threat), then written into a fresh temp dir
 * inside the cache with exclusive, no-follow creates, made read-only, and renamed into
 * place with its manifest. On any error the temp dir is removed and nothing else has been
 * touched, so a hostile archive can never leave anything behind.
 */
import { createHash, randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { chmod, mkdir, mkdtemp, open, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { type ArchiveLimits, readCrateArchive, WharfError } from "@wharf/protocol";
import { writeFileAtomic } from "./atomic-write.js";
import { withCacheLock } from "./cache-lock.js";
import { type CachePaths, ensurePrivateDir } from "./cache-paths.js";
import type { CrateStore } from "./crate-store.js";
import { removeTree } from "./remove-tree.js";
import { SOURCE_MANIFEST_FORMAT, type SourceManifest, type SourceManifestFile } from "./source-manifest.js";

export interface CrateRef {
  name: string;
  version: string;
  /** sha256 of the .crate, as the index cksum and the lockfile record it */
  sha256: string;
}

export interface ExtractedCrate {
  /** the read-only source root, `src/<name>-<version>-<short sha>/` */
  dir: string;
  manifestPath: string;
  manifest: SourceManifest;
}

export interface ExtractOptions {
  limits?: Partial<ArchiveLimits>;
  allowCaseCollisions?: boolean;
  /** replace an existing tree (after a failed verification); default keeps a tree already in place */
  replace?: boolean;
}

const FILE_MODE = 0o444;
const EXEC_MODE = 0o555;
const DIR_MODE = 0o555;

export function sourceDirName(ref: CrateRef): string {
  return `${ref.name}-${ref.version}-${ref.sha256.slice(0, 12)}`;
}

export function sourceLocation(paths: CachePaths, ref: CrateRef): { dir: string; manifestPath: string } {
  const name = sourceDirName(ref);
  return { dir: join(paths.src, name), manifestPath: join(paths.src, `${name}.manifest.json`) };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

function parentsOf(path: string): string[] {
  const parts = path.split("/");
  const out: string[] = [];
  for (let i = 1; i < parts.length; i++) out.push(parts.slice(0, i).join("/"));
  return out;
}

export async function extractCrate(
  store: CrateStore,
  paths: CachePaths,
  ref: CrateRef,
  options: ExtractOptions = {},
): Promise<ExtractedCrate> {
  const bytes = await store.read(ref.sha256);
  if (bytes === undefined) {
    throw new WharfError({
      code: "CACHE_CRATE_MISSING",
      message: `\`${ref.name} v${ref.version}\` (sha256 ${ref.sha256}) is not in the .crate cache`,
      hint: "download it first",
    });
  }
  // all archive checks happen here, in memory, before anything is written
  const archive = readCrateArchive(bytes, {
    name: ref.name,
    version: ref.version,
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.allowCaseCollisions ? { allowCaseCollisions: true } : {}),
  });

  await ensurePrivateDir(paths.src);
  const location = sourceLocation(paths, ref);
  const tmp = await mkdtemp(join(paths.src, ".tmp-"));
  const tmpManifest = join(paths.src, `.tmp-manifest-${randomBytes(6).toString("hex")}.json`);
  try {
    const dirs = new Set<string>(archive.directories);
    for (const file of archive.files) for (const p of parentsOf(file.path)) dirs.add(p);
    const sortedDirs = [...dirs].sort();
    for (const dir of sortedDirs) await mkdir(join(tmp, dir), { recursive: true, mode: 0o700 });

    const files: SourceManifestFile[] = [];
    for (const entry of archive.files) {
      const mode = entry.mode & 0o111 ? EXEC_MODE : FILE_MODE;
      // O_EXCL + O_NOFOLLOW: the reader already refuses duplicates and links; this makes
      // a bug there fail loudly instead of writing through something unexpected
      const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
      const handle = await open(join(tmp, entry.path), flags, 0o600);
      try {
        await handle.writeFile(entry.bytes);
      } finally {
        await handle.close();
      }
      await chmod(join(tmp, entry.path), mode);
      files.push({
        path: entry.path,
        size: entry.bytes.length,
        mode,
        sha256: createHash("sha256").update(entry.bytes).digest("hex"),
      });
    }
    files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    // deepest first, so each dir is still writable while its children are chmodded
    for (const dir of [...sortedDirs].reverse()) await chmod(join(tmp, dir), DIR_MODE);
    await chmod(tmp, DIR_MODE);

    const manifest: SourceManifest = {
      format: SOURCE_MANIFEST_FORMAT,
      name: ref.name,
      version: ref.version,
      sha256: ref.sha256,
      files,
      dirs: sortedDirs,
    };
    await writeFileAtomic(tmpManifest, `${JSON.stringify(manifest)}\n`, { mode: 0o444 });

    await withCacheLock(paths.lockTarget, async () => {
      const present = (await exists(location.dir)) && (await exists(location.manifestPath));
      if (present && !options.replace) return; // another process finished first; ours is dropped below
      await removeTree(location.dir);
      await rm(location.manifestPath, { force: true });
      await rename(tmp, location.dir);
      await rename(tmpManifest, location.manifestPath);
    });
    return { dir: location.dir, manifestPath: location.manifestPath, manifest };
  } finally {
    // after a successful rename these are gone; otherwise they are all that was written
    await removeTree(tmp);
    await rm(tmpManifest, { force: true });
  }
}
