/**
 * `wharf yank [--undo]`: mark a published version yanked (or not) through the registry's
 * web API, as cargo does (`DELETE .../yank`, `PUT .../unyank`).
 */
import { WharfError } from "@wharf/protocol";
import type { CliContext } from "../cli/context.js";
import { loadConfigFor, loadWorkspaceFor } from "./load.js";
import { RegistryApi, registryTarget } from "./publish-api.js";

export interface YankOptions {
  /** `name` or `name@version` */
  crate?: string | undefined;
  version?: string | undefined;
  undo: boolean;
  registry?: string | undefined;
}

function crateAndVersion(ctx: CliContext, options: YankOptions): { name: string; version: string } {
  let name = options.crate;
  let version = options.version;
  if (name?.includes("@")) {
    const at = name.indexOf("@");
    if (version !== undefined) {
      throw new WharfError({ code: "YANK_ARGS", message: "cannot specify both `@VERSION` and `--vers`" });
    }
    version = name.slice(at + 1);
    name = name.slice(0, at);
  }
  if (name === undefined) {
    const config = loadConfigFor(ctx);
    const ws = loadWorkspaceFor(ctx, config, undefined);
    const current = ws.members.find((m) => m.manifestPath === ws.currentManifest);
    if (!current) throw new WharfError({ code: "YANK_ARGS", message: "name the crate to yank" });
    name = current.name;
  }
  if (version === undefined) {
    throw new WharfError({
      code: "YANK_ARGS",
      message: "the version to yank is required (`NAME@VERSION` or `--vers VERSION`)",
      hint: `e.g. \`wharf yank ${name}@1.0.0\``,
    });
  }
  return { name, version };
}

export async function yank(ctx: CliContext, options: YankOptions): Promise<void> {
  const { name, version } = crateAndVersion(ctx, options);
  const api = new RegistryApi(ctx, registryTarget(ctx, options.registry));
  try {
    const path = `/api/v1/crates/${encodeURIComponent(name)}/${encodeURIComponent(version)}/${options.undo ? "unyank" : "yank"}`;
    ctx.shell.status(options.undo ? "Unyank" : "Yank", `${name}@${version}`);
    await api.call(options.undo ? "PUT" : "DELETE", path, {
      auth: true,
      what: `${options.undo ? "unyank" : "yank"} \`${name}@${version}\``,
    });
  } finally {
    await api.close();
  }
}
