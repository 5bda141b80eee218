/**
 * What the resolver knows about one version of one package (cargo's `Summary`,
 * `PackageId` and resolver-side `Dependency`). Built by the registry client from index
 * lines and by the workspace loader from manifests; the resolver never parses text.
 */
import {
  compareVersions,
  compatibleRangeKey,
  type DepKind,
  formatRequirement,
  formatSourceId,
  formatVersion,
  type Platform,
  type SourceId,
  type Version,
  type VersionReq,
} from "@wharf/protocol";

/** cargo's `PackageId`: a package is name + version + where it comes from. */
export interface PackageId {
  readonly name: string;
  readonly version: Version;
  readonly source: SourceId;
}

/** One dependency of a summary, as the resolver needs it (cargo's `Dependency`). */
export interface DependencySpec {
  /** the package name (after `package = ...` renames) */
  readonly name: string;
  /** the key in Cargo.toml, which features (`dep:x`, `x/feat`) refer to */
  readonly nameInToml: string;
  readonly req: VersionReq;
  /**
   * no version was written (a path or git dependency): cargo's `OptVersionReq::Any`, which
   * matches every version, pre-releases included, unlike an explicit `*`
   */
  readonly anyVersion?: boolean | undefined;
  readonly kind: DepKind;
  readonly optional: boolean;
  readonly defaultFeatures: boolean;
  readonly features: readonly string[];
  /** kept, never evaluated: the resolver resolves for every platform, as cargo's does */
  readonly platform?: Platform | undefined;
  /** where the dependency's package must come from */
  readonly source: SourceId;
}

export interface Summary {
  readonly id: PackageId;
  readonly dependencies: readonly DependencySpec[];
  /**
   * feature -> values (`feat`, `dep:x`, `x/feat`, `x?/feat`), including the implicit
   * features of optional dependencies (see buildFeatureMap)
   */
  readonly features: ReadonlyMap<string, readonly string[]>;
  readonly links?: string | undefined;
  /** `package.rust-version` as written (`1.70`, `1.70.0`) */
  readonly rustVersion?: string | undefined;
  readonly yanked: boolean;
  /** the .crate SHA-256 the index lists; carried into the Resolve for the lockfile */
  readonly checksum?: string | undefined;
}

export function sourceKey(source: SourceId): string {
  return formatSourceId(source);
}

/** A string equal for equal package ids (build metadata included, as cargo's Version Eq). */
export function packageIdKey(id: PackageId): string {
  return `${id.name} ${formatVersion(id.version)} ${sourceKey(id.source)}`;
}

/**
 * cargo's `ActivationsKey`: name, semver-compatible range and source. At most one
 * version per key may be active.
 */
export function activationsKey(id: PackageId): string {
  return `${id.name} ${compatibleRangeKey(id.version)} ${sourceKey(id.source)}`;
}

/** cargo's `PackageId` order: name, then version, then source. */
export function comparePackageIds(a: PackageId, b: PackageId): number {
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  const byVersion = compareVersions(a.version, b.version);
  if (byVersion !== 0) return byVersion;
  const sa = sourceKey(a.source);
  const sb = sourceKey(b.source);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

const CRATES_IO_URLS = new Set([
  "https://github.com/rust-lang/crates.io-index",
  "sparse+https://index.crates.io/",
]);

export function isCratesIo(source: SourceId): boolean {
  return source.kind === "registry" && CRATES_IO_URLS.has(source.url);
}

/** cargo's `PackageId` Display: `foo v1.0.0`, with the source unless it is crates.io. */
export function formatPackageId(id: PackageId): string {
  const base = `${id.name} v${formatVersion(id.version)}`;
  switch (id.source.kind) {
    case "registry":
      return isCratesIo(id.source) ? base : `${base} (registry \`${id.source.url}\`)`;
    case "path":
      return `${base} (${id.source.path})`;
    case "git":
      return `${base} (${id.source.url})`;
  }
}

/** `foo = "^1.0"` as cargo shows a dependency in error messages. */
export function formatDependencyReq(dep: DependencySpec): string {
  return `${dep.name} = "${formatRequirement(dep.req)}"`;
}
