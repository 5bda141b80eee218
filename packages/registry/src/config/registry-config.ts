/**
 * The registry server's settings: defaults, then a TOML file (`--config-file`), then
 * WHARF_REGISTRY_* environment variables, then command-line flags, each later source
 * winning. Validated once here into a typed RegistryConfig; nothing else reads raw input.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { CRATES_IO_INDEX, parseTomlDocument, TableReader, WharfError } from "@wharf/protocol";

export interface RateLimit {
  /** how many at once */
  burst: number;
  /** how many more per hour */
  perHour: number;
}

export interface RegistryConfig {
  dataDir: string;
  host: string;
  port: number;
  /** the URL clients use; defaults to https://host:port */
  publicUrl: string;
  tlsCert?: string | undefined;
  tlsKey?: string | undefined;
  authRequired: boolean;
  /** largest .crate accepted, bytes */
  maxCrateBytes: number;
  /** largest publish metadata JSON, bytes */
  maxMetadataBytes: number;
  /** largest unpacked crate, bytes */
  maxUnpackedBytes: number;
  rateLimits: { newCrate: RateLimit; newVersion: RateLimit };
  /** index URLs of other registries that normal and build dependencies may name */
  allowedRegistries: string[];
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
}

export const REGISTRY_DEFAULTS: Omit<RegistryConfig, "dataDir" | "publicUrl"> = {
  host: "127.0.0.1",
  port: 8443,
  authRequired: false,
  maxCrateBytes: 10 * 1024 * 1024,
  maxMetadataBytes: 1024 * 1024,
  maxUnpackedBytes: 512 * 1024 * 1024,
  rateLimits: { newCrate: { burst: 10, perHour: 20 }, newVersion: { burst: 30, perHour: 120 } },
  allowedRegistries: [CRATES_IO_INDEX],
  logLevel: "info",
};

/** Raw settings before validation; every field optional. */
export type RegistrySettings = Partial<Omit<RegistryConfig, "rateLimits">> & {
  rateLimits?: { newCrate?: Partial<RateLimit>; newVersion?: Partial<RateLimit> };
};

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

function configError(message: string, hint?: string): WharfError {
  return new WharfError({ code: "REGISTRY_CONFIG", message, hint });
}

function positive(value: number | undefined, what: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || value <= 0)
    throw configError(`${what} must be a positive integer, got ${value}`);
  return value;
}

/** Reads the TOML config file format (kebab-case keys, see docs/registry-config.md). */
export function parseRegistryConfigFile(text: string, file: string): RegistrySettings {
  const table = parseTomlDocument(text, { file, code: "REGISTRY_CONFIG_SYNTAX" });
  const ctx = { file, text, code: "REGISTRY_CONFIG", unused: [] as string[] };
  const r = new TableReader(table, [], ctx);
  const out: RegistrySettings = {
    dataDir: r.str("data-dir"),
    host: r.str("host"),
    port: r.int("port"),
    publicUrl: r.str("public-url"),
    tlsCert: r.str("tls-cert"),
    tlsKey: r.str("tls-key"),
    authRequired: r.bool("auth-required"),
    maxCrateBytes: r.int("max-crate-bytes"),
    maxMetadataBytes: r.int("max-metadata-bytes"),
    maxUnpackedBytes: r.int("max-unpacked-bytes"),
    allowedRegistries: r.strArray("allowed-registries"),
    logLevel: r.str("log-level") as RegistryConfig["logLevel"] | undefined,
  };
  const limits = r.subtable("rate-limits");
  if (limits) {
    const read = (key: string): Partial<RateLimit> | undefined => {
      const t = limits.subtable(key);
      if (!t) return undefined;
      const v = { burst: t.int("burst"), perHour: t.int("per-hour") };
      t.finish();
      return v;
    };
    out.rateLimits = { newCrate: read("new-crate"), newVersion: read("new-version") };
    limits.finish();
  }
  r.finish();
  if (ctx.unused.length > 0) {
    throw configError(
      `unknown keys in ${file}: ${ctx.unused.join(", ")}`,
      "see docs/registry-config.md for the keys",
    );
  }
  // relative paths in the file are relative to the file
  const base = resolve(file, "..");
  for (const key of ["dataDir", "tlsCert", "tlsKey"] as const) {
    const v = out[key];
    if (v !== undefined) out[key] = resolve(base, v);
  }
  return out;
}

export function readRegistryConfigFile(path: string): RegistrySettings {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (cause) {
    throw new WharfError({
      code: "REGISTRY_CONFIG",
      message: `failed to read registry config file \`${path}\``,
      cause,
    });
  }
  return parseRegistryConfigFile(text, path);
}

function envBool(value: string, name: string): boolean {
  if (["1", "true", "yes"].includes(value.toLowerCase())) return true;
  if (["0", "false", "no"].includes(value.toLowerCase())) return false;
  throw configError(`${name} must be true or false, got \`${value}\``);
}

function envInt(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw configError(`${name} must be an integer, got \`${value}\``);
  return n;
}

/** WHARF_REGISTRY_* variables (names documented in docs/registry-config.md). */
export function registrySettingsFromEnv(env: Readonly<Record<string, string | undefined>>): RegistrySettings {
  const s: RegistrySettings = {};
  const get = (k: string) => env[`WHARF_REGISTRY_${k}`];
  const v = (k: string) => get(k) ?? undefined;
  if (v("DATA_DIR")) s.dataDir = v("DATA_DIR");
  if (v("HOST")) s.host = v("HOST");
  if (v("PORT")) s.port = envInt(v("PORT")!, "WHARF_REGISTRY_PORT");
  if (v("PUBLIC_URL")) s.publicUrl = v("PUBLIC_URL");
  if (v("TLS_CERT")) s.tlsCert = v("TLS_CERT");
  if (v("TLS_KEY")) s.tlsKey = v("TLS_KEY");
  if (v("AUTH_REQUIRED")) s.authRequired = envBool(v("AUTH_REQUIRED")!, "WHARF_REGISTRY_AUTH_REQUIRED");
  if (v("MAX_CRATE_BYTES")) s.maxCrateBytes = envInt(v("MAX_CRATE_BYTES")!, "WHARF_REGISTRY_MAX_CRATE_BYTES");
  if (v("ALLOWED_REGISTRIES"))
    s.allowedRegistries = v("ALLOWED_REGISTRIES")!
      .split(",")
      .map((x) => x.trim())
      .filter(Boolean);
  if (v("LOG_LEVEL")) s.logLevel = v("LOG_LEVEL") as RegistryConfig["logLevel"];
  return s;
}

/** Merges sources (later wins) and validates the result. */
export function resolveRegistryConfig(sources: readonly RegistrySettings[], cwd: string): RegistryConfig {
  const merged: RegistrySettings = {};
  const rate = {
    newCrate: { ...REGISTRY_DEFAULTS.rateLimits.newCrate },
    newVersion: { ...REGISTRY_DEFAULTS.rateLimits.newVersion },
  };
  for (const s of sources) {
    for (const [k, v] of Object.entries(s)) {
      if (v === undefined || k === "rateLimits") continue;
      (merged as Record<string, unknown>)[k] = v;
    }
    if (s.rateLimits?.newCrate) Object.assign(rate.newCrate, stripUndefined(s.rateLimits.newCrate));
    if (s.rateLimits?.newVersion) Object.assign(rate.newVersion, stripUndefined(s.rateLimits.newVersion));
  }
  if (merged.dataDir === undefined) {
    throw configError(
      "the registry needs a data directory",
      "pass --data DIR, set WHARF_REGISTRY_DATA_DIR or `data-dir` in the config file",
    );
  }
  const host = merged.host ?? REGISTRY_DEFAULTS.host;
  const port = merged.port ?? REGISTRY_DEFAULTS.port;
  if (!Number.isSafeInteger(port) || port < 0 || port > 65535)
    throw configError(`port must be 0-65535, got ${port}`);
  if ((merged.tlsCert === undefined) !== (merged.tlsKey === undefined)) {
    throw configError(
      "--tls-cert and --tls-key go together",
      "give both, or neither for a plain-HTTP loopback registry",
    );
  }
  const loopback = host === "127.0.0.1" || host === "::1" || host === "localhost";
  if (merged.tlsCert === undefined && !loopback) {
    throw configError(
      `refusing to serve plain HTTP on ${host}: only loopback addresses may go without TLS`,
      "pass --tls-cert and --tls-key (cargo needs HTTPS for a registry reached over a network)",
    );
  }
  const logLevel = merged.logLevel ?? REGISTRY_DEFAULTS.logLevel;
  if (!LOG_LEVELS.includes(logLevel)) throw configError(`log-level must be one of ${LOG_LEVELS.join(", ")}`);
  const scheme = merged.tlsCert ? "https" : "http";
  const config: RegistryConfig = {
    ...REGISTRY_DEFAULTS,
    ...merged,
    dataDir: resolve(cwd, merged.dataDir),
    tlsCert: merged.tlsCert ? resolve(cwd, merged.tlsCert) : undefined,
    tlsKey: merged.tlsKey ? resolve(cwd, merged.tlsKey) : undefined,
    host,
    port,
    publicUrl: (merged.publicUrl ?? `${scheme}://${host.includes(":") ? `[${host}]` : host}:${port}`).replace(
      /\/+$/,
      "",
    ),
    logLevel,
    rateLimits: rate,
  };
  positive(config.maxCrateBytes, "max-crate-bytes");
  positive(config.maxMetadataBytes, "max-metadata-bytes");
  positive(config.maxUnpackedBytes, "max-unpacked-bytes");
  for (const l of [rate.newCrate, rate.newVersion]) {
    positive(l.burst, "rate-limits burst");
    positive(l.perHour, "rate-limits per-hour");
  }
  return config;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
