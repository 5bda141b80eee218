/**
 * Registry credentials, found the way cargo finds them, with Wharf's stricter rules:
 * providers come from `registries.NAME.credential-provider` (`registry.credential-provider`
 * for crates.io), else `registry.global-credential-providers` (last entry first), else
 * `cargo:token`. `cargo:token` looks in WHARF_REGISTRIES_<NAME>_TOKEN, then
 * CARGO_REGISTRIES_<NAME>_TOKEN (CARGO_REGISTRY_TOKEN for crates-io), then
 * WHARF_HOME/credentials.toml, then cargo's CARGO_HOME/credentials[.toml] (each refused when
 * group- or world-accessible), then a token in config.toml. `cargo:token-from-stdout` and
 * external providers run as child processes (credential-provider-process.ts). Every token
 * is reported to `onSecret` the moment it is known, so the shell can redact it.
 */
import { join } from "node:path";
import { CRATES_IO_INDEX, REDACTED, WharfError } from "@wharf/protocol";
import { type CargoConfig, definitionRoot, type Env, type PathAndArgs } from "../config/index.js";
import {
  type ProviderOutcome,
  type RegistryInfo,
  runCredentialProcess,
  runTokenFromStdout,
} from "./credential-provider-process.js";
import { readCredentialsFile } from "./credentials-file.js";

export interface CredentialSettings {
  config: CargoConfig;
  /** the process environment, passed in */
  env: Env;
  cwd: string;
  wharfHome: string;
  cargoHome: string;
  /** `credential-alias.NAME` as program + arguments, if configured */
  credentialAlias?: ((name: string) => string[] | undefined) | undefined;
  /** receives every token as soon as it is known (the shell redacts them from all output) */
  onSecret?: ((token: string) => void) | undefined;
  /** verbose status lines, cargo's `Credential <provider> get <registry>` */
  onStatus?: ((word: string, message: string) => void) | undefined;
  providerTimeoutMs?: number | undefined;
}

const BUILT_IN = new Set([
  "cargo:token",
  "cargo:paseto",
  "cargo:token-from-stdout",
  "cargo:wincred",
  "cargo:macos-keychain",
  "cargo:libsecret",
]);

function stripSlash(url: string): string {
  return url.replace(/\/+$/, "");
}

/** `my-reg` -> `MY_REG`, the spelling of a registry name in environment variables. */
export function envKeyOfRegistry(name: string): string {
  return name.toUpperCase().replaceAll("-", "_");
}

/** Where `cargo:token` would look for this registry, in the order it looks (for messages). */
function tokenEnvVars(name: string): string[] {
  const key = envKeyOfRegistry(name);
  return [
    `WHARF_REGISTRIES_${key}_TOKEN`,
    name === "crates-io" ? "CARGO_REGISTRY_TOKEN" : `CARGO_REGISTRIES_${key}_TOKEN`,
  ];
}

/**
 * The configuration name of a registry index URL: `crates-io` for crates.io, else a
 * CARGO_REGISTRIES_<NAME>_INDEX variable (preferred, as in cargo), else `[registries.NAME]`.
 */
export function registryNameFor(indexUrl: string, config: CargoConfig, env: Env): string | undefined {
  const want = stripSlash(indexUrl);
  if (want === stripSlash(CRATES_IO_INDEX)) return "crates-io";
  const fromEnv: string[] = [];
  for (const [k, v] of Object.entries(env)) {
    const m = /^CARGO_REGISTRIES_(.+)_INDEX$/.exec(k);
    if (m?.[1] && v !== undefined && stripSlash(v) === want) fromEnv.push(m[1].toLowerCase());
  }
  const names =
    fromEnv.length > 0
      ? fromEnv
      : [...config.registries.values()]
          .filter((r) => r.index !== undefined && stripSlash(r.index.value) === want)
          .map((r) => r.name);
  names.sort();
  if (names.length > 1) {
    throw new WharfError({
      code: "CONFIG_REGISTRY_AMBIGUOUS",
      message: `multiple registries are configured with the same index url '${indexUrl}': ${names.join(", ")}`,
    });
  }
  return names[0];
}

interface Provider {
  argv: string[];
}

/** A token checked to be usable as a header value; the message never shows it. */
function checkToken(token: string, from: string): string {
  if (token === "") {
    throw new WharfError({ code: "CREDENTIAL_TOKEN_INVALID", message: `the token from ${from} is empty` });
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\x00-\x08\x0a-\x1f\x7f]/.test(token)) {
    throw new WharfError({
      code: "CREDENTIAL_TOKEN_INVALID",
      message: `the token from ${from} contains a line break or control character, so it cannot be sent as an Authorization header (value not shown)`,
    });
  }
  return token;
}

/** The token of one registry for one wharf run, asked of its providers at most once per cache rule. */
export class RegistryCredentials {
  readonly indexUrl: string;
  /** looked up on first use: a public registry never needs its name, nor fails on an ambiguous one */
  private resolvedName: { value: string | undefined } | undefined;
  private cached: { token: string; untilMs: number } | undefined;
  private pending: Promise<string> | undefined;

  constructor(
    private readonly settings: CredentialSettings,
    registry: { indexUrl: string; name?: string | undefined },
  ) {
    this.indexUrl = registry.indexUrl;
    if (registry.name !== undefined) this.resolvedName = { value: registry.name };
  }

  /** The registry's configuration name (`crates-io` for crates.io), if it has one. */
  get name(): string | undefined {
    this.resolvedName ??= { value: registryNameFor(this.indexUrl, this.settings.config, this.settings.env) };
    return this.resolvedName.value;
  }

  /** How the registry is named in messages. */
  get display(): string {
    return this.name === "crates-io" ? "crates-io" : (this.name ?? this.indexUrl);
  }

  /** The token to send, from the first provider that has one; throws when none has. */
  token(headers: readonly string[] = [], loginUrl?: string): Promise<string> {
    if (this.cached !== undefined && Date.now() < this.cached.untilMs)
      return Promise.resolve(this.cached.token);
    this.pending ??= this.lookup(headers, loginUrl).finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** The providers to ask, in order, as cargo chooses them. */
  providers(): Provider[] {
    const { config } = this.settings;
    const specific: PathAndArgs | undefined =
      this.name === "crates-io"
        ? config.registry.credentialProvider
        : this.name !== undefined
          ? config.registries.get(this.name)?.credentialProvider
          : undefined;
    if (specific !== undefined) return [{ argv: this.alias([specific.program.resolved, ...specific.args]) }];
    const global = config.registry.globalCredentialProviders;
    if (global !== undefined && global.value.length > 0) {
      const root = definitionRoot(global.definition, this.settings.cwd);
      return [...global.value].reverse().map((entry) => {
        const words = entry.split(/\s+/).filter((w) => w !== "");
        const [program = "", ...args] = words;
        const resolved = program.includes("/") && !program.startsWith("/") ? join(root, program) : program;
        return { argv: this.alias([resolved, ...args]) };
      });
    }
    return [{ argv: ["cargo:token"] }];
  }

  private alias(argv: string[]): string[] {
    const [program] = argv;
    if (argv.length !== 1 || program === undefined || BUILT_IN.has(program)) return argv;
    return this.settings.credentialAlias?.(program) ?? argv;
  }

  private async lookup(headers: readonly string[], loginUrl: string | undefined): Promise<string> {
    const providers = this.providers();
    const registry: RegistryInfo = { indexUrl: this.indexUrl, name: this.name, headers };
    let anyNotFound = false;
    for (const { argv } of providers) {
      const display = argv.join(" ");
      this.settings.onStatus?.("Credential", `${display} get ${this.display}`);
      const outcome = await this.perform(argv, registry);
      if (outcome.kind === "token") {
        const token = checkToken(outcome.token, `credential provider \`${display}\``);
        this.settings.onSecret?.(token);
        if (outcome.cache === "session") this.cached = { token, untilMs: Number.POSITIVE_INFINITY };
        else if (outcome.cache === "expires" && outcome.expiresAtMs !== undefined)
          this.cached = { token, untilMs: outcome.expiresAtMs - 60_000 };
        return token;
      }
      if (outcome.kind === "not-found") anyNotFound = true;
      // url-not-supported and operation-not-supported: try the next provider, as cargo does
    }
    if (anyNotFound) throw this.missingError(loginUrl);
    throw new WharfError({
      code: "CREDENTIAL_NO_PROVIDER",
      message: `no credential providers could handle the request for registry \`${this.display}\``,
      notes: [`providers tried: ${providers.map((p) => `\`${p.argv.join(" ")}\``).join(", ")}`],
      hint: "wharf supports `cargo:token`, `cargo:token-from-stdout` and external providers speaking cargo's credential protocol",
    });
  }

  private async perform(argv: string[], registry: RegistryInfo): Promise<ProviderOutcome> {
    const [program = "", ...args] = argv;
    const o = { env: this.settings.env, cwd: this.settings.cwd, timeoutMs: this.settings.providerTimeoutMs };
    if (program === "cargo:token") return this.fromTokenStores();
    if (program === "cargo:token-from-stdout") return runTokenFromStdout(args, registry, o);
    // paseto, wincred, macos-keychain, libsecret: built into cargo, not into wharf
    if (BUILT_IN.has(program)) return { kind: "url-not-supported" };
    return runCredentialProcess(program, args, registry, o);
  }

  /** `cargo:token`: environment, then Wharf's credentials file, then cargo's, then config. */
  private fromTokenStores(): ProviderOutcome {
    const name = this.name;
    if (name === undefined) return { kind: "not-found" };
    const found = (token: string): ProviderOutcome => ({ kind: "token", token, cache: "session" });
    for (const v of tokenEnvVars(name)) {
      const value = this.settings.env[v];
      if (value !== undefined && value !== "") return found(value);
    }
    const readers = [
      () => readCredentialsFile(join(this.settings.wharfHome, "credentials.toml")),
      // cargo prefers the legacy extension-less file when both exist
      () =>
        readCredentialsFile(join(this.settings.cargoHome, "credentials")) ??
        readCredentialsFile(join(this.settings.cargoHome, "credentials.toml")),
    ];
    for (const read of readers) {
      const token = read()?.tokens.get(name);
      if (token !== undefined) return found(token.expose());
    }
    const { config } = this.settings;
    const configured = name === "crates-io" ? config.registry.token : config.registries.get(name)?.token;
    if (configured !== undefined) return found(configured.value.expose());
    return { kind: "not-found" };
  }

  private missingError(loginUrl: string | undefined): WharfError {
    const name = this.name;
    const hasTokenProvider = this.providers().some((p) => p.argv[0] === "cargo:token");
    const notes = loginUrl ? [`the registry says tokens are issued at ${loginUrl}`] : [];
    if (name === undefined) {
      return new WharfError({
        code: "REGISTRY_TOKEN_MISSING",
        message: `no token found for \`${this.indexUrl}\`: the registry requires authentication`,
        notes,
        hint: `name the registry in .cargo/config.toml (\`[registries] my-registry = { index = "${this.indexUrl}" }\`), then give its token with WHARF_REGISTRIES_MY_REGISTRY_TOKEN or a credential provider`,
      });
    }
    const login = name === "crates-io" ? "cargo login" : `cargo login --registry ${name}`;
    const credentialsToml = join(this.settings.wharfHome, "credentials.toml");
    const tableKey = name === "crates-io" ? "[registry]" : `[registries.${name}]`;
    return new WharfError({
      code: "REGISTRY_TOKEN_MISSING",
      message: `no token found for registry \`${name}\` (${this.indexUrl}), which requires authentication`,
      notes,
      hint: hasTokenProvider
        ? `set ${tokenEnvVars(name).join(" or ")}, put \`${tableKey} token = "..."\` in ${credentialsToml} (mode 0600), or run \`${login}\``
        : "log in using this registry's credential provider",
    });
  }

  /** For a 401/403 answer to a request that carried the token. */
  rejectedError(url: string, status: number): WharfError {
    const name = this.name;
    return new WharfError({
      code: "REGISTRY_TOKEN_REJECTED",
      message: `token rejected for registry \`${this.display}\`: ${url} answered HTTP ${status}`,
      hint:
        name === undefined
          ? "check the token your credential provider returns"
          : `the token may be expired or revoked; get a new one and log in again (\`${name === "crates-io" ? "cargo login" : `cargo login --registry ${name}`}\`)`,
    });
  }
}

/** Builds RegistryCredentials for the registries of one wharf run. */
export class CredentialResolver {
  constructor(private readonly settings: CredentialSettings) {}

  forRegistry(indexUrl: string, name?: string): RegistryCredentials {
    return new RegistryCredentials(this.settings, { indexUrl, name });
  }
}

/** Replaces every known token in `text` (for text that did not come through the shell). */
export function scrubTokens(text: string, tokens: Iterable<string>): string {
  let out = text;
  for (const t of tokens) if (t.length > 0) out = out.replaceAll(t, REDACTED);
  return out;
}
