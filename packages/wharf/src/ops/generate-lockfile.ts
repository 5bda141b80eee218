/**
 * `wharf generate-lockfile`: resolve the whole workspace from scratch (newest compatible
 * versions, every feature, dev-dependencies of members) and write Cargo.lock exactly as
 * cargo 1.95 would, with the version encoding cargo picks for the workspace's lowest
 * rust-version.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import type { CliContext } from "../cli/context.js";
import { resolveWorkspace } from "./resolve-workspace.js";

export interface GenerateLockfileOptions {
  manifestPath?: string | undefined;
}

export async function generateLockfile(
  ctx: CliContext,
  options: GenerateLockfileOptions,
): Promise<{ path: string; packages: number }> {
  const {
    registry,
    lockText: text,
    lockPath: path,
    lockPackages: packages,
  } = await resolveWorkspace(ctx, options.manifestPath);
  try {
    const previous = existsSync(path) ? readFileSync(path, "utf8") : undefined;
    if (previous !== text) writeFileSync(path, text);
    const locked = packages.filter((p) => p.source.kind !== "path").length;
    ctx.shell.status(
      "Locking",
      `${locked} package${locked === 1 ? "" : "s"} to latest compatible version${locked === 1 ? "" : "s"}`,
    );
    return { path, packages: packages.length };
  } finally {
    await registry.close();
  }
}
