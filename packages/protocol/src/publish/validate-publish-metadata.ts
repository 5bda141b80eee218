/**
 * Untrusted publish JSON -> PublishMetadata. Runs on the registry before anything is
 * stored: every field is type-checked and bounded, names and versions use the same rules
 * as the rest of Wharf, and crates.io's documented limits apply.
 */
import { WharfError } from "../errors/index.js";
import { isPlainObject } from "../index-format/index.js";
import { parsePlatform } from "../manifest/index.js";
import { validateRegistryCrateName } from "../names/index.js";
import { tryParseRequirement, tryParseVersion } from "../semver/index.js";
import {
  DEFAULT_PUBLISH_METADATA_LIMITS,
  type PublishDependency,
  type PublishMetadata,
  type PublishMetadataLimits,
} from "./publish-metadata.js";

const encoder = new TextEncoder();
// the Cargo Book's keyword rule for crates.io
const KEYWORD_RE = /^[A-Za-z0-9][A-Za-z0-9_+-]*$/;
const FEATURE_NAME_RE = /^[A-Za-z0-9_][A-Za-z0-9_+.-]*$/;
const FEATURE_VALUE_RE = /^(dep:)?[A-Za-z0-9_][A-Za-z0-9_+.-]*(\??\/[A-Za-z0-9_][A-Za-z0-9_+.-]*)?$/;
const DEP_NAME_RE = /^[A-Za-z0-9_-]{1,64}$/;
const RUST_VERSION_RE = /^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*)){0,2}$/;

function invalid(path: string, problem: string, code = "PUBLISH_METADATA_INVALID"): WharfError {
  return new WharfError({ code, message: `invalid publish metadata: \`${path}\` ${problem}` });
}

function str(value: unknown, path: string, maxBytes: number): string {
  if (typeof value !== "string") throw invalid(path, "must be a string");
  if (encoder.encode(value).length > maxBytes) {
    throw invalid(path, `is longer than ${maxBytes} bytes`, "PUBLISH_METADATA_LIMIT");
  }
  return value;
}

function nullableStr(value: unknown, path: string, maxBytes: number): string | null {
  return value === undefined || value === null ? null : str(value, path, maxBytes);
}

function strArray(
  value: unknown,
  path: string,
  o: { max: number; maxBytes: number; required?: boolean },
): string[] {
  if (value === undefined && !o.required) return [];
  if (!Array.isArray(value)) throw invalid(path, "must be an array of strings");
  if (value.length > o.max) throw invalid(path, `has more than ${o.max} entries`, "PUBLISH_METADATA_LIMIT");
  return value.map((v, i) => str(v, `${path}[${i}]`, o.maxBytes));
}

function bool(value: unknown, path: string): boolean {
  if (typeof value !== "boolean") throw invalid(path, "must be true or false");
  return value;
}

export function validatePublishMetadata(
  json: unknown,
  limits?: Partial<PublishMetadataLimits>,
): PublishMetadata {
  const lim: PublishMetadataLimits = { ...DEFAULT_PUBLISH_METADATA_LIMITS, ...limits };
  if (!isPlainObject(json)) throw invalid("(root)", "must be a JSON object");
  const line = lim.maxStringBytes;

  const name = str(json.name, "name", 64 * 4);
  const nameError = validateRegistryCrateName(name);
  if (nameError) throw invalid("name", nameError.message, "PUBLISH_METADATA_NAME");
  const vers = str(json.vers, "vers", 256);
  const version = tryParseVersion(vers);
  if (!version.ok)
    throw invalid("vers", `is not a valid version: ${version.reason}`, "PUBLISH_METADATA_VERSION");

  if (!Array.isArray(json.deps)) throw invalid("deps", "must be an array");
  if (json.deps.length > lim.maxDeps)
    throw invalid("deps", `has more than ${lim.maxDeps} entries`, "PUBLISH_METADATA_LIMIT");
  const deps = json.deps.map((d, i) => validateDependency(d, `deps[${i}]`, lim));

  if (!isPlainObject(json.features)) throw invalid("features", "must be an object of feature lists");
  const featureEntries = Object.entries(json.features);
  if (featureEntries.length > lim.maxFeatures) {
    throw invalid(
      "features",
      `has more than ${lim.maxFeatures} features (crates.io's limit)`,
      "PUBLISH_METADATA_LIMIT",
    );
  }
  const features = Object.fromEntries(
    featureEntries.map(([feature, values]) => {
      if (!FEATURE_NAME_RE.test(feature) || encoder.encode(feature).length > line) {
        throw invalid(`features.${feature}`, "is not a valid feature name");
      }
      const list = strArray(values, `features.${feature}`, {
        max: lim.maxFeatureValues,
        maxBytes: line,
        required: true,
      });
      for (const v of list) {
        if (!FEATURE_VALUE_RE.test(v)) throw invalid(`features.${feature}`, `has an invalid value \`${v}\``);
      }
      return [feature, list];
    }),
  );

  const keywords = strArray(json.keywords, "keywords", { max: lim.maxKeywords, maxBytes: line });
  for (const k of keywords) {
    if (k.length > lim.maxKeywordLength || !KEYWORD_RE.test(k)) {
      throw invalid(
        "keywords",
        `has \`${k}\`: keywords are ASCII letters, digits, \`_\`, \`-\` or \`+\`, start with a letter or digit, and have at most ${lim.maxKeywordLength} characters`,
      );
    }
  }

  let badges: Record<string, Record<string, string>> = {};
  if (json.badges !== undefined && json.badges !== null) {
    if (!isPlainObject(json.badges)) throw invalid("badges", "must be an object");
    const entries = Object.entries(json.badges);
    if (entries.length > lim.maxBadges)
      throw invalid("badges", `has more than ${lim.maxBadges} entries`, "PUBLISH_METADATA_LIMIT");
    badges = Object.fromEntries(
      entries.map(([badge, attrs]) => {
        str(badge, "badges key", line);
        if (!isPlainObject(attrs)) throw invalid(`badges.${badge}`, "must be an object of strings");
        return [
          badge,
          Object.fromEntries(
            Object.entries(attrs).map(([k, v]) => [
              str(k, `badges.${badge} key`, line),
              str(v, `badges.${badge}.${k}`, line),
            ]),
          ),
        ];
      }),
    );
  }

  const rustVersion = nullableStr(json.rust_version, "rust_version", 64);
  if (rustVersion !== null && !RUST_VERSION_RE.test(rustVersion)) {
    throw invalid("rust_version", `is not a Rust version: \`${rustVersion}\``);
  }

  return {
    name,
    vers,
    deps,
    features,
    authors: strArray(json.authors, "authors", { max: lim.maxAuthors, maxBytes: line }),
    description: nullableStr(json.description, "description", lim.maxDescriptionBytes),
    documentation: nullableStr(json.documentation, "documentation", line),
    homepage: nullableStr(json.homepage, "homepage", line),
    readme: nullableStr(json.readme, "readme", lim.maxReadmeBytes),
    readme_file: nullableStr(json.readme_file, "readme_file", line),
    keywords,
    categories: strArray(json.categories, "categories", { max: lim.maxCategories, maxBytes: line }),
    license: nullableStr(json.license, "license", line),
    license_file: nullableStr(json.license_file, "license_file", line),
    repository: nullableStr(json.repository, "repository", line),
    badges,
    links: nullableStr(json.links, "links", line),
    rust_version: rustVersion,
  };
}

function validateDependency(value: unknown, path: string, lim: PublishMetadataLimits): PublishDependency {
  if (!isPlainObject(value)) throw invalid(path, "must be an object");
  if (value.artifact !== undefined && value.artifact !== null) {
    throw invalid(
      `${path}.artifact`,
      "is set: artifact dependencies are unstable and not accepted",
      "PUBLISH_METADATA_UNSUPPORTED",
    );
  }
  const name = str(value.name, `${path}.name`, 64);
  if (!DEP_NAME_RE.test(name)) throw invalid(`${path}.name`, `is not a valid crate name: \`${name}\``);
  const versionReq = str(value.version_req, `${path}.version_req`, 1024);
  const req = tryParseRequirement(versionReq);
  if (!req.ok) throw invalid(`${path}.version_req`, `is not a valid requirement: ${req.reason}`);
  const target = nullableStr(value.target, `${path}.target`, lim.maxStringBytes);
  if (target !== null) {
    try {
      parsePlatform(target);
    } catch (cause) {
      throw new WharfError({
        code: "PUBLISH_METADATA_INVALID",
        message: `invalid publish metadata: \`${path}.target\` is not a platform`,
        cause,
      });
    }
  }
  const kind = str(value.kind, `${path}.kind`, 16);
  if (kind !== "normal" && kind !== "dev" && kind !== "build") {
    throw invalid(`${path}.kind`, `must be "normal", "dev" or "build", not \`${kind}\``);
  }
  const dep: PublishDependency = {
    optional: bool(value.optional, `${path}.optional`),
    default_features: bool(value.default_features, `${path}.default_features`),
    name,
    features: strArray(value.features, `${path}.features`, {
      max: lim.maxFeatureValues,
      maxBytes: lim.maxStringBytes,
      required: true,
    }),
    version_req: versionReq,
    target,
    kind,
  };
  const registry = nullableStr(value.registry, `${path}.registry`, lim.maxStringBytes);
  if (registry !== null) {
    if (!URL.canParse(registry.replace(/^sparse\+/, "")))
      throw invalid(`${path}.registry`, `is not a URL: \`${registry}\``);
    dep.registry = registry;
  }
  const explicit = nullableStr(value.explicit_name_in_toml, `${path}.explicit_name_in_toml`, 64);
  if (explicit !== null) {
    if (!DEP_NAME_RE.test(explicit))
      throw invalid(`${path}.explicit_name_in_toml`, `is not a valid name: \`${explicit}\``);
    dep.explicit_name_in_toml = explicit;
  }
  return dep;
}
