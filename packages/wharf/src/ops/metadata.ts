/**
 * `wharf metadata`: the workspace as the JSON document `cargo metadata --format-version 1`
 * prints, field for field: the per-package JSON and the document around it. With
 * dependencies, the packages and the resolve come from metadata-resolve.ts.
 */
import {
  type Dependency,
  formatPackageIdSpec,
  formatPlatform,
  formatSourceId,
  type Package,
  type Target,
  type TomlValue,
  WharfError,
} from "@wharf/protocol";
import { TomlDate } from "smol-toml";
import type { Workspace } from "../workspace/index.js";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** TOML values as cargo's serde_json shows them (datetimes as strings). */
export function tomlToJson(value: TomlValue | undefined): Json {
  if (value === undefined) return null;
  if (value instanceof TomlDate) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => tomlToJson(v));
  if (typeof value === "object") {
    const out: { [key: string]: Json } = {};
    for (const [k, v] of Object.entries(value)) out[k] = tomlToJson(v);
    return out;
  }
  return value;
}

function serializeDependency(dep: Dependency): Json {
  const out: { [key: string]: Json } = {
    name: dep.name,
    source: dep.source.kind === "path" ? null : formatSourceId(dep.source),
    req: dep.req,
    kind: dep.kind === "normal" ? null : dep.kind,
    rename: dep.rename ?? null,
    optional: dep.optional,
    uses_default_features: dep.defaultFeatures,
    features: dep.features,
    target: dep.platform ? formatPlatform(dep.platform) : null,
    registry: dep.registry ?? null,
  };
  if (dep.source.kind === "path") out.path = dep.source.path;
  return out;
}

const DOCTESTABLE = new Set(["lib", "rlib", "proc-macro"]);

export function serializeTarget(t: Target): Json {
  const out: { [key: string]: Json } = {
    kind: t.kind === "lib" ? t.crateTypes : [t.kind],
    crate_types: t.crateTypes,
    name: t.name,
    src_path: t.srcPath,
    edition: t.edition,
  };
  if (t.requiredFeatures !== undefined) out["required-features"] = t.requiredFeatures;
  out.doc = t.doc;
  out.doctest = t.doctest && t.kind === "lib" && t.crateTypes.some((c) => DOCTESTABLE.has(c));
  out.test = t.test;
  return out;
}

export function serializePackage(pkg: Package): Json {
  const features: { [key: string]: Json } = {};
  for (const [k, v] of pkg.features) features[k] = v;
  const m = pkg.metadata;
  return {
    name: pkg.name,
    version: pkg.version,
    id: formatPackageIdSpec(pkg.name, pkg.version, pkg.source),
    license: m.license ?? null,
    license_file: m.licenseFile ?? null,
    description: m.description ?? null,
    source: pkg.source.kind === "path" ? null : formatSourceId(pkg.source),
    dependencies: pkg.dependencies.map(serializeDependency),
    targets: pkg.targets.map(serializeTarget),
    features,
    manifest_path: pkg.manifestPath,
    metadata: tomlToJson(pkg.customMetadata),
    publish: pkg.publish,
    authors: m.authors,
    categories: m.categories,
    keywords: m.keywords,
    readme: m.readme ?? null,
    repository: m.repository ?? null,
    homepage: m.homepage ?? null,
    documentation: m.documentation ?? null,
    edition: pkg.edition,
    links: m.links ?? null,
    default_run: pkg.defaultRun ?? null,
    rust_version: m.rustVersion ?? null,
  };
}

export interface MetadataOptions {
  formatVersion: number;
  targetDir: string;
  buildDir: string;
  /** without `--no-deps`: every package of the resolve and the resolve graph */
  resolved?: { packages: Json[]; resolve: Json } | undefined;
}

export function checkFormatVersion(version: number): void {
  if (version !== 1) {
    throw new WharfError({
      code: "METADATA_VERSION",
      message: `metadata version ${version} not supported, only 1 is currently supported`,
    });
  }
}

export function workspaceMetadata(ws: Workspace, options: MetadataOptions): Json {
  checkFormatVersion(options.formatVersion);
  const id = (p: Package) => formatPackageIdSpec(p.name, p.version, p.source);
  return {
    packages: options.resolved?.packages ?? ws.members.map(serializePackage),
    workspace_members: ws.members.map(id),
    workspace_default_members: ws.defaultMembers.map(id),
    resolve: options.resolved?.resolve ?? null,
    target_directory: options.targetDir,
    build_directory: options.buildDir,
    version: 1,
    workspace_root: ws.rootDir,
    metadata: tomlToJson(ws.customMetadata as TomlValue | undefined),
  };
}
