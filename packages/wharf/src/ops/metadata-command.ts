/**
 * The metadata operation as the CLI calls it: load the workspace from the context, print its
 * manifest warnings, and return the JSON document.
 */
import { resolve } from "node:path";
import { WharfError } from "@wharf/protocol";
import type { CliContext } from "../cli/context.js";
import { loadWorkspace, type Workspace } from "../workspace/index.js";
import { type Json, workspaceMetadata } from "./metadata.js";

export interface MetadataCommandOptions {
  noDeps: boolean;
  formatVersion: string;
  manifestPath?: string | undefined;
}

/** Loads the workspace for a command, printing every manifest warning once. */
export function loadWorkspaceFor(ctx: CliContext, manifestPath: string | undefined): Workspace {
  const ws = loadWorkspace({
    cwd: ctx.cwd,
    manifestPath,
    cargoHome: ctx.env.CARGO_HOME,
    registryIndex: (name) => {
      const envKey = `CARGO_REGISTRIES_${name.toUpperCase().replace(/[-.]/g, "_")}_INDEX`;
      const url = ctx.env[envKey];
      if (url) return url;
      throw new WharfError({
        code: "CONFIG_REGISTRY_UNKNOWN",
        message: `registry index was not found in any configuration: \`${name}\``,
        hint: `add \`[registries.${name}] index = "..."\` to .cargo/config.toml`,
      });
    },
  });
  for (const d of ws.diagnostics) ctx.shell.warn(d);
  return ws;
}

export function metadataCommand(ctx: CliContext, options: MetadataCommandOptions): Json {
  const version = Number(options.formatVersion);
  if (!Number.isInteger(version)) {
    throw new WharfError({
      code: "CLI_INVALID_ARGUMENT",
      message: `invalid value '${options.formatVersion}' for '--format-version <VERSION>'`,
      hint: "possible values: 1",
      exitCode: 1,
    });
  }
  const ws = loadWorkspaceFor(ctx, options.manifestPath);
  const envTarget = ctx.env.CARGO_TARGET_DIR ?? ctx.env.CARGO_BUILD_TARGET_DIR;
  const targetDir = envTarget ? resolve(ctx.cwd, envTarget) : `${ws.rootDir}/target`;
  const envBuild = ctx.env.CARGO_BUILD_BUILD_DIR;
  const buildDir = envBuild ? resolve(ctx.cwd, envBuild) : targetDir;
  return workspaceMetadata(ws, { noDeps: options.noDeps, formatVersion: version, targetDir, buildDir });
}
