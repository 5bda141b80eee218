/**
 * Pointing the REAL cargo at a registry served over HTTPS on a loopback address: writes a
 * CARGO_HOME/config.toml (sparse index, cargo:token credential provider, private CA, no
 * retries, optional crates-io replacement) and returns the explicit environment to run
 * cargo with. Never reads or writes the user's ~/.cargo; only loopback URLs are accepted.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { runCargo } from "./run.js";

/** the two homes cargo looks at; a Sandbox from makeTempHome fits */
export interface CargoHomes {
  cargoHome: string;
  home: string;
}

export interface CargoRegistryEnvOptions {
  /** a Sandbox (or any { cargoHome, home }), or a directory in which to create both */
  home: string | CargoHomes;
  /** PEM file of the CA that signed the registry's certificate */
  caCertPath: string;
  /** the name used in `[registries.NAME]` and in `registry = "NAME"` dependencies */
  registryName: string;
  /** https://127.0.0.1:PORT/index/ (a `sparse+` prefix is optional) */
  indexUrl: string;
  /** passed as CARGO_REGISTRIES_<NAME>_TOKEN, never written to a file */
  token?: string;
  /**
   * whether the registry requires auth. Unless this is `false`, the registry gets
   * `credential-provider = "cargo:token"`, which cargo needs to send a token when the
   * registry's config.json says `auth-required: true`. `false` leaves the line out, to
   * test that failure mode.
   */
  authRequired?: boolean;
  /** add `[source.crates-io] replace-with = NAME` so plain dependencies resolve from it */
  replaceCratesIo?: boolean;
  /** `[net] retry`; default 0 so a failing request fails the test at once */
  netRetry?: number;
  /** `[http] timeout` in seconds; default 30 */
  httpTimeoutSecs?: number;
  /** extra environment for cargo (e.g. CARGO_LOG); must not contain secrets you print */
  extraEnv?: Record<string, string>;
}

export interface CargoRegistryClient {
  /** the complete environment to run cargo with (pass as RunOptions.env) */
  env: Record<string, string>;
  configPath: string;
  cargoHome: string;
  home: string;
  registryName: string;
  /** `sparse+https://.../` exactly as written into config.toml (and into Cargo.lock `source`) */
  indexUrl: string;
  /** the variable the token is in, e.g. CARGO_REGISTRIES_WHARF_TEST_TOKEN */
  tokenEnvVar: string;
}

const REGISTRY_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

function isLoopbackHost(hostname: string): boolean {
  if (hostname === "localhost" || hostname === "[::1]") return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** TOML basic string; JSON's escapes are a subset TOML accepts (JSON.stringify never emits `\/`) */
function tomlString(value: string): string {
  return JSON.stringify(value);
}

/** Normalizes to `sparse+https://host:port/path/`, refusing anything but HTTPS on loopback. */
export function loopbackSparseIndexUrl(indexUrl: string): string {
  const raw = indexUrl.startsWith("sparse+") ? indexUrl.slice("sparse+".length) : indexUrl;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`not a URL: ${indexUrl}`);
  }
  if (url.protocol !== "https:") throw new Error(`test registries must use https: ${indexUrl}`);
  if (!isLoopbackHost(url.hostname))
    throw new Error(`test registries must be on a loopback address: ${indexUrl}`);
  if (url.username || url.password || url.search || url.hash) {
    throw new Error(`index URL must not carry credentials, query or fragment: ${url.origin}`);
  }
  const path = url.pathname.endsWith("/") ? url.pathname : `${url.pathname}/`;
  return `sparse+${url.origin}${path}`;
}

/** CARGO_REGISTRIES_<NAME>_TOKEN, as cargo spells it (upper case, `-` to `_`). */
export function registryTokenEnvVar(registryName: string): string {
  return `CARGO_REGISTRIES_${registryName.toUpperCase().replaceAll("-", "_")}_TOKEN`;
}

/** The text of config.toml for these options (no token in it). */
export function cargoRegistryConfigToml(
  options: Pick<
    CargoRegistryEnvOptions,
    "caCertPath" | "registryName" | "authRequired" | "replaceCratesIo" | "netRetry" | "httpTimeoutSecs"
  > & { indexUrl: string },
): string {
  const name = options.registryName;
  const lines = [
    "# written by @wharf/test-support cargoRegistryEnv for one test; safe to delete",
    `[registries.${name}]`,
    `index = ${tomlString(options.indexUrl)}`,
  ];
  if (options.authRequired !== false) lines.push(`credential-provider = ${tomlString("cargo:token")}`);
  lines.push(
    "",
    "[registry]",
    `global-credential-providers = [${tomlString("cargo:token")}]`,
    "",
    "[http]",
    `cainfo = ${tomlString(options.caCertPath)}`,
    `timeout = ${options.httpTimeoutSecs ?? 30}`,
    "",
    "[net]",
    `retry = ${options.netRetry ?? 0}`,
  );
  if (options.replaceCratesIo) {
    lines.push("", "[source.crates-io]", `replace-with = ${tomlString(name)}`);
  }
  lines.push("");
  return lines.join("\n");
}

/**
 * Writes $CARGO_HOME/config.toml for a registry at `indexUrl` and returns the environment
 * to run real cargo with. The environment is explicit (not inherited): PATH, HOME,
 * CARGO_HOME, CARGO_HTTP_CAINFO, the token variable when a token is given, no colour, and
 * RUSTUP_HOME / RUSTUP_TOOLCHAIN passed through with RUSTUP_AUTO_INSTALL=0 so the rustup
 * proxies work without ever downloading.
 */
export function cargoRegistryEnv(options: CargoRegistryEnvOptions): CargoRegistryClient {
  if (!REGISTRY_NAME.test(options.registryName)) {
    throw new Error(`invalid registry name: ${JSON.stringify(options.registryName)}`);
  }
  if (!isAbsolute(options.caCertPath)) throw new Error(`caCertPath must be absolute: ${options.caCertPath}`);
  if (options.token !== undefined && !/^[\x21-\x7e]{1,4096}$/.test(options.token)) {
    throw new Error("token must be printable ASCII without spaces");
  }
  const homes: CargoHomes =
    typeof options.home === "string"
      ? { cargoHome: join(options.home, ".cargo-home"), home: join(options.home, "home") }
      : { cargoHome: options.home.cargoHome, home: options.home.home };
  for (const d of [homes.cargoHome, homes.home]) {
    if (!isAbsolute(d)) throw new Error(`cargo homes must be absolute paths: ${d}`);
    mkdirSync(d, { recursive: true });
  }
  const indexUrl = loopbackSparseIndexUrl(options.indexUrl);
  const configPath = join(homes.cargoHome, "config.toml");
  writeFileSync(configPath, cargoRegistryConfigToml({ ...options, indexUrl }));

  const tokenEnvVar = registryTokenEnvVar(options.registryName);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: homes.home,
    CARGO_HOME: homes.cargoHome,
    CARGO_HTTP_CAINFO: options.caCertPath,
    CARGO_TERM_COLOR: "never",
    NO_COLOR: "1",
    RUSTUP_AUTO_INSTALL: "0",
  };
  if (process.env.RUSTUP_HOME) env.RUSTUP_HOME = process.env.RUSTUP_HOME;
  else if (process.env.HOME) env.RUSTUP_HOME = join(process.env.HOME, ".rustup");
  if (process.env.RUSTUP_TOOLCHAIN) env.RUSTUP_TOOLCHAIN = process.env.RUSTUP_TOOLCHAIN;
  if (options.token !== undefined) env[tokenEnvVar] = options.token;
  Object.assign(env, options.extraEnv ?? {});
  return {
    env,
    configPath,
    cargoHome: homes.cargoHome,
    home: homes.home,
    registryName: options.registryName,
    indexUrl,
    tokenEnvVar,
  };
}

/** Where a crate's index file lives in a sparse index: `1/a`, `2/ab`, `3/a/abc`, `ab/cd/abcd…`. */
export function sparseIndexPath(name: string): string {
  const n = name.toLowerCase();
  if (!/^[a-z0-9_-]{1,64}$/.test(n)) throw new Error(`invalid crate name for an index path: ${name}`);
  if (n.length === 1) return `1/${n}`;
  if (n.length === 2) return `2/${n}`;
  if (n.length === 3) return `3/${n[0]}/${n}`;
  return `${n.slice(0, 2)}/${n.slice(2, 4)}/${n}`;
}

export interface PackagedCrate {
  cratePath: string;
  bytes: Buffer;
  /** sha256 hex of the .crate, as the index `cksum` and Cargo.lock `checksum` */
  cksum: string;
}

/**
 * Runs real `cargo package --no-verify` in `dir` (a crate without registry dependencies)
 * and returns the .crate it wrote. `env` should come from makeTempHome.
 */
export function cargoPackage(options: {
  dir: string;
  env: Record<string, string>;
  name: string;
  version: string;
}): PackagedCrate {
  const r = runCargo(["package", "--no-verify", "--allow-dirty", "--offline", "--quiet"], {
    cwd: options.dir,
    env: options.env,
    timeoutMs: 120_000,
  });
  if (r.status !== 0) throw new Error(`cargo package failed in ${options.dir}:\n${r.stderr}`);
  const cratePath = join(options.dir, "target", "package", `${options.name}-${options.version}.crate`);
  const bytes = readFileSync(cratePath);
  return { cratePath, bytes, cksum: createHash("sha256").update(bytes).digest("hex") };
}
