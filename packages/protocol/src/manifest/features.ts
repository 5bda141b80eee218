/**
 * The feature map of a package (cargo's `build_feature_map`): explicit features, plus an
 * implicit feature for every optional dependency that no `dep:` value mentions, with cargo's
 * validation of every value (`dep:`, `a/b`, `a?/b`).
 */
import { WharfError } from "../errors/index.js";
import type { Dependency } from "./package.js";
import { compareStrings } from "./parse-manifest.js";

export type FeatureValue =
  | { kind: "feature"; name: string }
  | { kind: "dep"; depName: string }
  | { kind: "dep-feature"; depName: string; depFeature: string; weak: boolean };

export function parseFeatureValue(value: string): FeatureValue {
  // a slash wins over `dep:`, so `dep:a/b` is reported as mixing both
  const slash = value.indexOf("/");
  if (slash >= 0) {
    let depName = value.slice(0, slash);
    const weak = depName.endsWith("?");
    if (weak) depName = depName.slice(0, -1);
    return { kind: "dep-feature", depName, depFeature: value.slice(slash + 1), weak };
  }
  if (value.startsWith("dep:")) return { kind: "dep", depName: value.slice(4) };
  return { kind: "feature", name: value };
}

export function formatFeatureValue(fv: FeatureValue): string {
  switch (fv.kind) {
    case "feature":
      return fv.name;
    case "dep":
      return `dep:${fv.depName}`;
    case "dep-feature":
      return `${fv.depName}${fv.weak ? "?" : ""}/${fv.depFeature}`;
  }
}

function featureError(message: string): WharfError {
  return new WharfError({ code: "MANIFEST_INVALID_FEATURE", message });
}

export function validateFeatureName(name: string): void {
  if (name.length === 0) throw featureError("feature name cannot be empty");
  if (name.startsWith("dep:"))
    throw featureError(`feature named \`${name}\` is not allowed to start with \`dep:\``);
  if (name.includes("/")) throw featureError(`feature named \`${name}\` is not allowed to contain slashes`);
  const chars = Array.from(name);
  const first = chars[0]!;
  if (!/^[\p{XID_Start}_0-9]$/u.test(first)) {
    throw featureError(
      `invalid character \`${first}\` in feature \`${name}\`, the first character must be a Unicode XID start character or digit (most letters or \`_\` or \`0\` to \`9\`)`,
    );
  }
  for (const ch of chars.slice(1)) {
    if (!/^[\p{XID_Continue}+.-]$/u.test(ch)) {
      throw featureError(
        `invalid character \`${ch}\` in feature \`${name}\`, characters must be Unicode XID characters, '-', \`+\`, or \`.\` (numbers, \`+\`, \`-\`, \`_\`, \`.\`, or most letters)`,
      );
    }
  }
}

/** Returns feature -> values (as strings), sorted by feature name. */
export function buildFeatureMap(
  features: ReadonlyMap<string, readonly string[]>,
  dependencies: readonly Dependency[],
): Map<string, string[]> {
  const depOptional = new Map<string, boolean>();
  for (const d of dependencies)
    depOptional.set(d.nameInToml, (depOptional.get(d.nameInToml) ?? false) || d.optional);

  const map = new Map<string, FeatureValue[]>();
  for (const [name, values] of features) map.set(name, values.map(parseFeatureValue));
  const explicitlyListed = new Set<string>();
  for (const values of map.values())
    for (const v of values) if (v.kind === "dep") explicitlyListed.add(v.depName);

  for (const d of dependencies) {
    if (!d.optional) continue;
    if (features.has(d.nameInToml) || explicitlyListed.has(d.nameInToml)) continue;
    map.set(d.nameInToml, [{ kind: "dep", depName: d.nameInToml }]);
  }

  for (const [feature, values] of map) {
    validateFeatureName(feature);
    for (const fv of values) {
      const shown = formatFeatureValue(fv);
      const depName = fv.kind === "feature" ? fv.name : fv.depName;
      const isAnyDep = depOptional.has(depName);
      const isOptionalDep = depOptional.get(depName) === true;
      if (fv.kind === "feature") {
        if (features.has(fv.name)) continue;
        if (!isAnyDep) {
          throw featureError(
            `feature \`${feature}\` includes \`${shown}\` which is neither a dependency nor another feature`,
          );
        }
        if (isOptionalDep) {
          if (!map.has(fv.name)) {
            throw featureError(
              `feature \`${feature}\` includes \`${shown}\`, but \`${fv.name}\` is an optional dependency without an implicit feature\nUse \`dep:${fv.name}\` to enable the dependency.`,
            );
          }
        } else {
          throw featureError(
            `feature \`${feature}\` includes \`${shown}\`, but \`${fv.name}\` is not an optional dependency\nA non-optional dependency of the same name is defined; consider adding \`optional = true\` to its definition.`,
          );
        }
      } else if (fv.kind === "dep") {
        if (!isAnyDep) {
          throw featureError(
            `feature \`${feature}\` includes \`${shown}\`, but \`${fv.depName}\` is not listed as a dependency`,
          );
        }
        if (!isOptionalDep) {
          throw featureError(
            `feature \`${feature}\` includes \`${shown}\`, but \`${fv.depName}\` is not an optional dependency\nA non-optional dependency of the same name is defined; consider adding \`optional = true\` to its definition.`,
          );
        }
      } else {
        if (fv.depFeature.includes("/")) {
          throw featureError(
            `multiple slashes in feature \`${shown}\` (included by feature \`${feature}\`) are not allowed`,
          );
        }
        if (fv.depName.startsWith("dep:")) {
          throw featureError(
            `feature \`${feature}\` includes \`${shown}\` with both \`dep:\` and \`/\`\nTo fix this, remove the \`dep:\` prefix.`,
          );
        }
        if (!isAnyDep) {
          throw featureError(
            `feature \`${feature}\` includes \`${shown}\`, but \`${fv.depName}\` is not a dependency`,
          );
        }
        if (fv.weak && !isOptionalDep) {
          throw featureError(
            `feature \`${feature}\` includes \`${shown}\` with a \`?\`, but \`${fv.depName}\` is not an optional dependency\nA non-optional dependency of the same name is defined; consider removing the \`?\` or changing the dependency to be optional`,
          );
        }
      }
    }
  }

  const used = new Set<string>();
  for (const values of map.values()) for (const v of values) if (v.kind !== "feature") used.add(v.depName);
  for (const [dep, optional] of depOptional) {
    if (optional && !used.has(dep)) {
      throw featureError(
        `optional dependency \`${dep}\` is not included in any feature\nMake sure that \`dep:${dep}\` is included in one of features in the [features] table.`,
      );
    }
  }

  const out = new Map<string, string[]>();
  for (const name of [...map.keys()].sort(compareStrings))
    out.set(name, map.get(name)!.map(formatFeatureValue));
  return out;
}
