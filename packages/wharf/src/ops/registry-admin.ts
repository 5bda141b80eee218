/**
 * `wharf registry ...`: the registry server and its operator commands. The registry package
 * (fastify, SQLite) is loaded only when one of these commands runs, so the rest of the CLI
 * starts without it.
 */
import { WharfError } from "@wharf/protocol";
import type { CliContext } from "../cli/context.js";

export interface DataOptions {
  data?: string | undefined;
  configFile?: string | undefined;
}

export interface ServeOptions extends DataOptions {
  host?: string | undefined;
  port?: string | undefined;
  publicUrl?: string | undefined;
  tlsCert?: string | undefined;
  tlsKey?: string | undefined;
  authRequired?: boolean | undefined;
  logLevel?: string | undefined;
}

async function registry() {
  return import("@wharf/registry");
}

async function resolveConfig(ctx: CliContext, options: ServeOptions) {
  const r = await registry();
  const sources = [];
  if (options.configFile) sources.push(r.readRegistryConfigFile(options.configFile));
  sources.push(r.registrySettingsFromEnv(ctx.env));
  const port = options.port === undefined ? undefined : Number(options.port);
  if (port !== undefined && !Number.isSafeInteger(port)) {
    throw new WharfError({
      code: "CLI_INVALID_ARGUMENT",
      message: `invalid port \`${options.port}\``,
      exitCode: 1,
    });
  }
  sources.push({
    dataDir: options.data,
    host: options.host,
    port,
    publicUrl: options.publicUrl,
    tlsCert: options.tlsCert,
    tlsKey: options.tlsKey,
    authRequired: options.authRequired,
    logLevel: options.logLevel as never,
  });
  return r.resolveRegistryConfig(sources, ctx.cwd);
}

/** Opens the data directory named by the options, runs `work`, closes it. */
async function withData<T>(
  ctx: CliContext,
  options: DataOptions,
  work: (data: Awaited<ReturnType<Awaited<ReturnType<typeof registry>>["openRegistryData"]>>) => Promise<T>,
): Promise<T> {
  const r = await registry();
  const config = await resolveConfig(ctx, options);
  const data = await r.openRegistryData(config.dataDir);
  try {
    return await work(data);
  } finally {
    await data.close();
  }
}

export async function registryServe(
  ctx: CliContext,
  options: ServeOptions,
  signals: { once(event: "SIGINT" | "SIGTERM", fn: () => void): unknown },
): Promise<void> {
  const r = await registry();
  const config = await resolveConfig(ctx, options);
  if (!config.tlsCert) {
    ctx.shell.warn(
      `serving plain HTTP on ${config.host}: fine for local tests, but cargo clients elsewhere need --tls-cert and --tls-key`,
    );
  }
  const running = await r.startRegistryServer(config);
  ctx.shell.status("Listening", `on ${running.url} (sparse index: sparse+${running.url}/index/)`);
  await new Promise<void>((resolvePromise) => {
    const stop = () => {
      ctx.shell.status("Stopping", "finishing in-flight requests");
      running.close().then(resolvePromise, resolvePromise);
    };
    signals.once("SIGINT", stop);
    signals.once("SIGTERM", stop);
  });
}

export async function registryUserAdd(
  ctx: CliContext,
  options: DataOptions & { login: string; name?: string; admin?: boolean },
): Promise<void> {
  const r = await registry();
  await withData(ctx, options, async (data) => {
    const user = await r.adminAddUser(data, {
      login: options.login,
      name: options.name,
      admin: options.admin,
    });
    ctx.shell.status("Added", `user \`${user.login}\`${user.isAdmin ? " (admin)" : ""} with id ${user.id}`);
  });
}

export async function registryUserList(ctx: CliContext, options: DataOptions): Promise<void> {
  await withData(ctx, options, async (data) => {
    for (const u of await data.store.listUsers())
      ctx.shell.out(`${u.id}\t${u.login}${u.isAdmin ? "\tadmin" : ""}\n`);
  });
}

export async function registryTokenCreate(
  ctx: CliContext,
  options: DataOptions & { user: string; scope: string[]; crate: string[]; expires?: string; name?: string },
): Promise<void> {
  const r = await registry();
  await withData(ctx, options, async (data) => {
    const scopes = options.scope
      .flatMap((s) => s.split(","))
      .map((s) => s.trim())
      .filter(Boolean);
    if (scopes.length === 0) {
      throw new WharfError({
        code: "CLI_INVALID_ARGUMENT",
        message: "a token needs at least one --scope",
        hint: "e.g. --scope publish-new,publish-update,yank,change-owners",
        exitCode: 1,
      });
    }
    const created = await r.adminCreateToken(
      data,
      {
        login: options.user,
        name: options.name,
        scopes,
        cratePatterns: options.crate,
        expires: options.expires,
      },
      () => new Date(),
    );
    ctx.shell.status(
      "Created",
      `token ${created.record.id} for \`${options.user}\`, expires ${created.record.expiresAt ?? "never"}; it is shown only once:`,
    );
    // the token itself goes to stdout only, so it can be piped into a secret store
    ctx.shell.out(`${created.token}\n`);
  });
}

export async function registryTokenList(
  ctx: CliContext,
  options: DataOptions & { user: string },
): Promise<void> {
  const r = await registry();
  await withData(ctx, options, async (data) => {
    for (const t of await r.adminListTokens(data, options.user)) {
      const state = t.revokedAt
        ? "revoked"
        : t.expiresAt && new Date(t.expiresAt) < new Date()
          ? "expired"
          : "live";
      ctx.shell.out(
        `${t.id}\t${t.name}\t${t.prefix}…\t${state}\t${t.scopes.join(",")}\t${t.cratePatterns?.join(",") ?? "*"}\t${t.expiresAt ?? "never"}\n`,
      );
    }
  });
}

export async function registryTokenRevoke(
  ctx: CliContext,
  options: DataOptions & { id: string },
): Promise<void> {
  const r = await registry();
  const id = Number(options.id);
  if (!Number.isSafeInteger(id))
    throw new WharfError({
      code: "CLI_INVALID_ARGUMENT",
      message: `invalid token id \`${options.id}\``,
      exitCode: 1,
    });
  await withData(ctx, options, async (data) => {
    await r.adminRevokeToken(data, id);
    ctx.shell.status("Revoked", `token ${id}`);
  });
}

export async function registryImport(
  ctx: CliContext,
  options: DataOptions & { paths: string[] },
): Promise<void> {
  const r = await registry();
  await withData(ctx, options, async (data) => {
    const report = await r.importCrates({
      data,
      paths: options.paths,
      now: () => new Date(),
      onProgress: (o) => {
        if (o.result === "imported") ctx.shell.verbose("Imported", `${o.name} v${o.version}`);
        else if (o.result === "refused") ctx.shell.warn(`refused ${o.source}: ${o.reason}`);
      },
    });
    const count = (k: string) => report.outcomes.filter((o) => o.result === k).length;
    ctx.shell.status(
      "Imported",
      `${count("imported")} crates (${count("skipped")} already present, ${count("refused")} refused)`,
    );
    for (const m of report.missingDependencies)
      ctx.shell.warn(`required dependency not in this registry: ${m}`);
    if (count("refused") > 0) {
      throw new WharfError({
        code: "IMPORT_REFUSED",
        message: `${count("refused")} crates were refused; see the warnings above`,
      });
    }
  });
}

export async function registryAuditLog(
  ctx: CliContext,
  options: DataOptions & { crate?: string; action?: string; limit?: string; json?: boolean },
): Promise<void> {
  const r = await registry();
  await withData(ctx, options, async (data) => {
    const entries = await r.adminAuditLog(data, {
      crateName: options.crate,
      action: options.action as never,
      limit: options.limit ? Number(options.limit) : 100,
    });
    for (const e of entries) {
      if (options.json) ctx.shell.out(`${JSON.stringify(e)}\n`);
      else {
        const who = e.actor.kind === "user" ? `user:${e.actor.userId}` : "admin-cli";
        ctx.shell.out(
          `${e.at}\t${who}\t${e.action}\t${e.crateName ?? ""}${e.version ? `@${e.version}` : ""}\t${e.remoteAddr ?? ""}\t${JSON.stringify(e.detail)}\n`,
        );
      }
    }
  });
}

export async function registryDelete(
  ctx: CliContext,
  options: DataOptions & { crate: string; version?: string; reason: string },
): Promise<void> {
  const r = await registry();
  await withData(ctx, options, async (data) => {
    const res = await r.adminDelete(data, {
      crate: options.crate,
      version: options.version,
      reason: options.reason,
    });
    ctx.shell.status(
      "Deleted",
      `${options.crate}${options.version ? `@${options.version}` : " (all versions)"}; ${res.deletedBlobs} files removed; the name${options.version ? " and version" : ""} can never be published again`,
    );
  });
}
