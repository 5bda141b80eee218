/**
 * Which features and dependencies one activation turns on (cargo's `build_requirements`
 * and `resolve_features` in dep_cache.rs). This is the resolver's view of features: it
 * decides which optional dependencies exist in the graph. Weak `dep?/feat` values count
 * here, as in cargo; narrowing them for the build is the later feature-resolver step.
 */
import type { ConflictReason } from "./conflict.js";
import { parseFeatureValue } from "./feature-value.js";
import { type DependencySpec, formatPackageId, type Summary } from "./summary.js";

export type RequestedFeatures =
  /** a root: values from the command line or the lockfile resolve (may use `dep/feat`) */
  | {
      readonly kind: "cli";
      readonly features: readonly string[];
      readonly allFeatures: boolean;
      readonly defaultFeatures: boolean;
    }
  /** a dependency edge: plain feature names */
  | { readonly kind: "dep"; readonly features: readonly string[]; readonly defaultFeatures: boolean };

export interface RequirementsOptions {
  readonly devDeps: boolean;
  readonly features: RequestedFeatures;
}

export type RequirementsResult =
  | {
      readonly ok: true;
      /** the features enabled on this package */
      readonly features: ReadonlySet<string>;
      /** the dependencies to resolve, each with the features to enable on it, in summary order */
      readonly deps: readonly { readonly dep: DependencySpec; readonly features: readonly string[] }[];
    }
  /** blame the parent (cargo's `ActivateError::Conflict(parent, reason)`) */
  | { readonly ok: false; readonly kind: "conflict"; readonly reason: ConflictReason }
  /** a root's own request is wrong: no backtracking can fix it */
  | { readonly ok: false; readonly kind: "fatal"; readonly message: string };

type Failure =
  | { kind: "missing-feature"; feature: string }
  | { kind: "missing-dependency"; depName: string }
  | { kind: "cycle"; feature: string };

class Requirements {
  readonly deps = new Map<string, Set<string>>();
  readonly features = new Set<string>();

  constructor(private readonly summary: Summary) {}

  /**
   * Enable a feature and everything it implies. A worklist rather than recursion: feature
   * chains in real crates (the windows crate) are long enough to matter.
   */
  requireFeature(start: string): Failure | undefined {
    const work = [start];
    while (work.length > 0) {
      const feat = work.pop()!;
      if (this.features.has(feat)) continue;
      this.features.add(feat);
      const values = this.summary.features.get(feat);
      if (values === undefined) return { kind: "missing-feature", feature: feat };
      for (const raw of values) {
        const value = parseFeatureValue(raw);
        if (value.kind === "feature") {
          if (value.name === feat) return { kind: "cycle", feature: feat };
          work.push(value.name);
        } else {
          const extra = this.depValue(value.kind === "dep" ? { depName: value.depName } : value);
          if (extra !== undefined) work.push(extra);
        }
      }
    }
    return undefined;
  }

  requireValue(raw: string): Failure | undefined {
    const value = parseFeatureValue(raw);
    if (value.kind === "feature") return this.requireFeature(value.name);
    const extra = this.depValue(value.kind === "dep" ? { depName: value.depName } : value);
    return extra === undefined ? undefined : this.requireFeature(extra);
  }

  /** Records a `dep:` / `dep/feat` value; returns the implicit feature it also enables. */
  private depValue(value: { depName: string; depFeature?: string; weak?: boolean }): string | undefined {
    let set = this.deps.get(value.depName);
    if (set === undefined) {
      set = new Set();
      this.deps.set(value.depName, set);
    }
    if (value.depFeature === undefined) return undefined;
    set.add(value.depFeature);
    // `opt/feat` (not weak) also turns on the optional dependency's own feature, when it
    // still has one (`dep:` syntax elsewhere removes it).
    if (
      value.weak !== true &&
      this.summary.dependencies.some((d) => d.nameInToml === value.depName && d.optional) &&
      this.summary.features.has(value.depName)
    ) {
      return value.depName;
    }
    return undefined;
  }
}

function buildRequirements(summary: Summary, features: RequestedFeatures): Requirements | Failure {
  const reqs = new Requirements(summary);
  if (features.kind === "cli" && features.allFeatures) {
    for (const key of summary.features.keys()) {
      const failure = reqs.requireFeature(key);
      if (failure !== undefined) return failure;
    }
  }
  for (const value of features.features) {
    const failure = features.kind === "cli" ? reqs.requireValue(value) : reqs.requireFeature(value);
    if (failure !== undefined) return failure;
  }
  if (features.defaultFeatures && summary.features.has("default")) {
    const failure = reqs.requireFeature("default");
    if (failure !== undefined) return failure;
  }
  return reqs;
}

/** cargo's `resolve_features`: `isRoot` decides between a fatal error and a conflict. */
export function resolveRequirements(
  summary: Summary,
  isRoot: boolean,
  options: RequirementsOptions,
): RequirementsResult {
  const built = buildRequirements(summary, options.features);
  if (!(built instanceof Requirements)) return failureResult(summary, isRoot, built);
  const deps: { dep: DependencySpec; features: string[] }[] = [];
  const valid = new Set<string>();
  for (const dep of summary.dependencies) {
    if (dep.kind === "dev" && !options.devDeps) continue;
    const requested = built.deps.get(dep.nameInToml);
    if (dep.optional && requested === undefined) continue;
    valid.add(dep.nameInToml);
    const features = new Set(requested ?? []);
    for (const f of dep.features) features.add(f);
    deps.push({ dep, features: [...features].sort() });
  }
  if (isRoot) {
    for (const name of built.deps.keys()) {
      if (!valid.has(name))
        return failureResult(summary, isRoot, { kind: "missing-dependency", depName: name });
    }
  }
  return { ok: true, features: built.features, deps };
}

function failureResult(summary: Summary, isRoot: boolean, failure: Failure): RequirementsResult {
  const who = formatPackageId(summary.id);
  switch (failure.kind) {
    case "cycle":
      return {
        ok: false,
        kind: "fatal",
        message: `cyclic feature dependency: feature \`${failure.feature}\` depends on itself`,
      };
    case "missing-dependency":
      // Only a root's `--features dep/feat` can name a dependency that does not exist.
      return {
        ok: false,
        kind: "fatal",
        message: `package \`${who}\` does not have a dependency named \`${failure.depName}\``,
      };
    case "missing-feature": {
      const feat = failure.feature;
      const sameName = summary.dependencies.filter((d) => d.nameInToml === feat);
      if (sameName.length === 0) {
        if (!isRoot)
          return { ok: false, kind: "conflict", reason: { kind: "missing-feature", feature: feat } };
        return {
          ok: false,
          kind: "fatal",
          message: `package \`${who}\` does not have the feature \`${feat}\``,
        };
      }
      if (sameName.some((d) => d.optional)) {
        if (!isRoot) {
          return {
            ok: false,
            kind: "conflict",
            reason: { kind: "non-implicit-dependency-as-feature", feature: feat },
          };
        }
        return {
          ok: false,
          kind: "fatal",
          message:
            `package \`${who}\` does not have feature \`${feat}\`\n\n` +
            "help: an optional dependency with that name exists, but the `features` table includes it " +
            'with the "dep:" syntax so it does not have an implicit feature with that name',
        };
      }
      if (!isRoot) {
        return {
          ok: false,
          kind: "conflict",
          reason: { kind: "required-dependency-as-feature", feature: feat },
        };
      }
      return {
        ok: false,
        kind: "fatal",
        message:
          `package \`${who}\` does not have feature \`${feat}\`\n\n` +
          "help: a dependency with that name exists but it is required dependency and only optional " +
          "dependencies can be used as features.",
      };
    }
  }
}
