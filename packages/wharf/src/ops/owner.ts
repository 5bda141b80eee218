/**
 * `wharf owner --add/--remove/--list`: a crate's owners through the registry's web API
 * (`GET/PUT/DELETE /api/v1/crates/NAME/owners`), as cargo does.
 */
import { WharfError } from "@wharf/protocol";
import type { CliContext } from "../cli/context.js";
import { loadConfigFor, loadWorkspaceFor } from "./load.js";
import { RegistryApi, registryTarget } from "./publish-api.js";

export interface OwnerOptions {
  crate?: string | undefined;
  add: string[];
  remove: string[];
  list: boolean;
  registry?: string | undefined;
}

function crateName(ctx: CliContext, crate: string | undefined): string {
  if (crate !== undefined) return crate;
  const config = loadConfigFor(ctx);
  const ws = loadWorkspaceFor(ctx, config, undefined);
  const current = ws.members.find((m) => m.manifestPath === ws.currentManifest);
  if (!current) throw new WharfError({ code: "OWNER_ARGS", message: "name the crate" });
  return current.name;
}

export async function owner(ctx: CliContext, options: OwnerOptions): Promise<void> {
  const name = crateName(ctx, options.crate);
  const api = new RegistryApi(ctx, registryTarget(ctx, options.registry));
  const path = `/api/v1/crates/${encodeURIComponent(name)}/owners`;
  try {
    if (options.add.length > 0) {
      ctx.shell.status("Owner", `adding ${JSON.stringify(options.add)} to crate ${name}`);
      const res = await api.call("PUT", path, {
        body: { users: options.add },
        auth: true,
        what: `add owners to \`${name}\``,
      });
      const msg = (res.json as { msg?: unknown } | undefined)?.msg;
      if (typeof msg === "string") ctx.shell.status("Owner", msg);
    }
    if (options.remove.length > 0) {
      ctx.shell.status("Owner", `removing ${JSON.stringify(options.remove)} from crate ${name}`);
      await api.call("DELETE", path, {
        body: { users: options.remove },
        auth: true,
        what: `remove owners from \`${name}\``,
      });
    }
    if (options.list || (options.add.length === 0 && options.remove.length === 0)) {
      const res = await api.call("GET", path, { auth: true, what: `list the owners of \`${name}\`` });
      const users = (res.json as { users?: unknown } | undefined)?.users;
      for (const u of Array.isArray(users) ? users : []) {
        const login = (u as { login?: unknown }).login;
        const display = (u as { name?: unknown }).name;
        if (typeof login !== "string") continue;
        ctx.shell.out(
          typeof display === "string" && display !== "" ? `${login} (${display})\n` : `${login}\n`,
        );
      }
    }
  } finally {
    await api.close();
  }
}
