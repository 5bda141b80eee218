/**
 * The rust-versions a resolve should fit (cargo's `resolve_honors_rust_version` and the
 * `rust_versions` of its VersionPreferences): with resolver 3 (the default of edition 2024)
 * or `resolver.incompatible-rust-versions = "fallback"`, candidates whose rust-version fits
 * the members' rust-versions are tried first, or the local rustc's version when no member
 * declares one. `"allow"` turns it off, as does an older resolver.
 */
import { spawn } from "node:child_process";
import { WharfError } from "@wharf/protocol";
import type { CliContext } from "../cli/context.js";
import type { LoadedCargoConfig } from "../config/index.js";
import type { Workspace } from "../workspace/index.js";

function honorsRustVersion(config: LoadedCargoConfig, ws: Workspace): boolean {
  const setting = config.reader.getString("resolver.incompatible-rust-versions");
  if (setting !== undefined) {
    if (setting.value === "fallback") return true;
    if (setting.value === "allow") return false;
    throw new WharfError({
      code: "CONFIG_INVALID_VALUE",
      message: `\`resolver.incompatible-rust-versions\` must be "allow" or "fallback", not "${setting.value}"`,
    });
  }
  if (ws.resolver !== undefined) return ws.resolver === "3";
  if (ws.isVirtual) return false;
  const root = ws.members.find((m) => m.manifestPath === ws.rootManifest);
  return root !== undefined && root.edition >= "2024";
}

/** `rustc -vV`'s `release:` line, without spawning a shell; undefined when rustc is missing. */
function rustcVersion(ctx: CliContext): Promise<string | undefined> {
  const rustc = ctx.env.RUSTC ?? "rustc";
  return new Promise((resolve) => {
    const child = spawn(rustc, ["-vV"], {
      cwd: ctx.cwd,
      env: ctx.env as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "ignore"],
      timeout: 30_000,
    });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      if (out.length < 64 * 1024) out += d;
    });
    child.on("error", () => resolve(undefined));
    child.on("close", () => {
      const m = /^release: (\d+\.\d+\.\d+)/m.exec(out);
      resolve(m?.[1]);
    });
  });
}

export async function workspaceRustVersions(
  ctx: CliContext,
  config: LoadedCargoConfig,
  ws: Workspace,
): Promise<string[]> {
  if (!honorsRustVersion(config, ws)) return [];
  const declared = ws.members.flatMap((m) =>
    m.metadata.rustVersion === undefined ? [] : [m.metadata.rustVersion],
  );
  if (declared.length > 0) return declared;
  const local = await rustcVersion(ctx);
  return local === undefined ? [] : [local];
}
