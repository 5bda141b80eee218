/**
 * The registry's web API as `cargo publish`, `yank`, `owner` and `search` use it: the
 * registry is found by name in the config, its `api` URL comes from config.json, requests
 * go over HTTPS (the configured CA, no redirects followed) with the raw token in
 * `Authorization`, and errors carry the registry's own `{"errors":[{"detail"}]}` text with
 * any token scrubbed out. Shared by publish, yank, owner and search.
 */
import { readFileSync } from "node:fs";
import { CRATES_IO_INDEX, REDACTED, WharfError } from "@wharf/protocol";
import { Agent, request } from "undici";
import { WharfCache } from "../cache/index.js";
import type { CliContext } from "../cli/context.js";
import { wharfHome } from "../cli/homes.js";
import type { LoadedCargoConfig } from "../config/index.js";
import { checkTransportUrl, type RegistryCredentials, SparseRegistryClient } from "../sources/index.js";
import { loadConfigFor, registryAccessOf, registryIndexResolver } from "./load.js";

export interface RegistryTarget {
  /** the name in config (`crates-io` for crates.io) */
  name: string;
  indexUrl: string;
  credentials: RegistryCredentials;
  config: LoadedCargoConfig;
  caFile: string | undefined;
}

/** `--registry NAME` (default crates-io), with cargo's refusal of a replaced crates.io. */
export function registryTarget(
  ctx: CliContext,
  name: string | undefined,
  config = loadConfigFor(ctx),
): RegistryTarget {
  const registry = name ?? "crates-io";
  let indexUrl: string;
  if (registry === "crates-io") {
    const replaced = config.config.source.get("crates-io")?.replaceWith?.value;
    if (replaced !== undefined) {
      throw new WharfError({
        code: "REGISTRY_REPLACED",
        message: `crates-io is replaced with \`${replaced}\`; wharf will not send crates.io's requests there`,
        hint: `include \`--registry ${replaced}\` to use that registry`,
      });
    }
    indexUrl = CRATES_IO_INDEX;
  } else {
    indexUrl = registryIndexResolver(config)(registry);
  }
  const access = registryAccessOf(ctx, config);
  return {
    name: registry,
    indexUrl,
    credentials: access.credentials!.forRegistry(indexUrl, registry),
    config,
    caFile: access.caFile,
  };
}

export interface ApiResponse {
  status: number;
  json: unknown;
}

function detailOf(json: unknown): string | undefined {
  if (typeof json !== "object" || json === null) return undefined;
  const errors = (json as { errors?: unknown }).errors;
  if (!Array.isArray(errors)) return undefined;
  const details = errors
    .map((e) => (typeof e === "object" && e !== null ? (e as { detail?: unknown }).detail : undefined))
    .filter((d): d is string => typeof d === "string");
  return details.length > 0 ? details.join("; ") : undefined;
}

export class RegistryApi {
  private readonly agent: Agent;
  private apiBase: string | undefined;

  constructor(
    private readonly ctx: CliContext,
    readonly target: RegistryTarget,
  ) {
    const ca = target.caFile === undefined ? undefined : readFileSync(target.caFile, "utf8");
    this.agent = new Agent({
      connect: ca === undefined ? {} : { ca },
      headersTimeout: 120_000,
      bodyTimeout: 120_000,
    });
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  /** A sparse-index client for the same registry (to wait for a publish to show up). */
  async indexClient(): Promise<SparseRegistryClient> {
    return new SparseRegistryClient({
      indexUrl: this.target.indexUrl,
      cache: await new WharfCache({ wharfHome: wharfHome(this.ctx.env, this.ctx.cwd) }).init(),
      caFile: this.target.caFile,
      credentials: this.target.credentials,
    });
  }

  /** The `api` URL from the registry's config.json. */
  async api(): Promise<string> {
    if (this.apiBase !== undefined) return this.apiBase;
    if (this.target.indexUrl === CRATES_IO_INDEX) {
      this.apiBase = "https://crates.io";
      return this.apiBase;
    }
    const client = await this.indexClient();
    try {
      const config = await client.config();
      if (config.api === undefined) {
        throw new WharfError({
          code: "REGISTRY_NO_API",
          message: `registry \`${this.target.name}\` does not support API commands (its config.json has no \`api\`)`,
        });
      }
      this.apiBase = config.api.replace(/\/+$/, "");
      return this.apiBase;
    } finally {
      await client.close();
    }
  }

  /** One API call; non-2xx answers become WharfErrors with the registry's detail text. */
  async call(
    method: "GET" | "PUT" | "DELETE",
    path: string,
    options: { body?: Uint8Array | object; auth: boolean; what: string },
  ): Promise<ApiResponse> {
    const url = `${await this.api()}${path}`;
    checkTransportUrl(url, {}, "registry API URL");
    const headers: Record<string, string> = { accept: "application/json", "user-agent": "wharf" };
    let token: string | undefined;
    if (options.auth) {
      token = await this.target.credentials.token();
      this.ctx.shell.addSecret(token);
      headers.authorization = token;
    }
    let body: Uint8Array | string | undefined;
    if (options.body instanceof Uint8Array) {
      body = options.body;
      headers["content-type"] = "application/octet-stream";
    } else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers["content-type"] = "application/json";
    }
    const scrub = (text: string) => (token ? text.replaceAll(token, REDACTED) : text);
    let res: Awaited<ReturnType<typeof request>>;
    try {
      res = await request(url, { method, headers, body, dispatcher: this.agent });
    } catch (cause) {
      throw new WharfError({
        code: "REGISTRY_API_NETWORK",
        message: `failed to ${options.what}: could not reach ${url}`,
        notes: [scrub(cause instanceof Error ? cause.message : String(cause))],
      });
    }
    const text = await res.body.text();
    let json: unknown;
    try {
      json = text === "" ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (res.statusCode >= 200 && res.statusCode < 300) return { status: res.statusCode, json };
    if (options.auth && (res.statusCode === 401 || res.statusCode === 403)) {
      const rejected = this.target.credentials.rejectedError(url, res.statusCode);
      const detail = detailOf(json);
      throw new WharfError({
        code: rejected.code,
        message: `failed to ${options.what}: ${scrub(detail ?? rejected.message)}`,
        hint: rejected.hint,
      });
    }
    const detail = detailOf(json) ?? text.slice(0, 500);
    throw new WharfError({
      code: "REGISTRY_API_ERROR",
      message: `failed to ${options.what}: the registry \`${this.target.name}\` responded HTTP ${res.statusCode}`,
      notes: detail === "" ? [] : [scrub(detail)],
    });
  }
}
