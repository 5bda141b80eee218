/**
 * `wharf package`: list (`--list`) or assemble each selected package into
 * target/package/<name>-<version>.crate as cargo does: the same files, the normalized
 * Cargo.toml, the generated Cargo.lock and VCS info, byte-identical tar for the same input.
 * Then the verify step (see package-verify.ts) unless --no-verify.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Package, writeCrateArchive } from "@wharf/protocol";
import type { CliContext } from "../cli/context.js";
import type { LoadedCargoConfig } from "../config/index.js";
import type { Workspace } from "../workspace/index.js";
import { loadConfigFor, loadWorkspaceFor, targetDirOf } from "./load.js";
import { packagedLockText, unpackForLock } from "./package-lock.js";
import {
  archiveContents,
  type CrateFile,
  type PackageSelection,
  type PreparedPackage,
  preparePackage,
  selectPackages,
} from "./package-prepare.js";
import { verifyPackage } from "./package-verify.js";

export interface PackageOptions extends PackageSelection {
  manifestPath?: string | undefined;
  list: boolean;
  allowDirty: boolean;
  noVerify: boolean;
}

export interface PackagedCrate {
  prepared: PreparedPackage;
  files: CrateFile[];
  bytes: Uint8Array;
  /** where the .crate was written */
  path: string;
}

function humanBytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB"];
  let value = n;
  let i = 0;
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024;
    i++;
  }
  return i === 0 ? `${value}B` : `${value.toFixed(1)}${units[i]}`;
}

/** Builds one package's .crate (files, lock, tar) and writes it; verification is the caller's. */
export async function assembleCrate(
  ctx: CliContext,
  config: LoadedCargoConfig,
  ws: Workspace,
  prepared: PreparedPackage,
  options: { verify: boolean },
): Promise<PackagedCrate> {
  const { pkg } = prepared;
  ctx.shell.status("Packaging", `${pkg.name} v${pkg.version} (${pkg.root})`);
  const withoutLock = archiveContents(prepared, "");
  const unpacked = unpackForLock(prepared, withoutLock);
  try {
    const lockText = await packagedLockText(ctx, ws, unpacked);
    const files = archiveContents(prepared, lockText);
    writeFileSync(join(unpacked.dir, "Cargo.lock"), lockText);
    const bytes = writeCrateArchive(pkg.name, pkg.version, files);
    const targetDir = targetDirOf(ws, config);
    const dir = join(targetDir, "package");
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `${pkg.name}-${pkg.version}.crate`);
    writeFileSync(path, bytes);
    const size = files.reduce((n, f) => n + f.bytes.length, 0);
    ctx.shell.status(
      "Packaged",
      `${files.length} files, ${humanBytes(size)} (${humanBytes(bytes.length)} compressed)`,
    );
    if (options.verify) await verifyPackage(ctx, { pkg, crateFile: path, targetDir });
    return { prepared, files, bytes, path };
  } finally {
    unpacked.cleanup();
  }
}

export async function packageCommand(ctx: CliContext, options: PackageOptions): Promise<PackagedCrate[]> {
  const config = loadConfigFor(ctx);
  const ws = loadWorkspaceFor(ctx, config, options.manifestPath);
  const selected: Package[] = selectPackages(ws, options);
  const out: PackagedCrate[] = [];
  for (const pkg of selected) {
    const prepared = await preparePackage(ctx, config, ws, pkg, {
      allowDirty: options.allowDirty,
      listOnly: options.list,
    });
    if (options.list) {
      for (const e of prepared.entries) ctx.shell.out(`${e.relPath}\n`);
      continue;
    }
    out.push(await assembleCrate(ctx, config, ws, prepared, { verify: !options.noVerify }));
  }
  return out;
}
