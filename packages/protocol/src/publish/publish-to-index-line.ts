/**
 * PublishMetadata -> IndexLine, as crates.io builds the index entry for an upload: renamed
 * dependencies are listed under the name used in Cargo.toml with `package` set to the real
 * name, and features using `dep:` or `?/` move to `features2` with `v: 2` so cargo older
 * than 1.19 can still read the rest of the file.
 */
import { compareUtf8, type IndexDependency, type IndexLine } from "../index-format/index.js";
import type { PublishMetadata } from "./publish-metadata.js";

export function publishMetadataToIndexLine(
  meta: PublishMetadata,
  cksum: string,
  options: { pubtime?: string } = {},
): IndexLine {
  const deps = meta.deps.map((d): IndexDependency => {
    const dep: IndexDependency = {
      name: d.explicit_name_in_toml ?? d.name,
      req: d.version_req,
      features: [...d.features],
      optional: d.optional,
      default_features: d.default_features,
      target: d.target,
      kind: d.kind,
    };
    if (d.registry !== undefined) dep.registry = d.registry;
    if (d.explicit_name_in_toml !== undefined) dep.package = d.name;
    return dep;
  });
  // crates.io sorts dependencies, so the line does not depend on manifest order
  deps.sort(
    (a, b) => compareUtf8(a.name, b.name) || compareUtf8(a.kind, b.kind) || compareUtf8(a.req, b.req),
  );

  const features: Record<string, string[]> = {};
  const features2: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(meta.features)) {
    const extended = values.some((v) => v.startsWith("dep:") || v.includes("?/"));
    Object.defineProperty(extended ? features2 : features, name, {
      value: [...values],
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  const line: IndexLine = {
    name: meta.name,
    vers: meta.vers,
    deps,
    cksum,
    features,
    yanked: false,
    links: meta.links,
  };
  if (Object.keys(features2).length > 0) {
    line.v = 2;
    line.features2 = features2;
  }
  if (meta.rust_version !== null) line.rust_version = meta.rust_version;
  if (options.pubtime !== undefined) line.pubtime = options.pubtime;
  return line;
}
