/**
 * Turns the merged cargo config (files, `--config`, environment) into the typed
 * CargoConfig, with type errors that name the key and the file or variable.
 */
import { type Diagnostic, WharfError } from "@wharf/protocol";
import type {
  BuildConfig,
  CargoConfig,
  ColorChoice,
  HttpConfig,
  JobsSetting,
  NetConfig,
  ProfileConfig,
  RegistryConfig,
  RegistryDefaults,
  SourceConfig,
  SourceLocation,
  TargetConfig,
  TermConfig,
} from "./cargo-config.js";
import { type ConfigKey, displayConfigKey } from "./config-key.js";
import { type ConfigPath, type ConfigReader, type Sourced, typeError, valueError } from "./config-reader.js";
import { type ConfigTable, type ConfigValue, cloneConfigValue, emptyTable } from "./config-value.js";
import { describeDefinition } from "./definition.js";
import { validateProfileTable } from "./profile-config.js";
import { Secret } from "./secret.js";
import { validateSourceReplacement } from "./source-replacement.js";

const U32 = { min: 0, max: 0xffff_ffff };
const U64 = { min: 0, max: Number.MAX_SAFE_INTEGER };

function oneOf<T extends string>(
  reader: ConfigReader,
  key: string,
  allowed: readonly T[],
): Sourced<T> | undefined {
  const v = reader.getString(key);
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v.value)) {
    throw valueError(
      key.split("."),
      v.definition,
      `expected one of ${allowed.map((a) => `\`${a}\``).join(", ")}, found \`${v.value}\``,
    );
  }
  return { value: v.value as T, definition: v.definition };
}

function tokenWarning(key: string, token: Sourced<string>): Diagnostic {
  const file = token.definition.kind === "path" ? token.definition.path : undefined;
  return {
    level: "warning",
    code: "CONFIG_TOKEN_IN_CONFIG",
    file,
    message: `\`${key}\` is set in ${describeDefinition(token.definition)}; a token there is readable by anything that reads the project or its config (value not shown)`,
  };
}

function readRegistries(reader: ConfigReader, warnings: Diagnostic[]): Map<string, RegistryConfig> {
  const out = new Map<string, RegistryConfig>();
  for (const name of reader.tableKeys("registries")) {
    const base: ConfigKey = ["registries", name];
    const token = reader.getString([...base, "token"]);
    if (token !== undefined) warnings.push(tokenWarning(`registries.${name}.token`, token));
    const protocol = reader.getString([...base, "protocol"]);
    if (protocol !== undefined && protocol.value !== "sparse" && protocol.value !== "git") {
      throw valueError(
        [...base, "protocol"],
        protocol.definition,
        `expected \`sparse\` or \`git\`, found \`${protocol.value}\``,
      );
    }
    out.set(name, {
      name,
      index: reader.getString([...base, "index"]),
      token: token && { value: new Secret(token.value), definition: token.definition },
      credentialProvider: reader.getPathAndArgs([...base, "credential-provider"]),
      protocol: protocol as Sourced<"sparse" | "git"> | undefined,
    });
  }
  return out;
}

function readRegistryDefaults(reader: ConfigReader, warnings: Diagnostic[]): RegistryDefaults {
  const token = reader.getString("registry.token");
  if (token !== undefined) warnings.push(tokenWarning("registry.token", token));
  const global = reader.getCvWithEnv("registry.global-credential-providers");
  let globalCredentialProviders: Sourced<string[]> | undefined;
  if (global !== undefined) {
    if (global.kind !== "list")
      throw typeError(["registry", "global-credential-providers"], "an array of strings", global);
    globalCredentialProviders = {
      value: global.items.map((item) => {
        if (item.kind !== "string")
          throw typeError(["registry", "global-credential-providers"], "a string", item);
        return item.value;
      }),
      definition: global.items.at(-1)?.definition ?? global.definition,
    };
  }
  return {
    default: reader.getString("registry.default"),
    token: token && { value: new Secret(token.value), definition: token.definition },
    credentialProvider: reader.getPathAndArgs("registry.credential-provider"),
    globalCredentialProviders,
  };
}

function readSources(reader: ConfigReader): Map<string, SourceConfig> {
  const out = new Map<string, SourceConfig>();
  for (const name of reader.tableKeys("source")) {
    const key = (k: string): ConfigKey => ["source", name, k];
    const locations: SourceLocation[] = [];
    const registry = reader.getString(key("registry"));
    if (registry) locations.push({ kind: "registry", url: registry });
    const localRegistry = reader.getPath(key("local-registry"));
    if (localRegistry) locations.push({ kind: "local-registry", path: localRegistry });
    const directory = reader.getPath(key("directory"));
    if (directory) locations.push({ kind: "directory", path: directory });
    const git = reader.getString(key("git"));
    const refs = (["branch", "tag", "rev"] as const)
      .map((kind) => ({ kind, value: reader.getString(key(kind)) }))
      .filter((r): r is { kind: "branch" | "tag" | "rev"; value: Sourced<string> } => r.value !== undefined);
    if (git) {
      // cargo takes branch over tag over rev without complaint; more than one is a mistake.
      if (refs.length > 1) {
        throw valueError(
          ["source", name],
          refs[1]?.value.definition ?? git.definition,
          `only one of \`branch\`, \`tag\` or \`rev\` may be given, found ${refs.map((r) => `\`${r.kind}\``).join(" and ")}`,
        );
      }
      locations.push({ kind: "git", url: git, reference: refs[0] });
    } else if (refs[0] !== undefined) {
      throw new WharfError({
        code: "CONFIG_SOURCE",
        message: `source definition \`source.${name}\` specifies \`${refs[0].kind}\`, but that requires a \`git\` key to be specified (in ${describeDefinition(refs[0].value.definition)})`,
      });
    }
    for (const loc of locations) {
      if (loc.kind === "registry" || loc.kind === "git") checkUrl(key(loc.kind), loc.url);
    }
    if (locations.length === 0 && name !== "crates-io") {
      throw new WharfError({
        code: "CONFIG_SOURCE",
        message: `no source location specified for \`source.${name}\`, need \`registry\`, \`local-registry\`, \`directory\`, or \`git\` defined`,
      });
    }
    if (locations.length > 1) {
      throw new WharfError({
        code: "CONFIG_SOURCE",
        message: `more than one source location specified for \`source.${name}\``,
      });
    }
    out.set(name, { name, location: locations[0], replaceWith: reader.getString(key("replace-with")) });
  }
  return out;
}

function checkUrl(key: ConfigKey, url: Sourced<string>): void {
  const raw = url.value.replace(/^(sparse|registry)\+/, "");
  if (!URL.canParse(raw)) {
    throw new WharfError({
      code: "CONFIG_URL",
      message: `configuration key \`${displayConfigKey(key)}\` specified an invalid URL (in ${describeDefinition(url.definition)})`,
    });
  }
}

function readHttp(reader: ConfigReader): HttpConfig {
  return {
    cainfo: reader.getPath("http.cainfo"),
    proxyCainfo: reader.getPath("http.proxy-cainfo"),
    timeout: reader.getNumber("http.timeout", U64),
    proxy: reader.getString("http.proxy"),
    checkRevoke: reader.getBool("http.check-revoke"),
    multiplexing: reader.getBool("http.multiplexing"),
    lowSpeedLimit: reader.getNumber("http.low-speed-limit", U32),
    userAgent: reader.getString("http.user-agent"),
    debug: reader.getBool("http.debug"),
  };
}

function readNet(reader: ConfigReader): NetConfig {
  return {
    offline: reader.getBool("net.offline"),
    retry: reader.getNumber("net.retry", U32),
    gitFetchWithCli: reader.getBool("net.git-fetch-with-cli"),
  };
}

function readJobs(reader: ConfigReader): Sourced<JobsSetting> | undefined {
  const cv = reader.getCvWithEnv("build.jobs");
  if (cv === undefined) return undefined;
  if (cv.kind === "integer") {
    if (cv.value === 0n) throw valueError(["build", "jobs"], cv.definition, "jobs may not be 0");
    if (cv.value < -(2n ** 31n) || cv.value >= 2n ** 31n) {
      throw valueError(["build", "jobs"], cv.definition, `${cv.value} is out of range for a job count`);
    }
    return { value: Number(cv.value), definition: cv.definition };
  }
  if (cv.kind === "string") {
    if (cv.value !== "default") {
      throw valueError(
        ["build", "jobs"],
        cv.definition,
        `could not parse \`${cv.value}\`. Number of parallel jobs should be \`default\` or a number.`,
      );
    }
    return { value: "default", definition: cv.definition };
  }
  throw typeError(["build", "jobs"], "an integer or `default`", cv);
}

/** The job count cargo would use: negative means "all cores but n", never below 1. */
export function resolveJobs(jobs: JobsSetting | undefined, availableParallelism: number): number {
  if (jobs === undefined || jobs === "default") return availableParallelism;
  return jobs < 0 ? Math.max(1, availableParallelism + jobs) : jobs;
}

function readTargetDir(reader: ConfigReader): ConfigPath | undefined {
  const env = reader.env["CARGO_TARGET_DIR"];
  if (env !== undefined) {
    const definition = { kind: "env", name: "CARGO_TARGET_DIR" } as const;
    if (env === "")
      throw valueError(["build", "target-dir"], definition, "the target directory is set to an empty string");
    return { raw: env, resolved: reader.resolvePath(env, { kind: "builtin" }), definition };
  }
  const dir = reader.getPath("build.target-dir");
  if (dir !== undefined && dir.raw === "") {
    throw valueError(
      ["build", "target-dir"],
      dir.definition,
      "the target directory is set to an empty string",
    );
  }
  return dir;
}

function readBuild(reader: ConfigReader): BuildConfig {
  const target = reader.getCvWithEnv("build.target");
  let targets: Sourced<string[]> | undefined;
  if (target?.kind === "string") targets = { value: [target.value], definition: target.definition };
  else if (target?.kind === "list") {
    targets = {
      value: target.items.map((item) => {
        if (item.kind !== "string") throw typeError(["build", "target"], "a string", item);
        return item.value;
      }),
      definition: target.items.at(-1)?.definition ?? target.definition,
    };
  } else if (target !== undefined)
    throw typeError(["build", "target"], "a string or array of strings", target);
  return {
    jobs: readJobs(reader),
    target: targets,
    targetDir: readTargetDir(reader),
    rustflags: reader.getStringList("build.rustflags"),
    rustdocflags: reader.getStringList("build.rustdocflags"),
    incremental: reader.getBool("build.incremental"),
  };
}

/**
 * `[target.<triple>]` for any triple, including ones only set through
 * `CARGO_TARGET_<TRIPLE>_*` variables (which cannot be listed, only looked up).
 */
export function readTargetConfig(reader: ConfigReader, key: string): TargetConfig {
  const k = (field: string): ConfigKey => ["target", key, field];
  const table = reader.getCv(["target", key]);
  if (table !== undefined && table.kind !== "table") throw typeError(["target", key], "a table", table);
  return {
    key,
    runner: reader.getPathAndArgs(k("runner")),
    linker: (() => {
      const v = reader.getString(k("linker"));
      return (
        v && {
          raw: v.value,
          resolved: reader.resolveProgram(v.value, v.definition),
          definition: v.definition,
        }
      );
    })(),
    rustflags: reader.getStringList(k("rustflags")),
    rustdocflags: reader.getStringList(k("rustdocflags")),
  };
}

function readTerm(reader: ConfigReader): TermConfig {
  const term: TermConfig = {
    color: oneOf<ColorChoice>(reader, "term.color", ["auto", "always", "never"]),
    verbose: reader.getBool("term.verbose"),
    quiet: reader.getBool("term.quiet"),
  };
  if (term.verbose?.value === true && term.quiet?.value === true) {
    throw new WharfError({
      code: "CONFIG_VALUE",
      message: `cannot set both \`term.verbose\` (${describeDefinition(term.verbose.definition)}) and \`term.quiet\` (${describeDefinition(term.quiet.definition)})`,
    });
  }
  return term;
}

const BUILTIN_PROFILES = ["dev", "release", "test", "bench"];

/** Profile keys cargo reads from `CARGO_PROFILE_<NAME>_<KEY>`. */
const PROFILE_ENV_KEYS = [
  "opt-level",
  "debug",
  "split-debuginfo",
  "strip",
  "debug-assertions",
  "overflow-checks",
  "lto",
  "panic",
  "incremental",
  "codegen-units",
  "rpath",
  "inherits",
  "codegen-backend",
];

/** A profile from files, with `CARGO_PROFILE_<NAME>_<KEY>` applied on top, then validated. */
export function readProfileConfig(
  reader: ConfigReader,
  name: string,
  warnings: Diagnostic[],
): ProfileConfig | undefined {
  const cv = reader.getCv(["profile", name]);
  if (cv !== undefined && cv.kind !== "table") throw typeError(["profile", name], "a table", cv);
  const table: ConfigTable = cv ? (cloneConfigValue(cv) as ConfigTable) : emptyTable({ kind: "builtin" });
  for (const field of PROFILE_ENV_KEYS) {
    const v: ConfigValue | undefined = reader.getCvWithEnv(["profile", name, field]);
    if (v !== undefined) table.entries.set(field, v);
  }
  if (table.entries.size === 0) return undefined;
  validateProfileTable(table, ["profile", name], warnings);
  return { name, table };
}

function readAliases(reader: ConfigReader): Map<string, Sourced<string[]>> {
  const out = new Map<string, Sourced<string[]>>();
  for (const name of reader.tableKeys("alias")) {
    const v = reader.getStringList(["alias", name]);
    if (v) out.set(name, v);
  }
  return out;
}

export function readCargoConfig(reader: ConfigReader): { config: CargoConfig; warnings: Diagnostic[] } {
  const warnings: Diagnostic[] = [];
  const profile = new Map<string, ProfileConfig>();
  for (const name of new Set([...BUILTIN_PROFILES, ...reader.tableKeys("profile")])) {
    const p = readProfileConfig(reader, name, warnings);
    if (p) profile.set(name, p);
  }
  const config: CargoConfig = {
    registries: readRegistries(reader, warnings),
    registry: readRegistryDefaults(reader, warnings),
    source: readSources(reader),
    http: readHttp(reader),
    net: readNet(reader),
    build: readBuild(reader),
    target: new Map(reader.tableKeys("target").map((key) => [key, readTargetConfig(reader, key)] as const)),
    profile,
    term: readTerm(reader),
    alias: readAliases(reader),
  };
  validateSourceReplacement(config);
  return { config, warnings: [...warnings, ...reader.warnings] };
}
