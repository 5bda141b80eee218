/**
 * The first steps every workspace command shares: read cargo's configuration for the
 * current directory, then load the workspace with it, printing the warnings of both once.
 */
import { normalizePath, WharfError } from "@wharf/protocol";
import type { CliContext } from "../cli/context.js";
import { cargoHome, wharfHome } from "../cli/homes.js";
import { type LoadedCargoConfig, loadCargoConfig } from "../config/index.js";
import { CredentialResolver, type ResolverRegistryOptions } from "../sources/index.js";
import { loadWorkspace, type Workspace } from "../workspace/index.js";

export function loadConfigFor(ctx: CliContext): LoadedCargoConfig {
  const loaded = loadCargoConfig({
    cwd: ctx.cwd,
    cargoHome: cargoHome(ctx.env, ctx.cwd),
    env: ctx.env,
    cliConfig: ctx.globals.config,
  });
  for (const w of loaded.warnings) ctx.shell.warn(w);
  return loaded;
}

/** A registry's index URL by name (config files, then CARGO_REGISTRIES_<NAME>_INDEX). */
export function registryIndexResolver(config: LoadedCargoConfig): (name: string) => string {
  return (name) => {
    const index =
      config.config.registries.get(name)?.index?.value ??
      config.reader.getString(["registries", name, "index"])?.value;
    if (index !== undefined) return index;
    throw new WharfError({
      code: "CONFIG_REGISTRY_UNKNOWN",
      message: `registry index was not found in any configuration: \`${name}\``,
      hint: `add \`[registries.${name}] index = "..."\` to .cargo/config.toml or set CARGO_REGISTRIES_${name.toUpperCase().replace(/-/g, "_")}_INDEX`,
    });
  };
}

/** The CA bundle for registries: `http.cainfo` (or CARGO_HTTP_CAINFO), else WHARF_HTTP_CAINFO. */
export function caFileOf(ctx: CliContext, config: LoadedCargoConfig): string | undefined {
  return config.config.http.cainfo?.resolved ?? ctx.env.WHARF_HTTP_CAINFO;
}

/** How registry clients reach registries: CA, proxy, and credentials (tokens go to the shell's redaction). */
export function registryAccessOf(
  ctx: CliContext,
  config: LoadedCargoConfig,
): Pick<ResolverRegistryOptions, "caFile" | "http" | "credentials"> {
  return {
    caFile: caFileOf(ctx, config),
    http: { proxy: config.proxy, proxyCaFile: config.config.http.proxyCainfo?.resolved },
    credentials: new CredentialResolver({
      config: config.config,
      env: ctx.env,
      cwd: ctx.cwd,
      wharfHome: wharfHome(ctx.env, ctx.cwd),
      cargoHome: cargoHome(ctx.env, ctx.cwd),
      credentialAlias: (name) => {
        const alias = config.reader.getPathAndArgs(["credential-alias", name]);
        return alias && [alias.program.resolved, ...alias.args];
      },
      onSecret: (token) => ctx.shell.addSecret(token),
      onStatus: (word, message) => ctx.shell.verbose(word, message),
    }),
  };
}

export function loadWorkspaceFor(
  ctx: CliContext,
  config: LoadedCargoConfig,
  manifestPath: string | undefined,
): Workspace {
  const ws = loadWorkspace({
    cwd: ctx.cwd,
    manifestPath,
    cargoHome: cargoHome(ctx.env, ctx.cwd),
    registryIndex: registryIndexResolver(config),
  });
  for (const d of ws.diagnostics) ctx.shell.warn(d);
  return ws;
}

/** target/ for the workspace: CARGO_TARGET_DIR, `build.target-dir`, else `<root>/target`. */
export function targetDirOf(ws: Workspace, config: LoadedCargoConfig): string {
  return normalizePath(config.config.build.targetDir?.resolved ?? `${ws.rootDir}/target`);
}

/** `build.build-dir` (intermediate artifacts), defaulting to the target dir. */
export function buildDirOf(ws: Workspace, config: LoadedCargoConfig, targetDir: string): string {
  const p = config.reader.getPath("build.build-dir");
  if (!p) return targetDir;
  if (p.raw.includes("{")) {
    return normalizePath(p.raw.replace(/\{workspace-root\}/g, ws.rootDir));
  }
  return normalizePath(p.resolved);
}
