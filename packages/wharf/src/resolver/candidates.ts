/**
 * Candidate lists for dependencies (cargo's `RegistryQueryer::query` with
 * `VersionPreferences::sort_summaries`): one registry query per (name, source), then
 * per dependency the versions that match, minus yanked ones nobody locked, in the order
 * the resolver tries them.
 */
import { compareVersions, matches, type SourceId, type Version } from "@wharf/protocol";
import type { Registry } from "./registry.js";
import type { PatchSummary, PreciseVersion } from "./resolve-options.js";
import { type DependencySpec, type PackageId, packageIdKey, type Summary, sourceKey } from "./summary.js";

export interface CandidatePreferences {
  /** package keys of the previous resolve: tried first, and usable even when yanked */
  readonly locked: ReadonlySet<string>;
  readonly minimalVersions: boolean;
  readonly rustVersions: readonly (readonly number[])[];
  readonly precise?: readonly PreciseVersion[] | undefined;
  readonly patches?: readonly PatchSummary[] | undefined;
}

/** cargo's `OptVersionReq::Precise` match: equal up to build metadata, unless the request has some. */
function preciseMatches(want: Version, have: Version): boolean {
  return (
    want.major === have.major &&
    want.minor === have.minor &&
    want.patch === have.patch &&
    want.pre === have.pre &&
    (want.build === "" || want.build === have.build)
  );
}

/** `1.70` -> [1, 70, 0]; undefined when it is not a plain version. */
export function parseRustVersion(text: string): number[] | undefined {
  const parts = text.trim().split(".");
  if (parts.length === 0 || parts.length > 3 || parts.some((p) => !/^\d+$/.test(p))) return undefined;
  const nums = parts.map(Number);
  while (nums.length < 3) nums.push(0);
  return nums;
}

function rustVersionFits(required: readonly number[], available: readonly number[]): boolean {
  for (let i = 0; i < 3; i++) {
    if (required[i]! !== available[i]!) return required[i]! < available[i]!;
  }
  return true;
}

export class CandidateQueryer {
  private readonly all = new Map<string, Promise<readonly Summary[]>>();
  private readonly byDep = new Map<string, readonly Summary[]>();

  constructor(
    private readonly registry: Registry,
    private readonly prefs: CandidatePreferences,
  ) {}

  /** Every version the source has for the package, as the registry returned it. */
  allVersions(dep: DependencySpec): Promise<readonly Summary[]> {
    const key = `${dep.name} ${sourceKey(dep.source)}`;
    let found = this.all.get(key);
    if (found === undefined) {
      found = this.registry.query(dep);
      this.all.set(key, found);
    }
    return found;
  }

  async candidates(dep: DependencySpec, depKey: string): Promise<readonly Summary[]> {
    const cached = this.byDep.get(depKey);
    if (cached !== undefined) return cached;
    const all = await this.allVersions(dep);
    const precise = this.prefs.precise?.find(
      (p) => p.name === dep.name && sameSource(p.source, dep.source) && matches(dep.req, p.from),
    );
    const list = all.filter(
      (s) =>
        s.id.name === dep.name &&
        sameSource(s.id.source, dep.source) &&
        (precise !== undefined
          ? preciseMatches(precise.to, s.id.version)
          : depMatches(dep, s.id.version) && (!s.yanked || this.isLocked(s.id))),
    );
    const patches = (this.prefs.patches ?? []).filter(
      (p) =>
        p.summary.id.name === dep.name &&
        patchesSource(p.source, dep.source) &&
        depMatches(dep, p.summary.id.version),
    );
    const withPatches =
      patches.length === 0
        ? list
        : [
            ...patches.map((p) => p.summary),
            ...list.filter(
              (s) => !patches.some((p) => compareVersions(p.summary.id.version, s.id.version) === 0),
            ),
          ];
    this.sort(withPatches);
    this.byDep.set(depKey, withPatches);
    return withPatches;
  }

  isLocked(id: PackageId): boolean {
    return this.prefs.locked.has(packageIdKey(id));
  }

  describeSource(source: SourceId): string {
    return this.registry.describeSource?.(source) ?? sourceKey(source);
  }

  private sort(list: Summary[]): void {
    const compat = (s: Summary): number => {
      const rv = s.rustVersion === undefined ? undefined : parseRustVersion(s.rustVersion);
      if (rv === undefined) return this.prefs.rustVersions.length;
      return this.prefs.rustVersions.filter((max) => rustVersionFits(rv, max)).length;
    };
    const patchPreferred = (s: Summary): number =>
      (this.prefs.patches ?? []).some((p) => p.summary.id.name === s.id.name && matches(p.req, s.id.version))
        ? 0
        : 1;
    list.sort((a, b) => {
      const la = this.isLocked(a.id) ? 0 : 1;
      const lb = this.isLocked(b.id) ? 0 : 1;
      if (la !== lb) return la - lb;
      const pa = patchPreferred(a);
      const pb = patchPreferred(b);
      if (pa !== pb) return pa - pb;
      if (this.prefs.rustVersions.length > 0) {
        const diff = compat(b) - compat(a);
        if (diff !== 0) return diff;
      }
      const cmp = compareVersions(a.id.version, b.id.version);
      return this.prefs.minimalVersions ? cmp : -cmp;
    });
  }
}

function depMatches(dep: DependencySpec, version: Version): boolean {
  return dep.anyVersion === true || matches(dep.req, version);
}

/** cargo patches by canonical URL: any reference of a git repository, or the registry itself. */
function patchesSource(patched: SourceId, dep: SourceId): boolean {
  if (patched.kind === "git" && dep.kind === "git") {
    const canon = (u: string) =>
      u
        .replace(/\/+$/, "")
        .replace(/\.git$/, "")
        .toLowerCase();
    return canon(patched.url) === canon(dep.url);
  }
  return sameSource(patched, dep);
}

export function sameSource(a: SourceId, b: SourceId): boolean {
  return sourceKey(a) === sourceKey(b);
}
