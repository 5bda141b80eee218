/**
 * The Cargo.lock inside a .crate (cargo's `build_lock`): the package as it will be
 * published (its normalized manifest, path dependencies turned into registry ones) is
 * resolved on its own, preferring the versions the workspace's Cargo.lock already holds.
 * Done by unpacking the archive's files into a fresh temporary directory, which the verify
 * step can build as well; the caller removes it.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { CliContext } from "../cli/context.js";
import type { Workspace } from "../workspace/index.js";
import type { CrateFile, PreparedPackage } from "./package-prepare.js";
import { resolveWorkspace } from "./resolve-workspace.js";

export interface UnpackedPackage {
  /** `<tmp>/<name>-<version>`, holding every archive file but Cargo.lock until `lockText` is set */
  dir: string;
  cleanup(): void;
}

/** Writes the archive's files (the generated Cargo.lock aside) into a fresh temp dir. */
export function unpackForLock(prepared: PreparedPackage, files: readonly CrateFile[]): UnpackedPackage {
  const tmp = mkdtempSync(join(tmpdir(), "wharf-package-"));
  const dir = join(tmp, `${prepared.pkg.name}-${prepared.pkg.version}`);
  for (const f of files) {
    if (f.path === "Cargo.lock") continue;
    const path = join(dir, ...f.path.split("/"));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.bytes, { mode: f.executable ? 0o755 : 0o644 });
  }
  return { dir, cleanup: () => rmSync(tmp, { recursive: true, force: true }) };
}

/** Resolves the unpacked package on its own and returns the Cargo.lock text cargo would ship. */
export async function packagedLockText(
  ctx: CliContext,
  ws: Workspace,
  unpacked: UnpackedPackage,
): Promise<string> {
  const manifest = join(unpacked.dir, "Cargo.toml");
  // an ephemeral workspace of its own, as cargo makes one, never a member of something above
  writeFileSync(manifest, `${readText(manifest)}\n[workspace]\n`);
  const lock = join(ws.rootDir, "Cargo.lock");
  if (existsSync(lock)) copyFileSync(lock, join(unpacked.dir, "Cargo.lock"));
  try {
    const rw = await resolveWorkspace(ctx, manifest);
    await rw.registry.close();
    return rw.lockText;
  } finally {
    // the manifest goes back to the packaged bytes for whoever builds the unpacked copy
    writeFileSync(manifest, readText(manifest).replace(/\n\[workspace\]\n$/, ""));
  }
}

function readText(path: string): string {
  return readFileSync(path, "utf8");
}
