/**
 * `wharf login` / `wharf logout`: the token comes from stdin (never argv, where other users
 * and shell history can see it) and is kept in WHARF_HOME/credentials.toml, created with
 * mode 0600 and replaced atomically, in cargo's format (`[registries.NAME] token`,
 * `[registry] token` for crates.io). A registry whose credential provider is not
 * `cargo:token` is left to that provider.
 */
import {
  chmodSync,
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { WharfError } from "@wharf/protocol";
import { parse, stringify } from "smol-toml";
import type { CliContext } from "../cli/context.js";
import { wharfHome } from "../cli/homes.js";
import { readCredentialsFile } from "../sources/index.js";
import { registryTarget } from "./publish-api.js";

export interface LoginOptions {
  registry?: string | undefined;
  /** everything read from stdin */
  stdin: string;
}

function credentialsPath(ctx: CliContext): string {
  return join(wharfHome(ctx.env, ctx.cwd), "credentials.toml");
}

/** The file as a table (after the permission check readCredentialsFile makes). */
function readDoc(path: string): Record<string, unknown> {
  const checked = readCredentialsFile(path);
  if (checked === undefined) return {};
  return parse(readFileSync(path, "utf8")) as Record<string, unknown>;
}

function writeDoc(path: string, doc: Record<string, unknown>): void {
  mkdirSync(join(path, ".."), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, "wx", 0o600);
  try {
    writeSync(fd, stringify(doc));
  } finally {
    closeSync(fd);
  }
  chmodSync(tmp, 0o600);
  try {
    renameSync(tmp, path);
  } catch (cause) {
    rmSync(tmp, { force: true });
    throw cause;
  }
}

function tableFor(doc: Record<string, unknown>, registry: string): Record<string, unknown> {
  if (registry === "crates-io") {
    doc.registry ??= {};
    return doc.registry as Record<string, unknown>;
  }
  doc.registries ??= {};
  const registries = doc.registries as Record<string, Record<string, unknown>>;
  registries[registry] ??= {};
  return registries[registry]!;
}

function checkProvider(ctx: CliContext, registry: string): void {
  const target = registryTarget(ctx, registry === "crates-io" ? undefined : registry);
  const providers = target.credentials.providers();
  if (!providers.some((p) => p.argv[0] === "cargo:token")) {
    throw new WharfError({
      code: "LOGIN_PROVIDER",
      message: `registry \`${registry}\` gets its token from \`${providers[0]?.argv.join(" ")}\`, not from wharf's credentials file`,
      hint: "log in with that credential provider's own tool",
    });
  }
}

export function login(ctx: CliContext, options: LoginOptions): void {
  const registry = options.registry ?? "crates-io";
  const token =
    options.stdin
      .split(/\r?\n/)
      .find((l) => l.trim() !== "")
      ?.trim() ?? "";
  if (token === "") {
    throw new WharfError({
      code: "LOGIN_NO_TOKEN",
      message: "please provide a non-empty token on standard input",
      hint: `e.g. \`wharf login --registry ${registry} < token.txt\`; tokens are never accepted as arguments`,
    });
  }
  if (/[\s\0]/.test(token) || /[^\x21-\x7e]/.test(token)) {
    throw new WharfError({
      code: "LOGIN_BAD_TOKEN",
      message: "the token contains spaces or control characters",
    });
  }
  ctx.shell.addSecret(token);
  checkProvider(ctx, registry);
  const path = credentialsPath(ctx);
  const doc = readDoc(path);
  tableFor(doc, registry).token = token;
  writeDoc(path, doc);
  ctx.shell.status("Login", `token for \`${registry}\` saved`);
}

export function logout(ctx: CliContext, options: { registry?: string | undefined }): void {
  const registry = options.registry ?? "crates-io";
  const path = credentialsPath(ctx);
  const doc = readDoc(path);
  const table = tableFor(doc, registry);
  if (table.token === undefined) {
    ctx.shell.status("Logout", `not currently logged in to \`${registry}\``);
    return;
  }
  delete table.token;
  writeDoc(path, doc);
  ctx.shell.status("Logout", `token for \`${registry}\` has been removed from local storage`);
}
