/**
 * The part of `generate-lockfile` other workspace commands share: load the workspace, open
 * the registries (source replacement applied), resolve from scratch and encode the result as
 * the Cargo.lock text cargo would write. The caller owns `registry` and must close it.
 */
import { join } from "node:path";
import { formatVersion, type Package, WharfError } from "@wharf/protocol";
import { WharfCache } from "../cache/index.js";
import type { CliContext } from "../cli/context.js";
import { cargoHome, wharfHome } from "../cli/homes.js";
import type { LoadedCargoConfig } from "../config/index.js";
import {
  encodeResolve,
  formatLockfile,
  lockfileVersionFor,
  type ResolvedPackage,
} from "../lockfile/index.js";
import { type Resolve, resolve, summaryFromPackage } from "../resolver/index.js";
import { ResolverRegistry } from "../sources/index.js";
import { type Workspace, WorkspaceLoader } from "../workspace/index.js";
import { caFileOf, loadConfigFor, loadWorkspaceFor, registryIndexResolver } from "./load.js";

function lowestRustVersion(members: readonly Package[]): string | undefined {
  let lowest: string | undefined;
  const key = (v: string) => v.split(".").map((n) => Number(n));
  for (const m of members) {
    const rv = m.metadata.rustVersion;
    if (rv === undefined) continue;
    if (lowest === undefined) {
      lowest = rv;
      continue;
    }
    const a = key(rv);
    const b = key(lowest);
    for (let i = 0; i < 3; i++) {
      const d = (a[i] ?? 0) - (b[i] ?? 0);
      if (d < 0) lowest = rv;
      if (d !== 0) break;
    }
  }
  return lowest;
}

export interface ResolvedWorkspace {
  config: LoadedCargoConfig;
  ws: Workspace;
  cache: WharfCache;
  registry: ResolverRegistry;
  /** loads a non-member path package (members come from `ws`) */
  loadPath: (dir: string) => Package;
  resolve: Resolve;
  /** the resolve as cargo encodes it in Cargo.lock */
  lockPackages: ResolvedPackage[];
  lockText: string;
  lockPath: string;
}

export interface ResolveWorkspaceOptions {
  /** resolve and download as if no `[source]` table were configured (`cargo vendor` without --respect-source-config) */
  ignoreSourceConfig?: boolean;
}

export async function resolveWorkspace(
  ctx: CliContext,
  manifestPath: string | undefined,
  options: ResolveWorkspaceOptions = {},
): Promise<ResolvedWorkspace> {
  const loaded = loadConfigFor(ctx);
  const config = options.ignoreSourceConfig
    ? { ...loaded, config: { ...loaded.config, source: new Map() } }
    : loaded;
  const ws = loadWorkspaceFor(ctx, config, manifestPath);
  const cache = await new WharfCache({ wharfHome: wharfHome(ctx.env, ctx.cwd) }).init();
  const byManifest = new Map(ws.members.map((m) => [m.manifestPath, m]));
  const loader = new WorkspaceLoader({
    cwd: ctx.cwd,
    cargoHome: cargoHome(ctx.env, ctx.cwd),
    registryIndex: registryIndexResolver(config),
  });
  const caFile = caFileOf(ctx, config);
  const loadPath = (dir: string): Package => {
    const manifest = join(dir, "Cargo.toml");
    const member = byManifest.get(manifest);
    if (member) return member;
    const loaded = loader.load(manifest);
    if (loaded.kind !== "package") {
      throw new WharfError({
        code: "RESOLVE_PATH_VIRTUAL",
        message: `path dependency at \`${dir}\` is a virtual manifest`,
      });
    }
    return loaded.package;
  };
  const registry = new ResolverRegistry({ config: config.config, cache, caFile, loadPath });
  try {
    for (const name of new Set(
      ws.members.flatMap((m) =>
        m.dependencies
          .filter((d) => d.source.kind === "registry")
          .map((d) => (d.source.kind === "registry" ? d.source.url : "")),
      ),
    )) {
      const shown = name === "https://github.com/rust-lang/crates.io-index" ? "crates.io" : name;
      ctx.shell.status("Updating", `\`${shown}\` index`);
    }
    const result = await resolve(registry, {
      roots: ws.members.map((m) => ({ summary: summaryFromPackage(m) })),
    });
    const lockPackages: ResolvedPackage[] = result.packages.map((p) => ({
      name: p.id.name,
      version: formatVersion(p.id.version),
      source: p.id.source,
      checksum: p.summary.checksum,
      dependencies: p.dependencies.map((d) => ({
        name: d.id.name,
        version: formatVersion(d.id.version),
        source: d.id.source,
      })),
    }));
    const version = lockfileVersionFor({ rustVersion: lowestRustVersion(ws.members) });
    const lockText = formatLockfile(encodeResolve({ version, packages: lockPackages }));
    return {
      config,
      ws,
      cache,
      registry,
      loadPath,
      resolve: result,
      lockPackages,
      lockText,
      lockPath: join(ws.rootDir, "Cargo.lock"),
    };
  } catch (error) {
    await registry.close();
    throw error;
  }
}
