/**
 * The Cargo.toml domain model, as read from TOML and validated (`TomlManifest` in cargo's
 * words): every section of the format cargo 1.95 accepts. Workspace inheritance markers are
 * kept (`{ workspace: true }`) until normalization resolves them against the workspace root.
 */
import type { TomlTable, TomlValue } from "./toml-document.js";

export type Edition = "2015" | "2018" | "2021" | "2024";
export const EDITIONS: readonly Edition[] = ["2015", "2018", "2021", "2024"];
export const LATEST_STABLE_EDITION: Edition = "2024";

/** A `field.workspace = true` marker or a concrete value. */
export type Inheritable<T> = { kind: "value"; value: T } | { kind: "inherit" };

/** `true`/`false` or a list of registry names. */
export type StringsOrBool = string[] | boolean;

export interface DetailedDependency {
  version?: string | undefined;
  registry?: string | undefined;
  registryIndex?: string | undefined;
  path?: string | undefined;
  base?: string | undefined;
  git?: string | undefined;
  branch?: string | undefined;
  tag?: string | undefined;
  rev?: string | undefined;
  features?: string[] | undefined;
  optional?: boolean | undefined;
  defaultFeatures?: boolean | undefined;
  /** the deprecated `default_features` spelling, kept apart for cargo's warning */
  defaultFeatures2?: boolean | undefined;
  package?: string | undefined;
  public?: boolean | undefined;
  artifact?: string[] | undefined;
  lib?: boolean | undefined;
  target?: string | undefined;
}

/** `foo = "1.0"` (simple) or `foo = { ... }` (detailed). */
export type TomlDependency =
  | { kind: "simple"; version: string }
  | { kind: "detailed"; dep: DetailedDependency };

export interface InheritedDependency {
  features?: string[] | undefined;
  optional?: boolean | undefined;
  defaultFeatures?: boolean | undefined;
  defaultFeatures2?: boolean | undefined;
  public?: boolean | undefined;
}

export type InheritableDependency =
  | { kind: "value"; dep: TomlDependency }
  | { kind: "inherit"; dep: InheritedDependency };

/** An ordered dependency table: cargo keeps these in a BTreeMap, so order is by name. */
export type DependencyTable = Map<string, InheritableDependency>;

export interface TomlTarget {
  name?: string | undefined;
  path?: string | undefined;
  crateType?: string[] | undefined;
  crateType2?: string[] | undefined;
  filename?: string | undefined;
  test?: boolean | undefined;
  doctest?: boolean | undefined;
  bench?: boolean | undefined;
  doc?: boolean | undefined;
  docScrapeExamples?: boolean | undefined;
  procMacro?: boolean | undefined;
  procMacro2?: boolean | undefined;
  harness?: boolean | undefined;
  requiredFeatures?: string[] | undefined;
  edition?: string | undefined;
}

/** `build = "build.rs"`, `build = false`, or several scripts (unstable). */
export type PackageBuild =
  | { kind: "auto"; value: boolean }
  | { kind: "single"; path: string }
  | { kind: "multiple"; paths: string[] };

export interface TomlPackage {
  name?: string | undefined;
  version?: Inheritable<string> | undefined;
  edition?: Inheritable<string> | undefined;
  rustVersion?: Inheritable<string> | undefined;
  authors?: Inheritable<string[]> | undefined;
  build?: PackageBuild | undefined;
  metabuild?: string[] | undefined;
  defaultTarget?: string | undefined;
  forcedTarget?: string | undefined;
  links?: string | undefined;
  exclude?: Inheritable<string[]> | undefined;
  include?: Inheritable<string[]> | undefined;
  publish?: Inheritable<StringsOrBool> | undefined;
  /** `package.workspace`: path to the workspace root */
  workspace?: string | undefined;
  imATeapot?: boolean | undefined;
  autolib?: boolean | undefined;
  autobins?: boolean | undefined;
  autoexamples?: boolean | undefined;
  autotests?: boolean | undefined;
  autobenches?: boolean | undefined;
  defaultRun?: string | undefined;
  description?: Inheritable<string> | undefined;
  homepage?: Inheritable<string> | undefined;
  documentation?: Inheritable<string> | undefined;
  readme?: Inheritable<string | boolean> | undefined;
  keywords?: Inheritable<string[]> | undefined;
  categories?: Inheritable<string[]> | undefined;
  license?: Inheritable<string> | undefined;
  licenseFile?: Inheritable<string> | undefined;
  repository?: Inheritable<string> | undefined;
  resolver?: string | undefined;
  /** `[package.metadata]`: free-form, passed through untouched */
  metadata?: TomlValue | undefined;
}

export interface TomlPlatform {
  dependencies?: DependencyTable | undefined;
  devDependencies?: DependencyTable | undefined;
  devDependencies2?: DependencyTable | undefined;
  buildDependencies?: DependencyTable | undefined;
  buildDependencies2?: DependencyTable | undefined;
}

/** `workspace.package`: the fields members may inherit. */
export interface InheritablePackage {
  version?: string | undefined;
  authors?: string[] | undefined;
  description?: string | undefined;
  homepage?: string | undefined;
  documentation?: string | undefined;
  readme?: string | boolean | undefined;
  keywords?: string[] | undefined;
  categories?: string[] | undefined;
  license?: string | undefined;
  licenseFile?: string | undefined;
  repository?: string | undefined;
  publish?: StringsOrBool | undefined;
  edition?: string | undefined;
  badges?: TomlTable | undefined;
  exclude?: string[] | undefined;
  include?: string[] | undefined;
  rustVersion?: string | undefined;
}

export type LintLevel = "forbid" | "deny" | "warn" | "allow";
export interface LintConfig {
  level: LintLevel;
  priority: number;
  /** extra keys such as `check-cfg` are kept */
  config: TomlTable;
}
/** tool -> lint name -> config */
export type TomlLints = Map<string, Map<string, LintConfig>>;

export interface TomlWorkspace {
  members?: string[] | undefined;
  exclude?: string[] | undefined;
  defaultMembers?: string[] | undefined;
  resolver?: string | undefined;
  metadata?: TomlValue | undefined;
  package?: InheritablePackage | undefined;
  dependencies?: Map<string, TomlDependency> | undefined;
  lints?: TomlLints | undefined;
}

/** A validated profile; values keep their TOML shape (cargo validates, the builder interprets). */
export interface TomlProfile {
  optLevel?: number | string | undefined;
  lto?: boolean | string | undefined;
  codegenBackend?: string | undefined;
  codegenUnits?: number | undefined;
  debug?: boolean | number | string | undefined;
  splitDebuginfo?: string | undefined;
  debugAssertions?: boolean | undefined;
  rpath?: boolean | undefined;
  panic?: string | undefined;
  overflowChecks?: boolean | undefined;
  incremental?: boolean | undefined;
  dirName?: string | undefined;
  inherits?: string | undefined;
  strip?: boolean | string | undefined;
  rustflags?: string[] | undefined;
  trimPaths?: TomlValue | undefined;
  /** `[profile.dev.package.<spec>]` overrides */
  package?: Map<string, TomlProfile> | undefined;
  buildOverride?: TomlProfile | undefined;
}

export interface TomlManifest {
  cargoFeatures?: string[] | undefined;
  package?: TomlPackage | undefined;
  /** true when the package table was spelled `[project]` (deprecated) */
  usedProjectKey: boolean;
  profile?: Map<string, TomlProfile> | undefined;
  lib?: TomlTarget | undefined;
  bin?: TomlTarget[] | undefined;
  example?: TomlTarget[] | undefined;
  test?: TomlTarget[] | undefined;
  bench?: TomlTarget[] | undefined;
  dependencies?: DependencyTable | undefined;
  devDependencies?: DependencyTable | undefined;
  devDependencies2?: DependencyTable | undefined;
  buildDependencies?: DependencyTable | undefined;
  buildDependencies2?: DependencyTable | undefined;
  /** feature name -> values, in name order */
  features?: Map<string, string[]> | undefined;
  target?: Map<string, TomlPlatform> | undefined;
  replace?: Map<string, TomlDependency> | undefined;
  patch?: Map<string, Map<string, TomlDependency>> | undefined;
  workspace?: TomlWorkspace | undefined;
  badges?: TomlTable | undefined;
  lints?: { workspace: boolean; lints: TomlLints } | undefined;
  hints?: TomlTable | undefined;
}
