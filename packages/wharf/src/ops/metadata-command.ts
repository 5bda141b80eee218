/**
 * The metadata operation as the CLI calls it: load config and workspace, return the JSON.
 */
import { WharfError } from "@wharf/protocol";
import type { CliContext } from "../cli/context.js";
import { buildDirOf, loadConfigFor, loadWorkspaceFor, targetDirOf } from "./load.js";
import { type Json, workspaceMetadata } from "./metadata.js";

export interface MetadataCommandOptions {
  noDeps: boolean;
  formatVersion: string;
  manifestPath?: string | undefined;
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
  const config = loadConfigFor(ctx);
  const ws = loadWorkspaceFor(ctx, config, options.manifestPath);
  const targetDir = targetDirOf(ws, config);
  const buildDir = buildDirOf(ws, config, targetDir);
  return workspaceMetadata(ws, { noDeps: options.noDeps, formatVersion: version, targetDir, buildDir });
}
