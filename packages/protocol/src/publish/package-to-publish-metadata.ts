/**
 * Package -> PublishMetadata, the conversion cargo's publish does (`prepare_transmit` after
 * `prepare_for_publish`): dev-dependencies without a version are dropped, path and git
 * dependencies publish as registry dependencies and so need a version, and `registry` names
 * a dependency's index only when it differs from the one being published to.
 */
import { WharfError } from "../errors/index.js";
import type { TomlValue } from "../manifest/index.js";
import {
  CRATES_IO_INDEX,
  type Dependency,
  formatPlatform,
  type Package,
  parseFeatureValue,
} from "../manifest/index.js";
import type { PublishDependency, PublishMetadata } from "./publish-metadata.js";

export interface PackageToPublishOptions {
  /** the README's contents (cargo reads `package.readme` from disk and sends it) */
  readme?: string;
  /**
   * index URL of the registry being published to (`sparse+https://...` for sparse ones);
   * defaults to crates.io. Dependencies from this registry get no `registry` field.
   */
  registryIndexOfDefault?: string;
}

/** cargo compares registries by canonical URL; a trailing slash does not make another registry */
function sameRegistry(a: string, b: string): boolean {
  const canon = (u: string) => u.replace(/\/+$/, "");
  return canon(a) === canon(b);
}

function isCratesIo(url: string): boolean {
  return (
    sameRegistry(url, CRATES_IO_INDEX) ||
    sameRegistry(url.replace(/^sparse\+/, ""), "https://index.crates.io")
  );
}

export function packageToPublishMetadata(
  pkg: Package,
  options: PackageToPublishOptions = {},
): PublishMetadata {
  const target = options.registryIndexOfDefault ?? CRATES_IO_INDEX;
  const kept: Dependency[] = [];
  const dropped = new Set<string>();
  for (const dep of pkg.dependencies) {
    // cargo keeps dev-dependencies only when they say which version to use
    if (dep.kind === "dev" && !dep.reqSpecified) {
      dropped.add(dep.nameInToml);
      continue;
    }
    if ((dep.source.kind === "path" || dep.source.kind === "git") && !dep.reqSpecified) {
      throw new WharfError({
        code: "PUBLISH_DEP_NO_VERSION",
        message: `all dependencies must have a version requirement specified when publishing.\ndependency \`${dep.name}\` does not specify a version`,
        notes: [
          `The published dependency will use the version from the registry; the \`${dep.source.kind}\` specification will be removed from the dependency declaration.`,
        ],
      });
    }
    kept.push(dep);
  }
  for (const dep of kept) dropped.delete(dep.nameInToml);

  const deps = kept.map((dep): PublishDependency => {
    const depRegistry = dep.registry ?? CRATES_IO_INDEX;
    const fromTarget = sameRegistry(depRegistry, target);
    if (!fromTarget && isCratesIo(target)) {
      throw new WharfError({
        code: "PUBLISH_DEP_OTHER_REGISTRY",
        message: `crates cannot be published to crates.io with dependencies sourced from other registries. \`${dep.name}\` needs to be published to crates.io before publishing this crate.\n(crate \`${dep.name}\` is pulled from ${depRegistry})`,
      });
    }
    const out: PublishDependency = {
      optional: dep.optional,
      default_features: dep.defaultFeatures,
      name: dep.name,
      features: [...dep.features],
      version_req: dep.req,
      target: dep.platform ? formatPlatform(dep.platform) : null,
      kind: dep.kind,
    };
    if (!fromTarget) out.registry = depRegistry;
    if (dep.rename !== undefined) out.explicit_name_in_toml = dep.rename;
    return out;
  });

  const meta = pkg.metadata;
  return {
    name: pkg.name,
    vers: pkg.version,
    deps,
    features: explicitFeatures(pkg, dropped),
    authors: [...meta.authors],
    description: meta.description ?? null,
    documentation: meta.documentation ?? null,
    homepage: meta.homepage ?? null,
    readme: options.readme ?? null,
    readme_file: meta.readme ?? null,
    keywords: [...meta.keywords],
    categories: [...meta.categories],
    license: meta.license ?? null,
    license_file: meta.licenseFile ?? null,
    repository: meta.repository ?? null,
    badges: stringBadges(meta.badges),
    links: meta.links ?? null,
    rust_version: meta.rustVersion ?? null,
  };
}

/**
 * cargo sends the `[features]` table as written (Package.declaredFeatures, without the
 * implicit features of optional dependencies). Values naming dropped dev-dependencies are
 * removed as cargo's `strip_features` does.
 */
function explicitFeatures(pkg: Package, dropped: ReadonlySet<string>): Record<string, string[]> {
  const out: [string, string[]][] = [];
  for (const [feature, values] of pkg.declaredFeatures) {
    const kept = values.filter((v) => {
      const fv = parseFeatureValue(v);
      return fv.kind === "feature" || !dropped.has(fv.depName);
    });
    out.push([feature, kept]);
  }
  return Object.fromEntries(out);
}

/** badges are `{ badge: { attribute: "text" } }`; anything else cannot be sent */
function stringBadges(badges: Record<string, TomlValue>): Record<string, Record<string, string>> {
  const out: [string, Record<string, string>][] = [];
  for (const [badge, attrs] of Object.entries(badges)) {
    if (typeof attrs !== "object" || attrs === null || Array.isArray(attrs) || attrs instanceof Date)
      continue;
    const strings = Object.entries(attrs as Record<string, unknown>).filter(
      (e): e is [string, string] => typeof e[1] === "string",
    );
    out.push([badge, Object.fromEntries(strings)]);
  }
  return Object.fromEntries(out);
}
