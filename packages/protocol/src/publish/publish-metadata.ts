/**
 * What `cargo publish` sends ahead of the tarball (cargo's crates-io `NewCrate` and
 * `NewCrateDependency`). Field names are the JSON keys.
 */

import type { IndexDepKind } from "../index-format/index.js";
import {
  compareUtf8,
  type JsonField,
  jsonFeatureMap,
  jsonNullable,
  jsonObject,
  jsonString,
  jsonStringArray,
} from "../index-format/index.js";

export interface PublishDependency {
  optional: boolean;
  default_features: boolean;
  /** the real package name, even for renamed dependencies */
  name: string;
  features: string[];
  version_req: string;
  target: string | null;
  kind: IndexDepKind;
  /** index URL of the dependency's registry when it is not the one published to */
  registry?: string;
  /** the `[dependencies]` key when it differs from `name` */
  explicit_name_in_toml?: string;
}

export interface PublishMetadata {
  name: string;
  vers: string;
  deps: PublishDependency[];
  features: Record<string, string[]>;
  authors: string[];
  description: string | null;
  documentation: string | null;
  homepage: string | null;
  /** the README's contents */
  readme: string | null;
  /** the README's path in the package */
  readme_file: string | null;
  keywords: string[];
  categories: string[];
  license: string | null;
  license_file: string | null;
  repository: string | null;
  badges: Record<string, Record<string, string>>;
  links: string | null;
  rust_version: string | null;
}

/**
 * Bounds a registry applies to publish metadata. Where crates.io documents a limit (5
 * keywords of at most 20 characters, 5 categories, 300 features, 64-character names) it is
 * the default; the rest are Wharf's own, sized well above real crates.
 */
export interface PublishMetadataLimits {
  maxKeywords: number;
  maxKeywordLength: number;
  maxCategories: number;
  maxFeatures: number;
  maxFeatureValues: number;
  maxDeps: number;
  maxAuthors: number;
  /** description, license and other one-line strings */
  maxStringBytes: number;
  maxDescriptionBytes: number;
  maxReadmeBytes: number;
  maxBadges: number;
}

export const DEFAULT_PUBLISH_METADATA_LIMITS: Readonly<PublishMetadataLimits> = Object.freeze({
  maxKeywords: 5,
  maxKeywordLength: 20,
  maxCategories: 5,
  maxFeatures: 300,
  maxFeatureValues: 1000,
  maxDeps: 1000,
  maxAuthors: 100,
  maxStringBytes: 1024,
  maxDescriptionBytes: 4096,
  maxReadmeBytes: 1024 * 1024,
  maxBadges: 32,
});

function formatDependency(dep: PublishDependency): string {
  const fields: JsonField[] = [
    ["optional", String(dep.optional)],
    ["default_features", String(dep.default_features)],
    ["name", jsonString(dep.name)],
    ["features", jsonStringArray(dep.features)],
    ["version_req", jsonString(dep.version_req)],
    ["target", jsonNullable(dep.target)],
    ["kind", jsonString(dep.kind)],
  ];
  if (dep.registry !== undefined) fields.push(["registry", jsonString(dep.registry)]);
  if (dep.explicit_name_in_toml !== undefined) {
    fields.push(["explicit_name_in_toml", jsonString(dep.explicit_name_in_toml)]);
  }
  return jsonObject(fields);
}

/** The metadata JSON in cargo's field order, so Wharf's uploads look like cargo's. */
export function formatPublishMetadata(meta: PublishMetadata): string {
  const badges = Object.keys(meta.badges)
    .sort(compareUtf8)
    .map((k): JsonField => {
      const inner = meta.badges[k]!;
      return [
        k,
        jsonObject(
          Object.keys(inner)
            .sort(compareUtf8)
            .map((ik) => [ik, jsonString(inner[ik]!)]),
        ),
      ];
    });
  return jsonObject([
    ["name", jsonString(meta.name)],
    ["vers", jsonString(meta.vers)],
    ["deps", `[${meta.deps.map(formatDependency).join(",")}]`],
    ["features", jsonFeatureMap(meta.features)],
    ["authors", jsonStringArray(meta.authors)],
    ["description", jsonNullable(meta.description)],
    ["documentation", jsonNullable(meta.documentation)],
    ["homepage", jsonNullable(meta.homepage)],
    ["readme", jsonNullable(meta.readme)],
    ["readme_file", jsonNullable(meta.readme_file)],
    ["keywords", jsonStringArray(meta.keywords)],
    ["categories", jsonStringArray(meta.categories)],
    ["license", jsonNullable(meta.license)],
    ["license_file", jsonNullable(meta.license_file)],
    ["repository", jsonNullable(meta.repository)],
    ["badges", jsonObject(badges)],
    ["links", jsonNullable(meta.links)],
    ["rust_version", jsonNullable(meta.rust_version)],
  ]);
}
