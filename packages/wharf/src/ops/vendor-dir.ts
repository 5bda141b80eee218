/**
 * The file-system half of `wharf vendor`: opening the vendor directory, deciding what an
 * earlier run left there and may be deleted, and writing one package atomically (a fresh
 * `.vendor-staging-*` dir filled with exclusive, no-follow creates, then renamed into
 * place). Unlike cargo, which deletes every non-dot entry, wharf only ever deletes what
 * looks like its own earlier output (a real directory holding `.cargo-checksum.json`) and
 * refuses anything else before it writes a byte, and it never writes through a symlink.
 */
import { createHash } from "node:crypto";
import { constants } from "node:fs";
import { lstat, mkdir, mkdtemp, open, readdir, realpath, rename, rmdir } from "node:fs/promises";
import { join } from "node:path";
import { type CrateArchive, WharfError } from "@wharf/protocol";
import { removeTree } from "../cache/index.js";
import { checksumFileText, vendorThis } from "./vendor-format.js";

export const CHECKSUM_FILE = ".cargo-checksum.json";

async function lstatOrUndefined(path: string) {
  try {
    return await lstat(path);
  } catch {
    return undefined;
  }
}

export interface OpenedVendorDir {
  /** absolute; the real path when the directory already existed (cargo canonicalizes it) */
  dir: string;
  existedBefore: boolean;
  /** non-dot entries found there: the candidates for deletion */
  entries: string[];
}

/** Creates the vendor directory if needed and lists what an earlier run left in it. */
export async function openVendorDir(path: string): Promise<OpenedVendorDir> {
  const st = await lstatOrUndefined(path);
  let dir = path;
  if (st !== undefined) {
    dir = await realpath(path);
    const real = await lstat(dir);
    if (!real.isDirectory()) {
      throw new WharfError({
        code: "VENDOR_DIR_NOT_A_DIRECTORY",
        message: `the vendor destination \`${path}\` exists and is not a directory`,
        hint: "pass another path to `wharf vendor`",
      });
    }
  }
  await mkdir(dir, { recursive: true });
  const entries = (await readdir(dir)).filter((n) => !n.startsWith(".")).sort();
  return { dir, existedBefore: st !== undefined, entries };
}

/** Whether `path` is a package directory an earlier `vendor` run wrote (never follows a symlink). */
export async function isVendoredPackageDir(path: string): Promise<boolean> {
  const st = await lstatOrUndefined(path);
  if (!st?.isDirectory()) return false;
  return (await lstatOrUndefined(join(path, CHECKSUM_FILE)))?.isFile() === true;
}

/** Refuses (naming the first) entries of the vendor dir that are not earlier vendor output. */
export async function checkDeletable(dir: string, names: Iterable<string>, why: string): Promise<void> {
  for (const name of names) {
    const path = join(dir, name);
    if (await isVendoredPackageDir(path)) continue;
    const st = await lstatOrUndefined(path);
    const what = st?.isSymbolicLink()
      ? "a symbolic link"
      : st?.isDirectory()
        ? `a directory without \`${CHECKSUM_FILE}\``
        : "not a directory";
    throw new WharfError({
      code: "VENDOR_REFUSE_DELETE",
      message: `refusing to ${why} \`${path}\`: it is ${what}, so not something \`vendor\` wrote`,
      notes: ["nothing was written to the vendor directory"],
      hint: "move it out of the vendor directory, delete it yourself, or pass --no-delete to keep existing entries",
    });
  }
}

export async function removeEntry(path: string): Promise<void> {
  await removeTree(path);
}

/** Removes the vendor dir again when this run created it and vendored nothing (cargo does too). */
export async function removeEmptyVendorDir(dir: string): Promise<void> {
  await rmdir(dir);
}

/**
 * Writes the vendored files of one registry package (the archive's, filtered as cargo
 * filters them) plus its `.cargo-checksum.json` into `<dir>/<dstName>`, replacing an earlier
 * copy (which the caller has checked is vendor output) only once the new one is complete.
 */
export async function writeVendoredPackage(options: {
  dir: string;
  dstName: string;
  archive: CrateArchive;
  packageChecksum: string | undefined;
}): Promise<void> {
  const { dir, dstName, archive } = options;
  const staging = await mkdtemp(join(dir, ".vendor-staging-"));
  // the package dir is a child of the (0700) temp dir so it gets ordinary permissions
  const pkgDir = join(staging, "package");
  try {
    await mkdir(pkgDir);
    const dirs = new Set<string>();
    const wanted = archive.directories.filter(vendorThis);
    for (const file of archive.files) {
      if (!vendorThis(file.path)) continue;
      const parts = file.path.split("/");
      for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join("/"));
    }
    for (const d of wanted) dirs.add(d);
    // parents before children: sorted order puts a prefix first
    for (const d of [...dirs].sort()) await mkdir(join(pkgDir, d), { recursive: true });

    const sums = new Map<string, string>();
    const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
    for (const file of archive.files) {
      if (!vendorThis(file.path)) continue;
      // the archive's permission bits, less the umask, as cargo's unpacker does
      const handle = await open(join(pkgDir, file.path), flags, file.mode & 0o777);
      try {
        await handle.writeFile(file.bytes);
      } finally {
        await handle.close();
      }
      sums.set(file.path, createHash("sha256").update(file.bytes).digest("hex"));
    }
    // a crate shipping its own .cargo-checksum.json gets it replaced, as cargo replaces it
    const cksumPath = join(pkgDir, CHECKSUM_FILE);
    const cksumText = checksumFileText(sums, options.packageChecksum);
    const handle = await open(
      cksumPath,
      constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW,
      0o666,
    );
    try {
      await handle.writeFile(cksumText);
    } finally {
      await handle.close();
    }

    const dst = join(dir, dstName);
    if ((await lstatOrUndefined(dst)) !== undefined) await removeTree(dst);
    await rename(pkgDir, dst);
  } finally {
    // gone after a successful rename; otherwise the half-written copy goes
    await removeTree(staging);
  }
}
