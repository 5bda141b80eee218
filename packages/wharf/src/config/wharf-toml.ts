/**
 * The schema of Wharf's own policy files: `wharf.toml` at a workspace root and
 * `$WHARF_HOME/config.toml`. This file only parses and type-checks one file into
 * WharfSettings (everything optional: "not set"); wharf-policy.ts merges them under the
 * trust rule. Unknown keys warn rather than fail, so an older Wharf can read a newer file.
 */
import { dirname, isAbsolute, resolve } from "node:path";
import { type Diagnostic, WharfError } from "@wharf/protocol";
import { TomlDate, type TomlTable } from "smol-toml";

export const SEVERITIES = ["none", "low", "medium", "high", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Kinds of package source a build may use (see `registries.allow-sources`). */
export const SOURCE_KINDS = ["registry", "git", "path", "directory", "local-registry"] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** One `[sandbox.allow.<crate>]` table. */
export interface SandboxAllowSettings {
  /** absolute paths (resolved against the defining file's directory) the build script may read */
  read?: string[] | undefined;
  /** environment variables passed through into the sandbox */
  env?: string[] | undefined;
  network?: boolean | undefined;
}

/** `[sandbox.limits]`: per-job limits (bytes, counts, seconds). */
export interface SandboxLimitSettings {
  /** wall-clock seconds per process */
  timeout?: number | undefined;
  /** CPU seconds per process */
  cpu?: number | undefined;
  /** address space per process, bytes */
  memory?: number | undefined;
  /** processes and threads per job */
  processes?: number | undefined;
  /** bytes a job may write into its output directory */
  disk?: number | undefined;
}

export const SANDBOX_LIMIT_KEYS = ["timeout", "cpu", "memory", "processes", "disk"] as const;

export interface WharfSettings {
  sandbox?: {
    enabled?: boolean | undefined;
    allow?: Map<string, SandboxAllowSettings> | undefined;
    limits?: SandboxLimitSettings | undefined;
  };
  registries?: {
    allow?: string[] | undefined;
    "allow-sources"?: SourceKind[] | undefined;
  };
  typosquat?: {
    enabled?: boolean | undefined;
    deny?: boolean | undefined;
    threshold?: number | undefined;
    allow?: string[] | undefined;
  };
  "build-scripts"?: {
    "max-severity"?: Severity | undefined;
  };
  audit?: {
    "advisory-db"?: string | undefined;
    banned?: string[] | undefined;
    licenses?: string[] | undefined;
    "git-deps-pinned"?: boolean | undefined;
  };
}

export const TYPOSQUAT_THRESHOLD = { min: 1, max: 3 } as const;

interface Ctx {
  file: string;
  warnings: Diagnostic[];
}

function kindOf(v: unknown): string {
  if (Array.isArray(v)) return "an array";
  if (v instanceof TomlDate) return "a datetime";
  if (typeof v === "bigint") return "an integer";
  if (typeof v === "number") return "a float";
  if (typeof v === "object" && v !== null) return "a table";
  return typeof v === "string" ? "a string" : typeof v === "boolean" ? "a boolean" : typeof v;
}

function typeErr(ctx: Ctx, key: string, expected: string, found: unknown): WharfError {
  return new WharfError({
    code: "WHARF_TOML_TYPE",
    message: `invalid type for \`${key}\` in ${ctx.file}: expected ${expected}, found ${kindOf(found)}`,
  });
}

function valueErr(ctx: Ctx, key: string, problem: string): WharfError {
  return new WharfError({
    code: "WHARF_TOML_VALUE",
    message: `invalid value for \`${key}\` in ${ctx.file}: ${problem}`,
  });
}

function isTable(v: unknown): v is TomlTable {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof TomlDate);
}

function table(ctx: Ctx, key: string, v: unknown): TomlTable {
  if (!isTable(v)) throw typeErr(ctx, key, "a table", v);
  return v;
}

function bool(ctx: Ctx, key: string, v: unknown): boolean | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== "boolean") throw typeErr(ctx, key, "a boolean", v);
  return v;
}

function strings(ctx: Ctx, key: string, v: unknown): string[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) throw typeErr(ctx, key, "an array of strings", v);
  return v.map((item, i) => {
    if (typeof item !== "string") throw typeErr(ctx, `${key}[${i}]`, "a string", item);
    return item;
  });
}

function oneOf<T extends string>(ctx: Ctx, key: string, v: unknown, allowed: readonly T[]): T | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== "string") throw typeErr(ctx, key, "a string", v);
  if (!(allowed as readonly string[]).includes(v)) {
    throw valueErr(ctx, key, `expected one of ${allowed.map((a) => `"${a}"`).join(", ")}, found "${v}"`);
  }
  return v as T;
}

function unknownKeys(ctx: Ctx, prefix: string, t: TomlTable, known: readonly string[]): void {
  for (const k of Object.keys(t)) {
    if (!known.includes(k)) {
      ctx.warnings.push({
        level: "warning",
        code: "WHARF_TOML_UNUSED_KEY",
        file: ctx.file,
        message: `unused key \`${prefix}${k}\` in ${ctx.file}`,
      });
    }
  }
}

const UNITS: Record<string, number> = {
  "": 1,
  k: 1e3,
  kb: 1e3,
  kib: 1024,
  m: 1e6,
  mb: 1e6,
  mib: 1024 ** 2,
  g: 1e9,
  gb: 1e9,
  gib: 1024 ** 3,
};

/** A positive integer; byte sizes may also be strings like "512MiB" or "2GiB". */
function positive(ctx: Ctx, key: string, v: unknown, bytes: boolean): number | undefined {
  if (v === undefined) return undefined;
  let n: number;
  if (typeof v === "bigint") n = Number(v);
  else if (bytes && typeof v === "string") {
    const m = /^\s*(\d+)\s*([a-z]*)\s*$/i.exec(v);
    const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
    if (!m || unit === undefined) throw valueErr(ctx, key, `expected a size like "512MiB", found "${v}"`);
    n = Number(m[1]) * unit;
  } else throw typeErr(ctx, key, bytes ? "an integer or a size string" : "an integer", v);
  if (!Number.isSafeInteger(n) || n <= 0)
    throw valueErr(ctx, key, `must be a positive integer, found ${String(v)}`);
  return n;
}

/** Crate names as in Cargo.toml: ASCII letters, digits, `-`, `_`. */
const CRATE_NAME = /^[A-Za-z0-9_-]{1,64}$/;

function crateName(ctx: Ctx, key: string, name: string): string {
  if (!CRATE_NAME.test(name)) throw valueErr(ctx, key, `\`${name}\` is not a crate name`);
  return name;
}

/**
 * Type-checks a parsed wharf.toml / config.toml. Relative paths are resolved against the
 * file's directory here, so the policy never depends on the cwd.
 */
export function parseWharfSettings(
  doc: TomlTable,
  file: string,
): { settings: WharfSettings; warnings: Diagnostic[] } {
  const ctx: Ctx = { file, warnings: [] };
  const base = dirname(file);
  const abs = (p: string) => (isAbsolute(p) ? resolve(p) : resolve(base, p));
  const settings: WharfSettings = {};
  unknownKeys(ctx, "", doc, ["sandbox", "registries", "typosquat", "build-scripts", "audit"]);

  if (doc["sandbox"] !== undefined) {
    const t = table(ctx, "sandbox", doc["sandbox"]);
    unknownKeys(ctx, "sandbox.", t, ["enabled", "allow", "limits"]);
    let allow: Map<string, SandboxAllowSettings> | undefined;
    if (t["allow"] !== undefined) {
      allow = new Map();
      for (const [name, raw] of Object.entries(table(ctx, "sandbox.allow", t["allow"]))) {
        const key = `sandbox.allow.${name}`;
        const at = table(ctx, key, raw);
        unknownKeys(ctx, `${key}.`, at, ["read", "env", "network"]);
        allow.set(crateName(ctx, key, name), {
          read: strings(ctx, `${key}.read`, at["read"])?.map(abs),
          env: strings(ctx, `${key}.env`, at["env"]),
          network: bool(ctx, `${key}.network`, at["network"]),
        });
      }
    }
    let limits: SandboxLimitSettings | undefined;
    if (t["limits"] !== undefined) {
      const lt = table(ctx, "sandbox.limits", t["limits"]);
      unknownKeys(ctx, "sandbox.limits.", lt, SANDBOX_LIMIT_KEYS);
      limits = {};
      for (const k of SANDBOX_LIMIT_KEYS) {
        const bytes = k === "memory" || k === "disk";
        limits[k] = positive(ctx, `sandbox.limits.${k}`, lt[k], bytes);
      }
    }
    settings.sandbox = { enabled: bool(ctx, "sandbox.enabled", t["enabled"]), allow, limits };
  }

  if (doc["registries"] !== undefined) {
    const t = table(ctx, "registries", doc["registries"]);
    unknownKeys(ctx, "registries.", t, ["allow", "allow-sources"]);
    const sources = strings(ctx, "registries.allow-sources", t["allow-sources"]);
    settings.registries = {
      allow: strings(ctx, "registries.allow", t["allow"]),
      "allow-sources": sources?.map(
        (s, i) => oneOf(ctx, `registries.allow-sources[${i}]`, s, SOURCE_KINDS) as SourceKind,
      ),
    };
  }

  if (doc["typosquat"] !== undefined) {
    const t = table(ctx, "typosquat", doc["typosquat"]);
    unknownKeys(ctx, "typosquat.", t, ["enabled", "deny", "threshold", "allow"]);
    let threshold: number | undefined;
    if (t["threshold"] !== undefined) {
      if (typeof t["threshold"] !== "bigint")
        throw typeErr(ctx, "typosquat.threshold", "an integer", t["threshold"]);
      threshold = Number(t["threshold"]);
      if (threshold < TYPOSQUAT_THRESHOLD.min || threshold > TYPOSQUAT_THRESHOLD.max) {
        throw valueErr(
          ctx,
          "typosquat.threshold",
          `must be ${TYPOSQUAT_THRESHOLD.min} to ${TYPOSQUAT_THRESHOLD.max}, found ${threshold}`,
        );
      }
    }
    settings.typosquat = {
      enabled: bool(ctx, "typosquat.enabled", t["enabled"]),
      deny: bool(ctx, "typosquat.deny", t["deny"]),
      threshold,
      allow: strings(ctx, "typosquat.allow", t["allow"])?.map((n) => crateName(ctx, "typosquat.allow", n)),
    };
  }

  if (doc["build-scripts"] !== undefined) {
    const t = table(ctx, "build-scripts", doc["build-scripts"]);
    unknownKeys(ctx, "build-scripts.", t, ["max-severity"]);
    settings["build-scripts"] = {
      "max-severity": oneOf(ctx, "build-scripts.max-severity", t["max-severity"], SEVERITIES),
    };
  }

  if (doc["audit"] !== undefined) {
    const t = table(ctx, "audit", doc["audit"]);
    unknownKeys(ctx, "audit.", t, ["advisory-db", "banned", "licenses", "git-deps-pinned"]);
    const db = t["advisory-db"];
    if (db !== undefined && typeof db !== "string") throw typeErr(ctx, "audit.advisory-db", "a string", db);
    settings.audit = {
      "advisory-db": db === undefined ? undefined : abs(db),
      banned: strings(ctx, "audit.banned", t["banned"])?.map((n) => crateName(ctx, "audit.banned", n)),
      licenses: strings(ctx, "audit.licenses", t["licenses"]),
      "git-deps-pinned": bool(ctx, "audit.git-deps-pinned", t["git-deps-pinned"]),
    };
  }
  return { settings, warnings: ctx.warnings };
}
