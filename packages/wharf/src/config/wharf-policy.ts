/**
 * The effective security policy and THE TRUST RULE. A project's wharf.toml arrives with
 * code we may not trust, so it may only tighten the policy or add narrow per-crate
 * exceptions (each printed on every build). Turning a protection off or widening an
 * allow-list or threshold is honoured only from $WHARF_HOME/config.toml or the command
 * line; from a project file it is ignored with a warning naming the file, the key and
 * where the setting is allowed.
 */
import { existsSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import type { Diagnostic } from "@wharf/protocol";
import { readTomlFile } from "./toml-file.js";
import {
  parseWharfSettings,
  SANDBOX_LIMIT_KEYS,
  type SandboxLimitSettings,
  SEVERITIES,
  type Severity,
  SOURCE_KINDS,
  type SourceKind,
  type WharfSettings,
} from "./wharf-toml.js";

/** Who set a policy value; a project origin is the untrusted one. */
export type PolicyOrigin =
  | { readonly kind: "default" }
  | { readonly kind: "user"; readonly file: string }
  | { readonly kind: "project"; readonly file: string }
  | { readonly kind: "cli" };

export interface Setting<T> {
  readonly value: T;
  readonly origin: PolicyOrigin;
}

export interface SandboxException {
  readonly crate: string;
  readonly read: readonly string[];
  readonly env: readonly string[];
  readonly network: boolean;
  readonly origin: PolicyOrigin;
}

export interface TyposquatException {
  readonly crate: string;
  readonly origin: PolicyOrigin;
}

export interface WharfPolicy {
  readonly sandbox: {
    readonly enabled: Setting<boolean>;
    readonly exceptions: readonly SandboxException[];
    /** per-job limits; unset ones take the sandbox's defaults */
    readonly limits: { readonly [K in keyof SandboxLimitSettings]: Setting<number> | undefined };
  };
  readonly registries: {
    /** registry names dependencies may come from; undefined = any */
    readonly allow: Setting<readonly string[] | undefined>;
    readonly allowSources: Setting<readonly SourceKind[]>;
  };
  readonly typosquat: {
    readonly enabled: Setting<boolean>;
    /** true: a look-alike name is an error, not a warning */
    readonly deny: Setting<boolean>;
    /** largest edit distance reported as a look-alike (higher is stricter) */
    readonly threshold: Setting<number>;
    readonly exceptions: readonly TyposquatException[];
  };
  readonly buildScripts: {
    /** findings above this severity stop the build (lower is stricter) */
    readonly maxSeverity: Setting<Severity>;
  };
  readonly audit: {
    readonly advisoryDb: Setting<string | undefined>;
    readonly banned: readonly Setting<string>[];
    /** SPDX ids allowed; undefined = any */
    readonly licenses: Setting<readonly string[] | undefined>;
    readonly gitDepsPinned: Setting<boolean>;
  };
}

const DEFAULT: PolicyOrigin = { kind: "default" };

/** The built-in limits a project's wharf.toml may only go below (the sandbox's defaults). */
export const BUILTIN_LIMIT_CEILING: Readonly<Record<keyof SandboxLimitSettings, number>> = {
  timeout: 60 * 60,
  cpu: 60 * 60,
  memory: 8 * 1024 ** 3,
  processes: 1024,
  disk: 8 * 1024 ** 3,
};

export function defaultPolicy(): WharfPolicy {
  return {
    sandbox: { enabled: { value: true, origin: DEFAULT }, exceptions: [], limits: {} },
    registries: {
      allow: { value: undefined, origin: DEFAULT },
      allowSources: { value: [...SOURCE_KINDS], origin: DEFAULT },
    },
    typosquat: {
      enabled: { value: true, origin: DEFAULT },
      deny: { value: false, origin: DEFAULT },
      threshold: { value: 1, origin: DEFAULT },
      exceptions: [],
    },
    buildScripts: { maxSeverity: { value: "medium", origin: DEFAULT } },
    audit: {
      advisoryDb: { value: undefined, origin: DEFAULT },
      banned: [],
      licenses: { value: undefined, origin: DEFAULT },
      gitDepsPinned: { value: false, origin: DEFAULT },
    },
  };
}

export function describeOrigin(origin: PolicyOrigin): string {
  switch (origin.kind) {
    case "default":
      return "the default";
    case "cli":
      return "the command line";
    default:
      return origin.file;
  }
}

/** One line per exception in effect, for the build to print every time. */
export function describeException(e: SandboxException | TyposquatException): string {
  if ("network" in e) {
    const grants = [
      ...(e.read.length > 0 ? [`read ${e.read.join(", ")}`] : []),
      ...(e.env.length > 0 ? [`env ${e.env.join(", ")}`] : []),
      ...(e.network ? ["network"] : []),
    ];
    return `sandbox exception for \`${e.crate}\`: ${grants.length > 0 ? grants.join("; ") : "nothing"} (from ${describeOrigin(e.origin)})`;
  }
  return `typosquat check skipped for \`${e.crate}\` (from ${describeOrigin(e.origin)})`;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] };

/** Environment variable names that carry credentials: never passed in on a project's word. */
const SECRET_ENV =
  /(TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|PRIVATE|API_?KEY|ACCESS_?KEY|SSH_AUTH_SOCK|^AWS_|^CARGO_REGISTR)/i;

interface ApplyContext {
  policy: Mutable<WharfPolicy>;
  origin: PolicyOrigin;
  trusted: boolean;
  warnings: Diagnostic[];
  workspaceRoot: string;
  userFile: string;
}

function refuse(ctx: ApplyContext, key: string, shown: string, why: string): void {
  const file = ctx.origin.kind === "project" ? ctx.origin.file : undefined;
  ctx.warnings.push({
    level: "warning",
    code: "WHARF_POLICY_LOOSENING_IGNORED",
    file,
    message: `ignoring \`${key} = ${shown}\` in ${describeOrigin(ctx.origin)}: ${why}; a project's wharf.toml may only tighten policy or add narrow per-crate exceptions. Set it in ${ctx.userFile} or on the command line if you trust it`,
  });
}

function applyBool(
  ctx: ApplyContext,
  key: string,
  current: Setting<boolean>,
  value: boolean | undefined,
  strict: boolean,
): Setting<boolean> {
  if (value === undefined) return current;
  if (ctx.trusted || value === strict || current.value !== strict) return { value, origin: ctx.origin };
  refuse(ctx, key, String(value), strict ? "that turns a protection off" : "that loosens a protection");
  return current;
}

/** An allow-list from an untrusted file is intersected with the current one. */
function applyAllowList<T extends string>(
  ctx: ApplyContext,
  key: string,
  current: Setting<readonly T[] | undefined>,
  value: readonly T[] | undefined,
): Setting<readonly T[] | undefined> {
  if (value === undefined) return current;
  if (ctx.trusted || current.value === undefined) return { value: [...value], origin: ctx.origin };
  const wider = value.filter((v) => !current.value?.includes(v));
  if (wider.length > 0) {
    refuse(
      ctx,
      key,
      JSON.stringify(wider),
      `${wider.map((w) => `\`${w}\``).join(", ")} ${wider.length === 1 ? "is" : "are"} not in the allowed list from ${describeOrigin(current.origin)}`,
    );
  }
  return { value: value.filter((v) => current.value?.includes(v)), origin: ctx.origin };
}

function insideWorkspace(root: string, path: string): boolean {
  const rel = relative(resolve(root), path);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

function applySettings(ctx: ApplyContext, s: WharfSettings): void {
  const p = ctx.policy;
  if (s.sandbox) {
    p.sandbox.enabled = applyBool(ctx, "sandbox.enabled", p.sandbox.enabled, s.sandbox.enabled, true);
    for (const k of SANDBOX_LIMIT_KEYS) {
      const v = s.sandbox.limits?.[k];
      if (v === undefined) continue;
      const current = p.sandbox.limits[k];
      const ceiling = current?.value ?? BUILTIN_LIMIT_CEILING[k];
      // a project may lower a limit, never raise one (an unset limit is the built-in default)
      if (ctx.trusted || v <= ceiling) p.sandbox.limits[k] = { value: v, origin: ctx.origin };
      else
        refuse(
          ctx,
          `sandbox.limits.${k}`,
          String(v),
          `it is higher (looser) than ${ceiling} from ${describeOrigin(current?.origin ?? DEFAULT)}`,
        );
    }
    for (const [crate, allow] of s.sandbox.allow ?? []) {
      const key = `sandbox.allow.${crate}`;
      let read = allow.read ?? [];
      let env = allow.env ?? [];
      if (!ctx.trusted) {
        // "Narrow" means: the project's own files, harmless variables, one named crate.
        const outside = read.filter((r) => !insideWorkspace(ctx.workspaceRoot, r));
        if (outside.length > 0) {
          refuse(
            ctx,
            `${key}.read`,
            JSON.stringify(outside),
            "a project may only grant reads inside its own workspace",
          );
          read = read.filter((r) => insideWorkspace(ctx.workspaceRoot, r));
        }
        const secret = env.filter((e) => SECRET_ENV.test(e));
        if (secret.length > 0) {
          refuse(ctx, `${key}.env`, JSON.stringify(secret), "those variables look like credentials");
          env = env.filter((e) => !SECRET_ENV.test(e));
        }
      }
      p.sandbox.exceptions.push({ crate, read, env, network: allow.network === true, origin: ctx.origin });
    }
  }
  if (s.registries) {
    p.registries.allow = applyAllowList(ctx, "registries.allow", p.registries.allow, s.registries.allow);
    p.registries.allowSources = applyAllowList(
      ctx,
      "registries.allow-sources",
      p.registries.allowSources,
      s.registries["allow-sources"],
    ) as Setting<SourceKind[]>;
  }
  if (s.typosquat) {
    const t = s.typosquat;
    p.typosquat.enabled = applyBool(ctx, "typosquat.enabled", p.typosquat.enabled, t.enabled, true);
    p.typosquat.deny = applyBool(ctx, "typosquat.deny", p.typosquat.deny, t.deny, true);
    if (t.threshold !== undefined) {
      if (ctx.trusted || t.threshold >= p.typosquat.threshold.value) {
        p.typosquat.threshold = { value: t.threshold, origin: ctx.origin };
      } else {
        refuse(
          ctx,
          "typosquat.threshold",
          String(t.threshold),
          `it is lower (looser) than ${p.typosquat.threshold.value} from ${describeOrigin(p.typosquat.threshold.origin)}`,
        );
      }
    }
    for (const crate of t.allow ?? []) p.typosquat.exceptions.push({ crate, origin: ctx.origin });
  }
  const maxSeverity = s["build-scripts"]?.["max-severity"];
  if (maxSeverity !== undefined) {
    const current = p.buildScripts.maxSeverity;
    if (ctx.trusted || SEVERITIES.indexOf(maxSeverity) <= SEVERITIES.indexOf(current.value)) {
      p.buildScripts.maxSeverity = { value: maxSeverity, origin: ctx.origin };
    } else {
      refuse(
        ctx,
        "build-scripts.max-severity",
        `"${maxSeverity}"`,
        `it allows more than "${current.value}" from ${describeOrigin(current.origin)}`,
      );
    }
  }
  if (s.audit) {
    const a = s.audit;
    if (a["advisory-db"] !== undefined) {
      if (ctx.trusted) p.audit.advisoryDb = { value: a["advisory-db"], origin: ctx.origin };
      else
        refuse(
          ctx,
          "audit.advisory-db",
          JSON.stringify(a["advisory-db"]),
          "a project could point it at an empty database",
        );
    }
    for (const crate of a.banned ?? []) p.audit.banned.push({ value: crate, origin: ctx.origin });
    p.audit.licenses = applyAllowList(ctx, "audit.licenses", p.audit.licenses, a.licenses);
    p.audit.gitDepsPinned = applyBool(
      ctx,
      "audit.git-deps-pinned",
      p.audit.gitDepsPinned,
      a["git-deps-pinned"],
      true,
    );
  }
}

export interface LoadWharfConfigOptions {
  /** the workspace root; its wharf.toml is the untrusted project file */
  workspaceRoot: string;
  /** WHARF_HOME; its config.toml is trusted. The CLI supplies the ~/.wharf default. */
  wharfHome: string;
  /** settings from command-line flags: trusted, applied last */
  cliOverrides?: WharfSettings | undefined;
}

export interface LoadedWharfConfig {
  policy: WharfPolicy;
  warnings: Diagnostic[];
  /** every exception in effect with where it came from; the build prints each one */
  exceptionsUsed: readonly (SandboxException | TyposquatException)[];
  /** the policy files that were read, user file first */
  files: string[];
}

/** Defaults, then WHARF_HOME's config (trusted), then the project's wharf.toml (untrusted), then flags. */
export function loadWharfConfig(options: LoadWharfConfigOptions): LoadedWharfConfig {
  const policy = defaultPolicy() as Mutable<WharfPolicy>;
  const warnings: Diagnostic[] = [];
  const files: string[] = [];
  const userFile = join(resolve(options.wharfHome), "config.toml");
  const projectFile = join(resolve(options.workspaceRoot), "wharf.toml");
  const base = { policy, warnings, workspaceRoot: options.workspaceRoot, userFile };
  for (const [file, trusted] of [
    [userFile, true],
    [projectFile, false],
  ] as const) {
    if (!existsSync(file)) continue;
    files.push(file);
    const parsed = parseWharfSettings(readTomlFile(file), file);
    warnings.push(...parsed.warnings);
    const origin: PolicyOrigin = trusted ? { kind: "user", file } : { kind: "project", file };
    applySettings({ ...base, origin, trusted }, parsed.settings);
  }
  if (options.cliOverrides)
    applySettings({ ...base, origin: { kind: "cli" }, trusted: true }, options.cliOverrides);
  return {
    policy,
    warnings,
    exceptionsUsed: [...policy.sandbox.exceptions, ...policy.typosquat.exceptions],
    files,
  };
}
