/**
 * Small helpers for the registry's raw-HTTP end-to-end tests: an HTTPS client that trusts
 * only the test CA (undici, never a blocking spawn: the registry runs in this process), a
 * registry started with a pino logger writing into memory (to search the logs for tokens),
 * raw publish bodies for tiny crates, and snapshots of what the registry has stored.
 */
import { type Dirent, readdirSync } from "node:fs";
import { join } from "node:path";
import { type Readable, Writable } from "node:stream";
import {
  encodePublishBody,
  type PublishDependency,
  type PublishMetadata,
  writeCrateArchive,
} from "@wharf/protocol";
import {
  type Clock,
  createApiToken,
  type RegistryConfig,
  type RunningRegistry,
  resolveRegistryConfig,
  SqliteRegistryStore,
  startRegistryServer,
} from "@wharf/registry";
import { pino } from "pino";
import { Agent, request } from "undici";
import { ALL_SCOPES } from "./test-registry.js";
import type { TestPki } from "./tls.js";

/** What the helpers need of a running registry; TestRegistry has all of it. */
export interface RegistryHandle {
  url: string;
  config: RegistryConfig;
  running: RunningRegistry;
  pki: TestPki;
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export interface HttpRequestOptions {
  /** sent as the Authorization header when defined */
  token?: string | undefined;
  body?: Uint8Array | string | Readable | undefined;
  headers?: Record<string, string> | undefined;
}

const agents = new Map<string, Agent>();

function agentFor(registry: RegistryHandle): Agent {
  let agent = agents.get(registry.pki.ca.caCert);
  if (agent === undefined) {
    agent = new Agent({ connect: { ca: registry.pki.ca.caCert }, keepAliveTimeout: 1000 });
    agents.set(registry.pki.ca.caCert, agent);
  }
  return agent;
}

/** Closes the HTTPS agents made so far (call once in `after`). */
export async function closeHttpAgents(): Promise<void> {
  const all = [...agents.values()];
  agents.clear();
  await Promise.allSettled(all.map((a) => a.close()));
}

/** One HTTPS request to the registry; the answer body is read in full. */
export async function registryRequest(
  registry: RegistryHandle,
  method: "GET" | "PUT" | "DELETE",
  path: string,
  options: HttpRequestOptions = {},
): Promise<HttpAnswer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers["authorization"] = options.token;
  const body = options.body instanceof Uint8Array ? Buffer.from(options.body) : options.body;
  const r = await request(`${registry.url}${path}`, {
    method,
    headers,
    body,
    dispatcher: agentFor(registry),
  });
  const text = await r.body.text();
  return { status: r.statusCode, headers: r.headers, text };
}

/** PUT /api/v1/crates/new with the given bytes as the whole body. */
export function publishRaw(
  registry: RegistryHandle,
  token: string | undefined,
  body: Uint8Array | Readable,
  headers?: Record<string, string>,
): Promise<HttpAnswer> {
  return registryRequest(registry, "PUT", "/api/v1/crates/new", { token, body, headers });
}

export function tinyManifest(name: string, version: string, extra = ""): string {
  return `[package]\nname = "${name}"\nversion = "${version}"\nedition = "2021"\ndescription = "tiny ${name}"\nlicense = "MIT"\n${extra}`;
}

/** Cargo-shaped metadata for a tiny crate; fields may be overridden. */
export function tinyMetadata(
  name: string,
  version: string,
  over: Partial<PublishMetadata> = {},
): PublishMetadata {
  return {
    name,
    vers: version,
    deps: [],
    features: {},
    authors: [],
    description: `tiny ${name}`,
    documentation: null,
    homepage: null,
    readme: null,
    readme_file: null,
    keywords: [],
    categories: [],
    license: "MIT",
    license_file: null,
    repository: null,
    badges: {},
    links: null,
    rust_version: null,
    ...over,
  };
}

export function tinyDependency(name: string, over: Partial<PublishDependency> = {}): PublishDependency {
  return {
    optional: false,
    default_features: true,
    name,
    features: [],
    version_req: "^0.1",
    target: null,
    kind: "normal",
    ...over,
  };
}

/** A valid .crate for `name` `version`; the Cargo.toml inside may name something else. */
export function tinyCrate(
  name: string,
  version: string,
  manifest: { name?: string; version?: string } = {},
): Uint8Array {
  const enc = new TextEncoder();
  return writeCrateArchive(name, version, [
    {
      path: "Cargo.toml",
      bytes: enc.encode(tinyManifest(manifest.name ?? name, manifest.version ?? version)),
    },
    { path: "src/lib.rs", bytes: enc.encode(`pub fn hello() -> u32 { ${version.length} }\n`) },
  ]);
}

/** A whole valid publish body for a tiny crate. */
export function tinyPublishBody(
  name: string,
  version: string,
  over: Partial<PublishMetadata> = {},
): Uint8Array {
  return encodePublishBody(tinyMetadata(name, version, over), tinyCrate(name, version));
}

/** The raw framing with free lengths: u32 LE json length, json, u32 LE crate length, crate. */
export function frameBody(parts: {
  json: Uint8Array | string;
  crate: Uint8Array;
  jsonLength?: number;
  crateLength?: number;
  trailing?: Uint8Array;
}): Uint8Array {
  const json = typeof parts.json === "string" ? new TextEncoder().encode(parts.json) : parts.json;
  const trailing = parts.trailing ?? new Uint8Array();
  const out = new Uint8Array(8 + json.length + parts.crate.length + trailing.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, parts.jsonLength ?? json.length, true);
  out.set(json, 4);
  view.setUint32(4 + json.length, parts.crateLength ?? parts.crate.length, true);
  out.set(parts.crate, 8 + json.length);
  out.set(trailing, 8 + json.length + parts.crate.length);
  return out;
}

export interface StorageSnapshot {
  /** blob files under the data dir's blobs/, relative paths, sorted */
  blobFiles: string[];
  /** row count per table */
  rows: Record<string, number>;
}

const TABLES = [
  "users",
  "api_tokens",
  "crates",
  "crate_owners",
  "versions",
  "tombstones",
  "audit_log",
] as const;

function listFiles(root: string, prefix = "", depth = 0): string[] {
  if (depth > 8) throw new Error(`blob directory nested too deep under ${root}`);
  let entries: Dirent[];
  try {
    entries = readdirSync(join(root, prefix), { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    const rel = prefix === "" ? e.name : `${prefix}/${e.name}`;
    if (e.isDirectory()) out.push(...listFiles(root, rel, depth + 1));
    else out.push(rel);
  }
  return out.sort();
}

/** Every file in the blob dir (temp files included) and the row count of every table. */
export async function snapshotStorage(registry: RegistryHandle): Promise<StorageSnapshot> {
  const store = registry.running.data.store;
  if (!(store instanceof SqliteRegistryStore)) throw new Error("snapshotStorage needs the SQLite store");
  const rows: Record<string, number> = {};
  for (const table of TABLES) {
    const r = await store.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    rows[table] = Number(r.n);
  }
  return { blobFiles: listFiles(join(registry.config.dataDir, "blobs")), rows };
}

/** A registry like startTestRegistry's, but its pino logger (level trace) writes into memory. */
export interface LoggedRegistry extends RegistryHandle {
  adminToken: string;
  adminId: number;
  /** everything logged so far */
  logs(): string;
  addUser(
    login: string,
    options?: { admin?: boolean; scopes?: readonly string[] },
  ): Promise<{ userId: number; token: string }>;
  tokenFor(
    userId: number,
    options: {
      scopes?: readonly string[];
      cratePatterns?: string[] | null;
      expires?: number | "never";
      /** the clock the token is created at (an old one makes an expired token) */
      now?: Clock;
    },
  ): Promise<{ token: string; id: number }>;
  close(): Promise<void>;
}

export async function startLoggedRegistry(options: {
  dir: string;
  pki: TestPki;
  authRequired?: boolean;
  overrides?: Partial<RegistryConfig>;
}): Promise<LoggedRegistry> {
  const config: RegistryConfig = {
    ...resolveRegistryConfig(
      [
        {
          dataDir: join(options.dir, "data"),
          host: "127.0.0.1",
          port: 0,
          tlsCert: options.pki.server.certPath,
          tlsKey: options.pki.server.keyPath,
          authRequired: options.authRequired ?? false,
          logLevel: "trace",
        },
      ],
      options.dir,
    ),
    ...options.overrides,
  };
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      chunks.push(typeof chunk === "string" ? chunk : chunk.toString("utf8"));
      done();
    },
  });
  const logger = pino({ level: "trace" }, sink);
  const running = await startRegistryServer(config, { logger });
  const store = running.data.store;
  let serial = 0;
  const tokenFor: LoggedRegistry["tokenFor"] = async (userId, o) => {
    serial += 1;
    const created = await createApiToken({
      store,
      userId,
      name: `t${serial}`,
      scopes: o.scopes ?? ALL_SCOPES,
      cratePatterns: o.cratePatterns ?? null,
      expires: o.expires,
      actor: { kind: "admin-cli" },
      now: o.now ?? (() => new Date()),
    });
    return { token: created.token, id: created.record.id };
  };
  const addUser: LoggedRegistry["addUser"] = async (login, o = {}) => {
    const user = await store.addUser({ login, isAdmin: o.admin ?? false, actor: { kind: "admin-cli" } });
    const { token } = await tokenFor(user.id, { scopes: o.scopes ?? ALL_SCOPES });
    return { userId: user.id, token };
  };
  const admin = await addUser("admin", { admin: true });
  return {
    url: running.url,
    config,
    running,
    pki: options.pki,
    adminToken: admin.token,
    adminId: admin.userId,
    logs: () => chunks.join(""),
    addUser,
    tokenFor,
    close: () => running.close(),
  };
}
