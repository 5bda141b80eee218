/**
 * The lines cargo prints about a lock file change (cargo_update.rs): `Locking N packages
 * to latest [Rust X ]compatible versions`, then one `Adding` / `Updating` / `Downgrading` /
 * `Removing` line per changed package. After a resolve that merely syncs the lock with the
 * manifests (every command but update) nothing is printed when nothing new was locked, and
 * member packages and removals are not listed; `update` always prints the Locking line and
 * lists removals too; generate-lockfile lists nothing past the Locking line.
 */
import type { CliContext } from "../cli/context.js";
import type { ResolvedWorkspace } from "./resolve-workspace.js";
import { checkNewLockPackages } from "./typosquat-check.js";

export function printLockfileChanges(
  ctx: CliContext,
  rw: ResolvedWorkspace,
  options: { mode: "generate" | "sync" | "update"; precise?: boolean | undefined },
): void {
  // with no lock file before, every command reports as generate-lockfile does (cargo's print_lockfile_generation)
  const mode = options.mode === "sync" && rw.previous === undefined ? "generate" : options.mode;
  checkNewLockPackages(ctx, rw);
  const changes = rw.changes;
  const count = changes.filter((c) => c.kind !== "Removing" && (mode === "update" || c.counted)).length;
  if (mode !== "update" && count === 0) return;
  if (!options.precise) {
    const plural = count === 1 ? "" : "s";
    const rust = rw.rustVersion === undefined ? "" : ` Rust ${rw.rustVersion}`;
    ctx.shell.status("Locking", `${count} package${plural} to latest${rust} compatible version${plural}`);
  }
  // a fresh lock lists only additions with something to say (wharf has no such notes yet)
  if (mode === "generate") return;
  for (const c of changes) {
    if (mode === "sync" && (c.kind === "Removing" || !c.counted)) continue;
    ctx.shell.status(c.kind, c.text);
  }
}
