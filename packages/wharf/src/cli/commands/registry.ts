/**
 * `wharf registry serve|user|token|import|audit-log|delete`: running and operating a crate
 * registry. See docs/registry-config.md.
 */
import { type Command, Option } from "@commander-js/extra-typings";
import * as ops from "../../ops/registry-admin.js";
import { contextOf } from "../program.js";

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function registerRegistry(program: Command): void {
  const reg = program.command("registry").description("Run and operate a Wharf crate registry");
  const dataOpt = () => new Option("--data <DIR>", "registry data directory");
  const fileOpt = () => new Option("--config-file <PATH>", "registry config file (TOML)");

  reg
    .command("serve")
    .description("Serve the registry (sparse index, downloads, web API)")
    .addOption(dataOpt())
    .addOption(fileOpt())
    .option("--host <ADDR>", "address to listen on")
    .option("--port <PORT>", "port to listen on (0: any free port)")
    .option("--public-url <URL>", "URL clients use to reach this registry")
    .option("--tls-cert <PEM>", "TLS certificate chain")
    .option("--tls-key <PEM>", "TLS private key")
    .option("--auth-required", "require a token for every request, reads included")
    .option("--log-level <LEVEL>", "fatal, error, warn, info, debug, trace or silent")
    .action(async (opts, command) => {
      await ops.registryServe(contextOf(command), opts as ops.ServeOptions, process);
    });

  const user = reg.command("user").description("Manage registry users");
  user
    .command("add")
    .description("Add a user")
    .argument("<login>")
    .addOption(dataOpt())
    .addOption(fileOpt())
    .option("--name <NAME>", "display name")
    .option("--admin", "may act on every crate and take crates down")
    .action(async (login, opts, command) => {
      const o = opts as ops.DataOptions & { name?: string; admin?: boolean };
      await ops.registryUserAdd(contextOf(command), { ...o, login: login as string });
    });
  user
    .command("list")
    .description("List users")
    .addOption(dataOpt())
    .addOption(fileOpt())
    .action(async (opts, command) => {
      await ops.registryUserList(contextOf(command), opts as ops.DataOptions);
    });

  const token = reg.command("token").description("Manage API tokens");
  token
    .command("create")
    .description("Create a token (printed once on stdout)")
    .addOption(dataOpt())
    .addOption(fileOpt())
    .requiredOption("--user <LOGIN>", "the user the token acts as")
    .option(
      "--scope <SCOPES>",
      "publish-new, publish-update, yank, change-owners (repeat or comma-separate)",
      collect,
      [] as string[],
    )
    .option("--crate <PATTERN>", "limit to a crate name or a `prefix*` (repeatable)", collect, [] as string[])
    .option("--expires <DURATION>", "lifetime such as 30d, or never (default 90d)")
    .option("--name <NAME>", "a label for the token")
    .action(async (opts, command) => {
      await ops.registryTokenCreate(
        contextOf(command),
        opts as Parameters<typeof ops.registryTokenCreate>[1],
      );
    });
  token
    .command("list")
    .description("List a user's tokens (never the tokens themselves)")
    .addOption(dataOpt())
    .addOption(fileOpt())
    .requiredOption("--user <LOGIN>", "whose tokens")
    .action(async (opts, command) => {
      await ops.registryTokenList(contextOf(command), opts as ops.DataOptions & { user: string });
    });
  token
    .command("revoke")
    .description("Revoke a token by id")
    .argument("<id>")
    .addOption(dataOpt())
    .addOption(fileOpt())
    .action(async (id, opts, command) => {
      await ops.registryTokenRevoke(contextOf(command), { ...(opts as ops.DataOptions), id: id as string });
    });

  reg
    .command("import")
    .description("Import crate directories (cargo vendor style) or .crate files")
    .argument("<paths...>")
    .addOption(dataOpt())
    .addOption(fileOpt())
    .action(async (paths, opts, command) => {
      await ops.registryImport(contextOf(command), {
        ...(opts as ops.DataOptions),
        paths: paths as string[],
      });
    });

  reg
    .command("audit-log")
    .description("Show the append-only audit log, newest first")
    .addOption(dataOpt())
    .addOption(fileOpt())
    .option("--crate <NAME>", "only this crate")
    .option("--action <ACTION>", "only this action (publish, yank, owner-add, token-create, ...)")
    .option("--limit <N>", "at most this many entries (default 100)")
    .option("--json", "one JSON object per line")
    .action(async (opts, command) => {
      await ops.registryAuditLog(contextOf(command), opts as Parameters<typeof ops.registryAuditLog>[1]);
    });

  reg
    .command("delete")
    .description("Take a crate or one version down for good (malware takedown)")
    .argument("<crate>")
    .argument("[version]")
    .addOption(dataOpt())
    .addOption(fileOpt())
    .requiredOption("--reason <TEXT>", "why, for the audit log")
    .action(async (crate, version, opts, command) => {
      const o = opts as ops.DataOptions & { reason: string };
      await ops.registryDelete(contextOf(command), {
        ...o,
        crate: crate as string,
        version: version as string | undefined,
      });
    });
}
