/**
 * The normalized package (cargo's `Manifest` + `Summary`): what a loaded Cargo.toml means after
 * workspace inheritance, target discovery, dependency sources and the feature map are settled.
 */
import type { Platform } from "./cfg.js";
import type { TomlValue } from "./toml-document.js";
import type { Edition, InheritablePackage, TomlDependency, TomlLints, TomlProfile } from "./types.js";

export type GitReference =
  | { kind: "default-branch" }
  | { kind: "branch"; name: string }
  | { kind: "tag"; name: string }
  | { kind: "rev"; rev: string };

/** Where a package comes from (cargo's SourceId). */
export type SourceId =
  | { kind: "path"; path: string }
  /** `url` is the index URL as configured, `sparse+https://...` for sparse registries */
  | { kind: "registry"; url: string }
  /** `precise`: the commit a resolved git package is locked to; never part of its identity */
  | { kind: "git"; url: string; reference: GitReference; precise?: string | undefined };

export type DepKind = "normal" | "dev" | "build";

export interface Dependency {
  /** the package name (after `package = ...` renames) */
  name: string;
  /** the key in Cargo.toml (differs from `name` for renamed dependencies) */
  nameInToml: string;
  /** set only for renamed dependencies */
  rename?: string | undefined;
  source: SourceId;
  /** the requirement as cargo displays it (`^1.0`, `*`) */
  req: string;
  /** whether a version requirement was written */
  reqSpecified: boolean;
  kind: DepKind;
  optional: boolean;
  defaultFeatures: boolean;
  features: string[];
  platform?: Platform | undefined;
  /** the index URL of a non-default registry */
  registry?: string | undefined;
  public?: boolean | undefined;
  artifact?: string[] | undefined;
}

export type TargetKind = "lib" | "bin" | "example" | "test" | "bench" | "custom-build";

export interface Target {
  kind: TargetKind;
  /** for libs and example libs, the crate types; otherwise ["bin"] */
  crateTypes: string[];
  name: string;
  /** absolute path of the crate root */
  srcPath: string;
  edition: Edition;
  requiredFeatures?: string[] | undefined;
  doc: boolean;
  doctest: boolean;
  test: boolean;
  bench: boolean;
  harness: boolean;
  procMacro: boolean;
  forHost: boolean;
  /** `filename` of a bin (unstable different-binary-name) */
  binName?: string | undefined;
  docScrapeExamples?: boolean | undefined;
}

export interface ManifestMetadata {
  description?: string | undefined;
  homepage?: string | undefined;
  documentation?: string | undefined;
  readme?: string | undefined;
  authors: string[];
  license?: string | undefined;
  licenseFile?: string | undefined;
  repository?: string | undefined;
  keywords: string[];
  categories: string[];
  badges: Record<string, TomlValue>;
  links?: string | undefined;
  rustVersion?: string | undefined;
}

/** What the workspace section of a manifest says (cargo's WorkspaceConfig). */
export type WorkspaceConfig =
  | {
      kind: "root";
      rootDir: string;
      members?: string[] | undefined;
      defaultMembers?: string[] | undefined;
      exclude: string[];
      resolver?: string | undefined;
      customMetadata?: TomlValue | undefined;
      inheritable: InheritableFields;
    }
  | { kind: "member"; rootPath?: string | undefined };

/** The fields a workspace root offers its members. */
export interface InheritableFields {
  rootDir: string;
  package?: InheritablePackage | undefined;
  dependencies?: Map<string, TomlDependency> | undefined;
  lints?: TomlLints | undefined;
}

export interface Package {
  name: string;
  version: string;
  manifestPath: string;
  root: string;
  source: SourceId;
  edition: Edition;
  metadata: ManifestMetadata;
  /** null: publish anywhere; [] : never; names: only those registries */
  publish: string[] | null;
  defaultRun?: string | undefined;
  customMetadata?: TomlValue | undefined;
  dependencies: Dependency[];
  /** feature -> values, including implicit features of optional dependencies, by name */
  features: Map<string, string[]>;
  /** the `[features]` table as written (what `cargo publish` sends), by name */
  declaredFeatures: Map<string, string[]>;
  targets: Target[];
  resolver?: string | undefined;
  profiles?: Map<string, TomlProfile> | undefined;
  lints?: TomlLints | undefined;
  include?: string[] | undefined;
  exclude?: string[] | undefined;
  workspaceConfig: WorkspaceConfig;
}

/** A manifest with `[workspace]` and no `[package]`. */
export interface VirtualManifest {
  manifestPath: string;
  root: string;
  workspaceConfig: WorkspaceConfig & { kind: "root" };
  profiles?: Map<string, TomlProfile> | undefined;
  resolver?: string | undefined;
}
