/**
 * Feature values as cargo's `FeatureValue` reads them (`feat`, `dep:name`, `name/feat`,
 * `name?/feat`), and the implicit features of optional dependencies that cargo's
 * `build_feature_map` adds, so summaries from index lines and manifests agree.
 */
import type { DependencySpec } from "./summary.js";

export type FeatureValue =
  | { readonly kind: "feature"; readonly name: string }
  | { readonly kind: "dep"; readonly depName: string }
  | {
      readonly kind: "dep-feature";
      readonly depName: string;
      readonly depFeature: string;
      readonly weak: boolean;
    };

export function parseFeatureValue(value: string): FeatureValue {
  if (value.startsWith("dep:")) return { kind: "dep", depName: value.slice(4) };
  const slash = value.indexOf("/");
  if (slash < 0) return { kind: "feature", name: value };
  const left = value.slice(0, slash);
  const depFeature = value.slice(slash + 1);
  return left.endsWith("?")
    ? { kind: "dep-feature", depName: left.slice(0, -1), depFeature, weak: true }
    : { kind: "dep-feature", depName: left, depFeature, weak: false };
}

/**
 * The declared `[features]` plus one implicit `name = ["dep:name"]` feature per optional
 * dependency that no feature names with `dep:` (cargo stops creating the implicit feature
 * once `dep:name` appears anywhere, so `name` stays private).
 */
export function buildFeatureMap(
  declared: ReadonlyMap<string, readonly string[]>,
  dependencies: readonly DependencySpec[],
): Map<string, readonly string[]> {
  const explicitDep = new Set<string>();
  for (const values of declared.values()) {
    for (const value of values) {
      const parsed = parseFeatureValue(value);
      if (parsed.kind === "dep") explicitDep.add(parsed.depName);
    }
  }
  const map = new Map<string, readonly string[]>(declared);
  for (const dep of dependencies) {
    if (!dep.optional || explicitDep.has(dep.nameInToml) || map.has(dep.nameInToml)) continue;
    map.set(dep.nameInToml, [`dep:${dep.nameInToml}`]);
  }
  return map;
}
