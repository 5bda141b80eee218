/**
 * Settings a build reads besides the resolve: `[profile.*]` tables from cargo config
 * converted to the manifest's profile shape, and which host environment variables jobs may
 * see. Jobs get an explicit environment: the toolchain and C-compiler variables build
 * scripts commonly read pass through; anything that looks like a credential, and HOME,
 * never does.
 */
import type { TomlProfile } from "@wharf/protocol";
import type { ConfigTable, ConfigValue } from "../config/index.js";

function plain(v: ConfigValue): string | number | boolean | string[] | undefined {
  if (v.kind === "string" || v.kind === "boolean") return v.value;
  if (v.kind === "integer") return Number(v.value);
  if (v.kind === "list") return v.items.flatMap((i) => (i.kind === "string" ? [i.value] : []));
  return undefined;
}

export function profileFromConfig(table: ConfigTable, nested = false): TomlProfile {
  const out: TomlProfile = {};
  for (const [k, v] of table.entries) {
    const p = plain(v);
    switch (k) {
      case "opt-level":
        out.optLevel = p as number | string;
        break;
      case "debug":
        out.debug = p as boolean | number | string;
        break;
      case "debug-assertions":
        out.debugAssertions = p as boolean;
        break;
      case "overflow-checks":
        out.overflowChecks = p as boolean;
        break;
      case "lto":
        out.lto = p as boolean | string;
        break;
      case "codegen-units":
        out.codegenUnits = p as number;
        break;
      case "panic":
        out.panic = p as string;
        break;
      case "incremental":
        out.incremental = p as boolean;
        break;
      case "strip":
        out.strip = p as boolean | string;
        break;
      case "rpath":
        out.rpath = p as boolean;
        break;
      case "inherits":
        out.inherits = p as string;
        break;
      case "rustflags":
        out.rustflags = p as string[];
        break;
      case "build-override":
        if (!nested && v.kind === "table") out.buildOverride = profileFromConfig(v, true);
        break;
      case "package":
        if (!nested && v.kind === "table") {
          out.package = new Map();
          for (const [name, t] of v.entries)
            if (t.kind === "table") out.package.set(name, profileFromConfig(t, true));
        }
        break;
    }
  }
  return out;
}

const SECRET_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|API_?KEY|PRIVATE|AUTH|COOKIE|SESSION/i;
const NEVER = new Set(["HOME", "USER", "LOGNAME", "MAIL", "OLDPWD", "PWD", "SHELL", "DISPLAY", "XAUTHORITY"]);
const NEVER_PREFIX = [
  "SSH_",
  "GPG_",
  "AWS_",
  "GITHUB_",
  "GITLAB_",
  "NPM_",
  "WHARF_",
  "RUSTUP_",
  "DBUS_",
  "XDG_",
];

/** The host variables jobs (rustc, build scripts) may see. */
export function passthroughEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) continue;
    if (NEVER.has(k) || SECRET_NAME.test(k) || NEVER_PREFIX.some((p) => k.startsWith(p))) continue;
    // cargo's own settings are the builder's business, not the jobs'
    if (k.startsWith("CARGO_") || k === "RUSTFLAGS" || k === "RUSTC" || k === "RUSTC_WRAPPER") continue;
    out[k] = v;
  }
  if (out.PATH === undefined) out.PATH = "/usr/local/bin:/usr/bin:/bin";
  return out;
}
