/**
 * `wharf metadata` with dependencies (cargo's `build_resolve_graph`): resolve the workspace as
 * for the lock file (written when missing or changed), resolve again with the requested
 * member features preferring what is locked, download and extract every package the members
 * reach, read each one's own Cargo.toml, and return cargo's `packages` and `resolve` (nodes
 * with the resolver's features and per-edge dependency kinds; `--filter-platform` drops
 * edges that apply to none of the given targets).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  formatPackageIdSpec,
  formatPlatform,
  formatVersion,
  normalizeManifest,
  type Package,
  type TomlManifest,
  WharfError,
} from "@wharf/protocol";
import type { CliContext } from "../cli/context.js";
import {
  comparePackageIds,
  type DependencySpec,
  formatPackageId,
  type PackageId,
  packageIdKey,
  type Resolve,
  type ResolvedPackage,
  resolve,
  summaryFromPackage,
} from "../resolver/index.js";
import { fsProbe, loadManifestFile } from "../workspace/index.js";
import { registryIndexResolver } from "./load.js";
import { type Json, serializePackage } from "./metadata.js";
import { type CliFeatures, membersWithFeatures } from "./metadata-features.js";
import {
  comparePlatforms,
  platformMatches,
  type TargetCfg,
  targetCfgFromRustc,
} from "./metadata-platform.js";
import { type ResolvedWorkspace, resolveWorkspace } from "./resolve-workspace.js";

export interface ResolvedMetadataOptions {
  manifestPath?: string | undefined;
  features: CliFeatures;
  filterPlatforms: readonly string[];
}

export interface ResolvedMetadata {
  rw: ResolvedWorkspace;
  packages: Json[];
  resolve: Json;
}

const KIND_ORDER = { normal: 0, dev: 1, build: 2 } as const;

function writeLockIfChanged(ctx: CliContext, rw: ResolvedWorkspace): void {
  const previous = existsSync(rw.lockPath) ? readFileSync(rw.lockPath, "utf8") : undefined;
  if (previous === rw.lockText) return;
  const flag = ctx.globals.frozen ? "--frozen" : ctx.globals.locked ? "--locked" : undefined;
  if (flag !== undefined) {
    throw new WharfError({
      code: "LOCKFILE_LOCKED",
      message: `cannot ${previous === undefined ? "create" : "update"} the lock file ${rw.lockPath} because ${flag} was passed to prevent this`,
      hint: `to generate the lock file without accessing the network, remove the ${flag} flag and use --offline instead.`,
    });
  }
  writeFileSync(rw.lockPath, rw.lockText);
  const locked = rw.lockPackages.filter((p) => p.source.kind !== "path").length;
  ctx.shell.status(
    "Locking",
    `${locked} package${locked === 1 ? "" : "s"} to latest compatible version${locked === 1 ? "" : "s"}`,
  );
}

/** The resolve cargo calls `targeted_resolve`: the members with the requested features. */
async function targetedResolve(rw: ResolvedWorkspace, features: CliFeatures): Promise<Resolve> {
  const requests = membersWithFeatures(rw.ws, features);
  // the lock file's resolve already is the one with every feature of every member
  if (requests.every((r) => r.allFeatures && r.features.length === 0)) return rw.resolve;
  return resolve(rw.registry, {
    roots: requests.map((r) => ({
      summary: summaryFromPackage(r.member),
      features: r.features,
      allFeatures: r.allFeatures,
      defaultFeatures: r.defaultFeatures,
      devDeps: true,
    })),
    locked: rw.resolve.packages.map((p) => p.id),
  });
}

export interface PackageLoader {
  load(p: ResolvedPackage): Promise<Package>;
  downloaded: number;
}

export function packageLoader(ctx: CliContext, rw: ResolvedWorkspace): PackageLoader {
  const members = new Map(rw.ws.members.map((m) => [packageIdKey(summaryFromPackage(m).id), m]));
  const registryIndex = registryIndexResolver(rw.config);
  const loader: PackageLoader = {
    downloaded: 0,
    async load(p) {
      const member = members.get(packageIdKey(p.id));
      if (member !== undefined) return member;
      const source = p.id.source;
      if (source.kind === "path") return rw.loadPath(source.path);
      const version = formatVersion(p.id.version);
      if (source.kind !== "registry" || p.summary.checksum === undefined) {
        throw new WharfError({
          code: "METADATA_UNSUPPORTED_SOURCE",
          message: `\`${formatPackageId(p.id)}\` cannot be downloaded by wharf yet`,
        });
      }
      const got = await rw.registry.download(source, p.id.name, version, p.summary.checksum);
      for (const d of got.diagnostics) ctx.shell.warn(d);
      if (!got.fromCache) {
        loader.downloaded++;
        ctx.shell.verbose("Downloaded", `${p.id.name} v${version}`);
      }
      const extracted = await rw.cache.verifiedSourceDir({ name: p.id.name, version, sha256: got.sha256 });
      for (const d of extracted.diagnostics) ctx.shell.warn(d);
      const manifestPath = join(extracted.dir, "Cargo.toml");
      const toml = loadManifestFile(manifestPath);
      const result = normalizeManifest(toml.parsed.manifest as TomlManifest, {
        manifestPath,
        probe: fsProbe,
        inheritable: () => {
          throw new WharfError({
            code: "MANIFEST_INVALID",
            message: `\`${manifestPath}\` inherits from a workspace, which a published package cannot`,
          });
        },
        registryIndex,
        sourceId: source,
      });
      if (result.kind !== "package") {
        throw new WharfError({
          code: "METADATA_VIRTUAL_PACKAGE",
          message: `\`${manifestPath}\` of \`${formatPackageId(p.id)}\` has no [package]`,
        });
      }
      return result.package;
    },
  };
  return loader;
}

async function loadAll(
  loader: PackageLoader,
  pkgs: readonly ResolvedPackage[],
): Promise<Map<string, Package>> {
  const out = new Map<string, Package>();
  let next = 0;
  const worker = async () => {
    while (next < pkgs.length) {
      const p = pkgs[next++]!;
      out.set(packageIdKey(p.id), await loader.load(p));
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, pkgs.length) }, worker));
  return out;
}

/** cargo's `extern_crate_name_and_dep_name`: a rename wins, else the lib's crate name */
function externName(
  from: PackageId,
  to: PackageId,
  deps: readonly DependencySpec[],
  libName: string,
): string {
  const crateName = libName.replace(/-/g, "_");
  // a package's edge to itself (a dev-dependency on itself) names the lib, as cargo's does
  if (packageIdKey(from) === packageIdKey(to)) return crateName;
  const names = deps.map((d) => (d.nameInToml !== d.name ? d.nameInToml.replace(/-/g, "_") : crateName));
  const first = names[0] ?? crateName;
  if (names.some((n) => n !== first)) {
    throw new WharfError({
      code: "METADATA_DEP_NAMES",
      message: `the crate \`${formatPackageId(from)}\` depends on crate \`${formatPackageId(to)}\` multiple times with different names`,
    });
  }
  return first;
}

function depKindsOf(deps: readonly DependencySpec[]): Json[] {
  return [...deps]
    .sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || comparePlatforms(a.platform, b.platform))
    .map((d) => ({
      kind: d.kind === "normal" ? null : d.kind,
      target: d.platform ? formatPlatform(d.platform) : null,
    }));
}

export async function resolvedMetadata(
  ctx: CliContext,
  options: ResolvedMetadataOptions,
): Promise<ResolvedMetadata> {
  const platforms: TargetCfg[] = options.filterPlatforms.map((t) => targetCfgFromRustc(t, ctx.env));
  const rw = await resolveWorkspace(ctx, options.manifestPath);
  try {
    writeLockIfChanged(ctx, rw);
    const targeted = await targetedResolve(rw, options.features);
    const byKey = new Map(targeted.packages.map((p) => [packageIdKey(p.id), p]));
    const edgeActive = (deps: readonly DependencySpec[]) =>
      platforms.length === 0 || deps.some((d) => platforms.some((cfg) => platformMatches(d.platform, cfg)));
    const memberKeys = rw.ws.members.map((m) => packageIdKey(summaryFromPackage(m).id));

    // everything the members reach is downloaded first (cargo's download_accessible)
    const reachable: ResolvedPackage[] = [];
    const seen = new Set<string>();
    const stack = [...memberKeys];
    while (stack.length > 0) {
      const key = stack.pop()!;
      const p = byKey.get(key);
      if (p === undefined || seen.has(key)) continue;
      seen.add(key);
      reachable.push(p);
      for (const d of p.dependencies) if (edgeActive(d.deps)) stack.push(packageIdKey(d.id));
    }
    const loader = packageLoader(ctx, rw);
    const loaded = await loadAll(loader, reachable);
    if (loader.downloaded > 0)
      ctx.shell.status("Downloaded", `${loader.downloaded} crate${loader.downloaded === 1 ? "" : "s"}`);

    const spec = (id: PackageId) => formatPackageIdSpec(id.name, formatVersion(id.version), id.source);
    const nodes = new Map<string, { id: PackageId; json: Json }>();
    const visit = (key: string): void => {
      if (nodes.has(key)) return;
      const p = byKey.get(key)!;
      const deps: { id: PackageId; json: Json }[] = [];
      for (const d of p.dependencies) {
        if (!edgeActive(d.deps)) continue;
        const lib = loaded.get(packageIdKey(d.id))?.targets.find((t) => t.kind === "lib");
        // a dependency without a library is left out, as cargo leaves it
        if (lib === undefined) continue;
        deps.push({
          id: d.id,
          json: {
            name: externName(p.id, d.id, d.deps, lib.name),
            pkg: spec(d.id),
            dep_kinds: depKindsOf(d.deps),
          },
        });
      }
      nodes.set(key, {
        id: p.id,
        json: {
          id: spec(p.id),
          dependencies: deps.map((d) => spec(d.id)),
          deps: deps.map((d) => d.json),
          features: [...p.features],
        },
      });
      for (const d of deps) visit(packageIdKey(d.id));
    };
    for (const key of memberKeys) visit(key);

    const ordered = [...nodes.values()].sort((a, b) => comparePackageIds(a.id, b.id));
    const current = rw.ws.members.find((m) => m.manifestPath === rw.ws.currentManifest);
    return {
      rw,
      packages: ordered.map((n) => serializePackage(loaded.get(packageIdKey(n.id))!)),
      resolve: {
        nodes: ordered.map((n) => n.json),
        root:
          current === undefined ? null : formatPackageIdSpec(current.name, current.version, current.source),
      },
    };
  } finally {
    await rw.registry.close();
  }
}
