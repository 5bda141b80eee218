/** What a resolve starts from (cargo's `(Summary, ResolveOpts)` roots and `VersionPreferences`). */
import type { SourceId, Version, VersionReq } from "@wharf/protocol";
import type { PackageId, Summary } from "./summary.js";

export interface PatchSummary {
  /** the source being patched (crates.io, a registry, a git URL) */
  readonly source: SourceId;
  /** the package standing in for it, from its own source */
  readonly summary: Summary;
  /** the requirement written in the `[patch]` entry (`*` when none) */
  readonly req: VersionReq;
}

export interface PreciseVersion {
  readonly name: string;
  readonly source: SourceId;
  readonly from: Version;
  readonly to: Version;
}

export interface RootRequest {
  /** a workspace member (or any package resolved as a root) */
  readonly summary: Summary;
  /**
   * Feature values to enable (`feat`, `dep/feat`). cargo resolves the lockfile with every
   * feature of every member, so allFeatures defaults to true.
   */
  readonly features?: readonly string[] | undefined;
  readonly allFeatures?: boolean | undefined;
  readonly defaultFeatures?: boolean | undefined;
  /** whether this root's dev-dependencies take part; default true (the lockfile has them) */
  readonly devDeps?: boolean | undefined;
}

export interface ResolveOptions {
  readonly roots: readonly RootRequest[];
  /**
   * Package ids of the previous resolve (Cargo.lock): tried before any other candidate,
   * and allowed even when yanked since (cargo's yanked whitelist).
   */
  readonly locked?: readonly PackageId[] | undefined;
  /**
   * `update -p NAME --precise V` (cargo's precise registry version): a dependency on `name`
   * from `source` whose requirement matched the previously locked version `from` takes
   * exactly version `to` instead, yanked or not.
   */
  readonly precise?: readonly PreciseVersion[] | undefined;
  /**
   * `[patch]` (cargo's PackageRegistry::query and VersionPreferences::prefer_dependency): a
   * dependency on `summary`'s name from `source` whose requirement the patch's version
   * matches gets the patch as a candidate in place of the source's own version of that
   * number, and candidates matching the patch's requirement are tried before others.
   */
  readonly patches?: readonly PatchSummary[] | undefined;
  /** `-Z minimal-versions`: oldest candidates first */
  readonly minimalVersions?: boolean | undefined;
  /**
   * The rust-versions of the workspace (cargo's `resolver.incompatible-rust-versions =
   * "fallback"`): candidates whose rust-version fits more of them are tried first.
   */
  readonly rustVersions?: readonly string[] | undefined;
}
