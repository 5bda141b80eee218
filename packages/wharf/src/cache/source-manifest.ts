/**
 * The integrity manifest of one extracted crate: every file's path, size, mode and sha256,
 * and every directory. It lives beside the source dir (not inside, so a build sees exactly
 * the crate's files) and is what a build checks the sources against. Checking hashes
 * every file: mtimes and sizes are no evidence, anyone with write access can reset them.
 * A tree that passed a full check gets a stamp of each file's inode, size, mtime and ctime
 * (ctime cannot be set back by anyone but the kernel: any write, chmod or utimes moves it),
 * and a later process whose scan finds every one of those unchanged skips the hashing.
 */
import { createHash } from "node:crypto";
import { lstat, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "./atomic-write.js";

export const SOURCE_MANIFEST_FORMAT = 1;

export interface SourceManifestFile {
  /** relative, `/`-separated */
  path: string;
  size: number;
  /** permission bits as installed (0444 or 0555) */
  mode: number;
  sha256: string;
}

export interface SourceManifest {
  format: typeof SOURCE_MANIFEST_FORMAT;
  name: string;
  version: string;
  /** the sha256 of the .crate the files came from */
  sha256: string;
  files: SourceManifestFile[];
  /** every directory below the root, relative, sorted */
  dirs: string[];
}

/** What is wrong with an extracted tree, naming the first file concerned. */
export interface SourceMismatch {
  /** relative path inside the source dir ("" for the dir itself) */
  file: string;
  reason: "missing" | "added" | "modified" | "mode" | "not-a-regular-file" | "no-manifest";
}

/** Bounds the walk of a tree that may have been tampered with (e.g. a planted deep chain). */
const MAX_SCAN_ENTRIES = 100_000;
const MAX_SCAN_DEPTH = 256;

export function parseSourceManifest(text: string): SourceManifest | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof raw !== "object" || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  if (r.format !== SOURCE_MANIFEST_FORMAT) return undefined;
  if (typeof r.name !== "string" || typeof r.version !== "string" || typeof r.sha256 !== "string")
    return undefined;
  if (!Array.isArray(r.files) || !Array.isArray(r.dirs)) return undefined;
  const files: SourceManifestFile[] = [];
  for (const f of r.files as unknown[]) {
    if (typeof f !== "object" || f === null) return undefined;
    const e = f as Record<string, unknown>;
    if (
      typeof e.path !== "string" ||
      typeof e.size !== "number" ||
      typeof e.mode !== "number" ||
      typeof e.sha256 !== "string"
    )
      return undefined;
    files.push({ path: e.path, size: e.size, mode: e.mode, sha256: e.sha256 });
  }
  const dirs: string[] = [];
  for (const d of r.dirs as unknown[]) {
    if (typeof d !== "string") return undefined;
    dirs.push(d);
  }
  return { format: SOURCE_MANIFEST_FORMAT, name: r.name, version: r.version, sha256: r.sha256, files, dirs };
}

export async function readSourceManifest(path: string): Promise<SourceManifest | undefined> {
  try {
    return parseSourceManifest(await readFile(path, "utf8"));
  } catch {
    return undefined;
  }
}

interface ScannedTree {
  files: Map<string, { size: number; mode: number; stamp: string }>;
  dirs: Set<string>;
  /** symlinks, devices, FIFOs: never written by extraction */
  others: string[];
}

async function scanTree(root: string): Promise<ScannedTree> {
  const tree: ScannedTree = { files: new Map(), dirs: new Set(), others: [] };
  let budget = MAX_SCAN_ENTRIES;
  const walk = async (rel: string, depth: number): Promise<void> => {
    if (depth > MAX_SCAN_DEPTH) {
      tree.others.push(rel);
      return;
    }
    const entries = await readdir(rel === "" ? root : join(root, rel), { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (--budget < 0) {
        tree.others.push(rel);
        return;
      }
      const path = rel === "" ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) {
        tree.dirs.add(path);
        await walk(path, depth + 1);
      } else if (entry.isFile()) {
        const st = await lstat(join(root, path), { bigint: true });
        tree.files.set(path, {
          size: Number(st.size),
          mode: Number(st.mode & 0o7777n),
          stamp: `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`,
        });
      } else {
        tree.others.push(path);
      }
    }
  };
  await walk("", 0);
  return tree;
}

async function hashFile(path: string): Promise<string> {
  return createHash("sha256")
    .update(await readFile(path))
    .digest("hex");
}

/** The stamp of a tree: one line per file (path, then device:inode:size:mtime:ctime). */
function stampOf(tree: ScannedTree, manifest: SourceManifest): string {
  const lines = [`${manifest.sha256}`];
  for (const path of [...tree.files.keys()].sort()) lines.push(`${path}\t${tree.files.get(path)!.stamp}`);
  return `${lines.join("\n")}\n`;
}

/**
 * Compares a tree with its manifest; undefined when they agree. Every file is hashed unless
 * `stampPath` holds a stamp equal to the tree's now (written after each full check).
 */
export async function checkSourceTree(
  root: string,
  manifest: SourceManifest,
  options: { stampPath?: string } = {},
): Promise<SourceMismatch | undefined> {
  const tree = await scanTree(root);
  const other = tree.others[0];
  if (other !== undefined) return { file: other, reason: "not-a-regular-file" };
  const expectedFiles = new Map(manifest.files.map((f) => [f.path, f]));
  for (const path of tree.files.keys()) {
    if (!expectedFiles.has(path)) return { file: path, reason: "added" };
  }
  const expectedDirs = new Set(manifest.dirs);
  for (const dir of tree.dirs) {
    if (!expectedDirs.has(dir)) return { file: dir, reason: "added" };
  }
  for (const dir of expectedDirs) {
    if (!tree.dirs.has(dir)) return { file: dir, reason: "missing" };
  }
  for (const expected of manifest.files) {
    const actual = tree.files.get(expected.path);
    if (actual === undefined) return { file: expected.path, reason: "missing" };
    if (actual.size !== expected.size) return { file: expected.path, reason: "modified" };
    if (actual.mode !== expected.mode) return { file: expected.path, reason: "mode" };
  }
  const stamp = stampOf(tree, manifest);
  if (options.stampPath !== undefined) {
    const previous = await readFile(options.stampPath, "utf8").catch(() => undefined);
    if (previous === stamp) return undefined;
  }
  // sizes and modes first (cheap), then the hashes that actually prove the content
  for (const expected of manifest.files) {
    if ((await hashFile(join(root, expected.path))) !== expected.sha256) {
      return { file: expected.path, reason: "modified" };
    }
  }
  if (options.stampPath !== undefined)
    await writeFileAtomic(options.stampPath, stamp, { mode: 0o600, sync: false });
  return undefined;
}
