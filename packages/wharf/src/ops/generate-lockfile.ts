/**
 * `wharf generate-lockfile`: resolve the whole workspace from scratch (newest compatible
 * versions, every feature, dev-dependencies of members) and write Cargo.lock exactly as
 * cargo 1.95 would, with the version encoding cargo picks for the workspace's lowest
 * rust-version. The status lines are cargo's (see lock-status.ts).
 */
import type { CliContext } from "../cli/context.js";
import { printLockfileChanges } from "./lock-status.js";
import { resolveWorkspace, writeLockfile } from "./resolve-workspace.js";

export interface GenerateLockfileOptions {
  manifestPath?: string | undefined;
}

export async function generateLockfile(
  ctx: CliContext,
  options: GenerateLockfileOptions,
): Promise<{ path: string; packages: number }> {
  const rw = await resolveWorkspace(ctx, options.manifestPath, { previous: "ignore" });
  try {
    writeLockfile(ctx, rw);
    printLockfileChanges(ctx, rw, { mode: "generate" });
    return { path: rw.lockPath, packages: rw.lockPackages.length };
  } finally {
    await rw.registry.close();
  }
}
