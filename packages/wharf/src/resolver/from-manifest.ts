/**
 * Building resolver Summaries from what the client knows: a workspace member's normalized
 * Package, or a registry's index line. Pure conversions; the index line's `registry` field
 * (absent: the same registry) and `package` renames are interpreted as cargo does.
 */
import {
  type IndexLine,
  type Package,
  parsePlatform,
  parseRequirement,
  parseVersion,
  type SourceId,
  type VersionReq,
  WharfError,
} from "@wharf/protocol";
import { buildFeatureMap } from "./feature-value.js";
import type { DependencySpec, Summary } from "./summary.js";

/** The root summary of a workspace member (dev-dependencies included; the resolver keeps them for roots). */
export function summaryFromPackage(pkg: Package): Summary {
  const dependencies: DependencySpec[] = pkg.dependencies.map((d) => ({
    name: d.name,
    nameInToml: d.nameInToml,
    req: parseRequirement(d.req),
    ...(d.reqSpecified ? {} : { anyVersion: true }),
    kind: d.kind,
    optional: d.optional,
    defaultFeatures: d.defaultFeatures,
    features: d.features,
    platform: d.platform,
    source: d.source,
  }));
  return {
    id: { name: pkg.name, version: parseVersion(pkg.version), source: pkg.source },
    dependencies,
    features: pkg.features,
    links: pkg.metadata.links,
    rustVersion: pkg.metadata.rustVersion,
    yanked: false,
  };
}

export interface IndexSourceOptions {
  /** the source the index belongs to: dependencies without `registry` come from it too */
  source: SourceId;
  /** maps a dependency's `registry` URL to the source to use (source replacement applied) */
  sourceForRegistry: (url: string) => SourceId;
}

export function summaryFromIndexLine(line: IndexLine, options: IndexSourceOptions): Summary {
  const dependencies: DependencySpec[] = line.deps.map((d) => {
    let req: VersionReq;
    try {
      req = parseRequirement(d.req);
    } catch (cause) {
      throw new WharfError({
        code: "INDEX_INVALID_REQ",
        message: `the index entry of \`${line.name}\` ${line.vers} has an invalid requirement \`${d.req}\` for \`${d.name}\``,
        cause,
      });
    }
    return {
      name: d.package ?? d.name,
      nameInToml: d.name,
      req,
      kind: d.kind,
      optional: d.optional,
      defaultFeatures: d.default_features,
      features: d.features,
      platform: d.target ? parsePlatform(d.target) : undefined,
      source: d.registry ? options.sourceForRegistry(d.registry) : options.source,
    };
  });
  const declared = new Map<string, readonly string[]>(Object.entries(line.features));
  for (const [k, v] of Object.entries(line.features2 ?? {}))
    declared.set(k, [...(declared.get(k) ?? []), ...v]);
  return {
    id: { name: line.name, version: parseVersion(line.vers), source: options.source },
    dependencies,
    features: buildFeatureMap(declared, dependencies),
    links: line.links ?? undefined,
    rustVersion: line.rust_version,
    yanked: line.yanked,
    checksum: line.cksum,
  };
}
