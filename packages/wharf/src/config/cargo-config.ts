/**
 * The typed view of cargo configuration for the keys Wharf uses. Every value keeps its
 * Definition (which file, env var or `--config` set it) for error messages and path
 * resolution. Keys Wharf does not use stay readable through ConfigReader.
 */
import type { ConfigPath, PathAndArgs, Sourced } from "./config-reader.js";
import type { ConfigTable } from "./config-value.js";
import type { Secret } from "./secret.js";

export interface RegistryConfig {
  readonly name: string;
  readonly index?: Sourced<string> | undefined;
  /** present only to warn about it: tokens belong in credentials.toml or a provider */
  readonly token?: Sourced<Secret> | undefined;
  readonly credentialProvider?: PathAndArgs | undefined;
  /** `registries.crates-io.protocol`: "sparse" or "git" */
  readonly protocol?: Sourced<"sparse" | "git"> | undefined;
}

export interface RegistryDefaults {
  readonly default?: Sourced<string> | undefined;
  readonly token?: Sourced<Secret> | undefined;
  readonly credentialProvider?: PathAndArgs | undefined;
  /** each entry is a provider with its arguments, as one whitespace-separated string */
  readonly globalCredentialProviders?: Sourced<string[]> | undefined;
}

/** Where a `[source.NAME]` gets its packages from; at most one per source. */
export type SourceLocation =
  | { readonly kind: "registry"; readonly url: Sourced<string> }
  | { readonly kind: "local-registry"; readonly path: ConfigPath }
  | { readonly kind: "directory"; readonly path: ConfigPath }
  | {
      readonly kind: "git";
      readonly url: Sourced<string>;
      readonly reference?:
        | { readonly kind: "branch" | "tag" | "rev"; readonly value: Sourced<string> }
        | undefined;
    };

export interface SourceConfig {
  readonly name: string;
  /** undefined only for `crates-io`, which has a built-in location */
  readonly location?: SourceLocation | undefined;
  readonly replaceWith?: Sourced<string> | undefined;
}

export type ProxySource = "config" | "env";

export interface HttpConfig {
  readonly cainfo?: ConfigPath | undefined;
  readonly proxyCainfo?: ConfigPath | undefined;
  /** seconds */
  readonly timeout?: Sourced<number> | undefined;
  /** raw `http.proxy`; see proxy.ts for the validated setting */
  readonly proxy?: Sourced<string> | undefined;
  readonly checkRevoke?: Sourced<boolean> | undefined;
  readonly multiplexing?: Sourced<boolean> | undefined;
  /** bytes per second */
  readonly lowSpeedLimit?: Sourced<number> | undefined;
  readonly userAgent?: Sourced<string> | undefined;
  readonly debug?: Sourced<boolean> | undefined;
}

export interface NetConfig {
  readonly offline?: Sourced<boolean> | undefined;
  readonly retry?: Sourced<number> | undefined;
  readonly gitFetchWithCli?: Sourced<boolean> | undefined;
}

/** `build.jobs`: a count (negative = cores minus n) or "default". */
export type JobsSetting = number | "default";

export interface BuildConfig {
  readonly jobs?: Sourced<JobsSetting> | undefined;
  /** one or more target triples; entries ending in `.json` are target-spec paths */
  readonly target?: Sourced<string[]> | undefined;
  /** CARGO_TARGET_DIR, else `build.target-dir` (incl. CARGO_BUILD_TARGET_DIR) */
  readonly targetDir?: ConfigPath | undefined;
  readonly rustflags?: Sourced<string[]> | undefined;
  readonly rustdocflags?: Sourced<string[]> | undefined;
  readonly incremental?: Sourced<boolean> | undefined;
}

/** `[target.<triple>]` or `[target.'cfg(...)']`. */
export interface TargetConfig {
  readonly key: string;
  readonly runner?: PathAndArgs | undefined;
  readonly linker?: ConfigPath | undefined;
  readonly rustflags?: Sourced<string[]> | undefined;
  readonly rustdocflags?: Sourced<string[]> | undefined;
}

export type ColorChoice = "auto" | "always" | "never";

export interface TermConfig {
  readonly color?: Sourced<ColorChoice> | undefined;
  readonly verbose?: Sourced<boolean> | undefined;
  readonly quiet?: Sourced<boolean> | undefined;
}

/**
 * A `[profile.NAME]` table, type-checked key by key but otherwise kept raw: the builder
 * owns profile semantics (inheritance, `package.*` overrides, merging with Cargo.toml).
 */
export interface ProfileConfig {
  readonly name: string;
  readonly table: ConfigTable;
}

export interface CargoConfig {
  readonly registries: ReadonlyMap<string, RegistryConfig>;
  readonly registry: RegistryDefaults;
  readonly source: ReadonlyMap<string, SourceConfig>;
  readonly http: HttpConfig;
  readonly net: NetConfig;
  readonly build: BuildConfig;
  readonly target: ReadonlyMap<string, TargetConfig>;
  readonly profile: ReadonlyMap<string, ProfileConfig>;
  readonly term: TermConfig;
  readonly alias: ReadonlyMap<string, Sourced<string[]>>;
}
