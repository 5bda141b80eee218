/**
 * One line of a registry index file: one published version of a crate (cargo's
 * `IndexPackage` / `RegistryDependency`, crates.io's index `Crate` / `Dependency`).
 * Field names are the JSON keys, so the type documents the wire format directly.
 */

export type IndexDepKind = "normal" | "dev" | "build";

export interface IndexDependency {
  /** the name the dependent uses (the `[dependencies]` key); see `package` for renames */
  name: string;
  /** the version requirement as written by the registry (`^1.0`; cargo also accepts `1.0`) */
  req: string;
  features: string[];
  optional: boolean;
  default_features: boolean;
  /** `cfg(...)` expression or target triple, or null */
  target: string | null;
  kind: IndexDepKind;
  /** index URL of the registry the dependency comes from; absent when it is this one */
  registry?: string;
  /** the real package name when `name` is a rename */
  package?: string;
  /** unstable public/private dependencies (RFC 1977); absent unless set */
  public?: boolean;
  /** artifact dependencies (unstable bindeps, index v3): kept so lines read back unchanged */
  artifact?: string[];
  bindep_target?: string;
  lib?: boolean;
}

export interface IndexLine {
  name: string;
  vers: string;
  deps: IndexDependency[];
  /** lowercase hex SHA-256 of the .crate */
  cksum: string;
  /** features with old-style values only (readable by cargo before 1.19) */
  features: Record<string, string[]>;
  yanked: boolean;
  links: string | null;
  /** schema version: absent means 1; 2 when `features2` is used; cargo 1.95 skips lines above 2 */
  v?: number;
  /** features using `dep:` or `pkg?/feat` values, which older cargo cannot parse */
  features2?: Record<string, string[]>;
  /** `package.rust-version` (`1.70`, `1.70.0`) */
  rust_version?: string;
  /** publish time, `yyyy-mm-ddThh:mm:ssZ` exactly */
  pubtime?: string;
}

/** The newest schema version cargo 1.95 uses without `-Z bindeps` (cargo's INDEX_V_MAX). */
export const INDEX_V_MAX = 2;

export interface IndexLimits {
  /** the windows crate's lines reach a few hundred KiB of feature lists */
  maxLineBytes: number;
  maxDeps: number;
  /** entries of `features` and `features2` together */
  maxFeatures: number;
  maxFeatureValues: number;
  /** any one name, requirement, URL or feature value */
  maxStringBytes: number;
  /** lines in one index file (versions of one crate) */
  maxLines: number;
}

export const DEFAULT_INDEX_LIMITS: Readonly<IndexLimits> = Object.freeze({
  maxLineBytes: 4 * 1024 * 1024,
  maxDeps: 4096,
  maxFeatures: 20_000,
  maxFeatureValues: 20_000,
  maxStringBytes: 4096,
  maxLines: 100_000,
});
