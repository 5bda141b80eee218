/**
 * The verify step of `wharf package` / `wharf publish` (cargo's `run_verify`): unpack the
 * .crate just written into target/package/<name>-<version>/, build that copy on its own (an
 * ephemeral workspace, its packaged Cargo.lock, the workspace's target dir so the
 * dependencies' artifacts are reused) through the builder and its sandbox, and refuse the
 * package when the build fails or when it changed, added or removed any file of the unpacked
 * sources (a build script or proc macro writing outside OUT_DIR). `--no-verify` skips it.
 */
import { createHash } from "node:crypto";
import {
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { type Package, readCrateArchive, WharfError } from "@wharf/protocol";
import type { CliContext } from "../cli/context.js";
import { build } from "./build.js";

export interface VerifyRequest {
  pkg: Package;
  /** the .crate written to target/package; removed when verification fails, as cargo never keeps it */
  crateFile: string;
  /** the workspace's target dir: where the package is unpacked and built */
  targetDir: string;
}

/** cargo's `hash_all`: every file, symlink and directory below `root`, its top-level target/ aside. */
export function hashTree(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string, depth: number) => {
    for (const name of readdirSync(dir).sort()) {
      if (depth === 0 && name === "target") continue;
      const path = join(dir, name);
      const st = lstatSync(path);
      if (st.isSymbolicLink()) out.set(path, `link:${readlinkSync(path)}`);
      else if (st.isDirectory()) {
        out.set(path, "dir");
        walk(path, depth + 1);
      } else if (st.isFile()) out.set(path, createHash("sha256").update(readFileSync(path)).digest("hex"));
    }
  };
  walk(root, 0);
  return out;
}

/** cargo's `report_hash_difference`: Changed, Added, Removed, each sorted, one path a line. */
export function describeTreeChanges(before: Map<string, string>, after: Map<string, string>): string {
  const changed: string[] = [];
  const removed: string[] = [];
  for (const [path, hash] of before) {
    const now = after.get(path);
    if (now === undefined) removed.push(path);
    else if (now !== hash) changed.push(path);
  }
  const added = [...after.keys()].filter((p) => !before.has(p));
  const parts: string[] = [];
  for (const [label, list] of [
    ["Changed", changed],
    ["Added", added],
    ["Removed", removed],
  ] as const) {
    if (list.length > 0) parts.push(`${label}: ${[...list].sort().join("\n\t")}`);
  }
  return parts.join("\n");
}

/** Writes the archive's files (with their modes) into a fresh `dst`. */
function unpackCrate(pkg: Package, crateFile: string, dst: string): void {
  const archive = readCrateArchive(readFileSync(crateFile), {
    name: pkg.name,
    version: pkg.version,
    // our own archive: only the size check of publish applies, later and with a clear message
    limits: { maxUnpackedBytes: 2 * 1024 ** 3, maxEntries: 100_000, maxRatio: 1e9 },
  });
  rmSync(dst, { recursive: true, force: true });
  mkdirSync(dst, { recursive: true });
  for (const dir of archive.directories) mkdirSync(join(dst, ...dir.split("/")), { recursive: true });
  for (const f of archive.files) {
    const path = join(dst, ...f.path.split("/"));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.bytes, { mode: f.mode });
  }
}

async function buildUnpacked(ctx: CliContext, dst: string, targetDir: string): Promise<void> {
  const manifest = join(dst, "Cargo.toml");
  const packaged = readFileSync(manifest, "utf8");
  // an ephemeral workspace (as cargo makes one): never a member of the workspace around target/
  const ephemeral = `${packaged}\n[workspace]\n`;
  writeFileSync(manifest, ephemeral);
  try {
    await build(ctx, {
      manifestPath: manifest,
      mode: "build",
      selection: {
        packages: [],
        workspace: false,
        exclude: [],
        lib: false,
        bins: [],
        allBins: false,
        examples: [],
        allExamples: false,
        allTargets: false,
      },
      features: { features: [], allFeatures: false, defaultFeatures: true },
      profile: "dev",
      keepGoing: false,
      targetDir,
      messageFormat: "human",
    });
  } finally {
    // back to the packaged bytes, unless the build itself rewrote the manifest (reported below)
    if (readFileSync(manifest, "utf8") === ephemeral) writeFileSync(manifest, packaged);
  }
}

/** Unpacks and builds the package; throws (and removes the .crate) when it does not verify. */
export async function verifyPackage(ctx: CliContext, request: VerifyRequest): Promise<void> {
  const { pkg, crateFile, targetDir } = request;
  ctx.shell.status("Verifying", `${pkg.name} v${pkg.version} (${pkg.root})`);
  const dst = join(targetDir, "package", `${pkg.name}-${pkg.version}`);
  try {
    unpackCrate(pkg, crateFile, dst);
    const before = hashTree(dst);
    await buildUnpacked(ctx, dst, targetDir);
    const after = hashTree(dst);
    const changes = describeTreeChanges(before, after);
    if (changes !== "") {
      throw new WharfError({
        code: "PACKAGE_VERIFY_MODIFIED",
        message: `Source directory was modified by build.rs during verification. Build scripts should not modify anything outside of OUT_DIR.\n${changes}\n\nTo proceed despite this, pass the \`--no-verify\` flag.`,
      });
    }
  } catch (cause) {
    rmSync(crateFile, { force: true });
    // the build's own notes (a sandbox refusal naming what it refused) and hint stay visible
    throw new WharfError({
      code: "PACKAGE_VERIFY_FAILED",
      message: "failed to verify package tarball",
      cause,
      notes: cause instanceof WharfError ? cause.notes : undefined,
      hint: cause instanceof WharfError ? cause.hint : undefined,
    });
  }
}
