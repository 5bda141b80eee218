/**
 * The metadata operation as the CLI calls it: load config and workspace (resolving and
 * downloading dependencies unless `--no-deps`), return the JSON.
 */
import { WharfError } from "@wharf/protocol";
import type { CliContext } from "../cli/context.js";
import { buildDirOf, loadConfigFor, loadWorkspaceFor, targetDirOf } from "./load.js";
import { checkFormatVersion, type Json, workspaceMetadata } from "./metadata.js";
import { parseCliFeatures } from "./metadata-features.js";

export interface MetadataCommandOptions {
  noDeps: boolean;
  formatVersion: string;
  manifestPath?: string | undefined;
  features: readonly string[];
  allFeatures: boolean;
  noDefaultFeatures: boolean;
  filterPlatforms: readonly string[];
}

export async function metadataCommand(ctx: CliContext, options: MetadataCommandOptions): Promise<Json> {
  const version = Number(options.formatVersion);
  if (!Number.isInteger(version)) {
    throw new WharfError({
      code: "CLI_INVALID_ARGUMENT",
      message: `invalid value '${options.formatVersion}' for '--format-version <VERSION>'`,
      hint: "possible values: 1",
      exitCode: 1,
    });
  }
  const features = parseCliFeatures(options.features, options.allFeatures, options.noDefaultFeatures);
  if (options.noDeps) {
    const config = loadConfigFor(ctx);
    const ws = loadWorkspaceFor(ctx, config, options.manifestPath);
    const targetDir = targetDirOf(ws, config);
    const buildDir = buildDirOf(ws, config, targetDir);
    return workspaceMetadata(ws, { formatVersion: version, targetDir, buildDir });
  }
  checkFormatVersion(version);
  // the resolver, HTTP client and cache load only when dependencies are asked for
  const { resolvedMetadata } = await import("./metadata-resolve.js");
  const { rw, packages, resolve } = await resolvedMetadata(ctx, {
    manifestPath: options.manifestPath,
    features,
    filterPlatforms: options.filterPlatforms,
  });
  const targetDir = targetDirOf(rw.ws, rw.config);
  const buildDir = buildDirOf(rw.ws, rw.config, targetDir);
  return workspaceMetadata(rw.ws, {
    formatVersion: version,
    targetDir,
    buildDir,
    resolved: { packages, resolve },
  });
}
