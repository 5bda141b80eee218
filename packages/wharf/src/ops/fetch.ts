/**
 * `wharf fetch`: download every registry package Cargo.lock names, each checked against the
 * lockfile's checksum (and the index's) before it enters the cache, then extracted through
 * the strict archive reader and verified; git packages are checked out at their locked
 * commit. Without a lockfile it points at generate-lockfile.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type Package, type SourceId, WharfError } from "@wharf/protocol";
import { WharfCache } from "../cache/index.js";
import type { CliContext } from "../cli/context.js";
import { cargoHome, wharfHome } from "../cli/homes.js";
import type { LoadedCargoConfig } from "../config/index.js";
import { parseLockfile } from "../lockfile/index.js";
import { gitSourceSettings, ResolverRegistry } from "../sources/index.js";
import { WorkspaceLoader } from "../workspace/index.js";
import { caFileOf, loadConfigFor, loadWorkspaceFor, registryIndexResolver } from "./load.js";

/** A lockfile `source` string back to a SourceId; only registry sources can be fetched here. */
export function registrySourceOf(source: string): SourceId | undefined {
  if (source.startsWith("registry+")) return { kind: "registry", url: source.slice("registry+".length) };
  if (source.startsWith("sparse+")) return { kind: "registry", url: source };
  return undefined;
}

/** Reads the packages of git checkouts (path packages are never fetched). */
function gitPackageLoader(ctx: CliContext, config: LoadedCargoConfig): (dir: string) => Package {
  const loader = new WorkspaceLoader({
    cwd: ctx.cwd,
    cargoHome: cargoHome(ctx.env, ctx.cwd),
    registryIndex: registryIndexResolver(config),
  });
  return (dir) => {
    const loaded = loader.load(join(dir, "Cargo.toml"));
    if (loaded.kind !== "package")
      throw new WharfError({ code: "FETCH_VIRTUAL", message: `\`${dir}\` is virtual` });
    return loaded.package;
  };
}

export interface FetchResult {
  downloaded: number;
  fromCache: number;
}

export async function fetchLocked(
  ctx: CliContext,
  options: { manifestPath?: string | undefined },
): Promise<FetchResult> {
  const config = loadConfigFor(ctx);
  const ws = loadWorkspaceFor(ctx, config, options.manifestPath);
  const lockPath = join(ws.rootDir, "Cargo.lock");
  if (!existsSync(lockPath)) {
    throw new WharfError({
      code: "FETCH_NO_LOCKFILE",
      message: `no Cargo.lock in \`${ws.rootDir}\``,
      hint: "run `wharf generate-lockfile` first",
    });
  }
  const lock = parseLockfile(readFileSync(lockPath, "utf8"), lockPath);
  const cache = await new WharfCache({ wharfHome: wharfHome(ctx.env, ctx.cwd) }).init();
  const caFile = caFileOf(ctx, config);
  const registry = new ResolverRegistry({
    config: config.config,
    cache,
    caFile,
    loadPath: gitPackageLoader(ctx, config),
    git: gitSourceSettings({ env: ctx.env, caFile, offline: ctx.globals.offline, shell: ctx.shell }),
  });
  const result: FetchResult = { downloaded: 0, fromCache: 0 };
  try {
    for (const pkg of lock.packages) {
      if (pkg.source === undefined) continue;
      if (pkg.source.startsWith("git+")) {
        await registry.git.checkoutLocked({ ...pkg, source: pkg.source });
        continue;
      }
      const source = registrySourceOf(pkg.source);
      if (!source) {
        throw new WharfError({
          code: "FETCH_UNSUPPORTED_SOURCE",
          message: `\`${pkg.name} v${pkg.version}\` comes from \`${pkg.source}\`, which wharf cannot fetch yet`,
        });
      }
      if (pkg.checksum === undefined) {
        throw new WharfError({
          code: "FETCH_NO_CHECKSUM",
          message: `Cargo.lock has no checksum for \`${pkg.name} v${pkg.version}\``,
          hint: "a registry package without a checksum cannot be verified; regenerate the lockfile",
        });
      }
      // the lockfile and the registry must agree before anything is downloaded (cargo's check)
      const listed = await registry.indexChecksum(source, pkg.name, pkg.version);
      if (listed === undefined) {
        throw new WharfError({
          code: "FETCH_VERSION_MISSING",
          message: `\`${pkg.name} v${pkg.version}\` is locked in Cargo.lock but the registry does not list it`,
          hint: "it may have been deleted from the registry; run `wharf generate-lockfile` to pick another version",
        });
      }
      if (listed !== pkg.checksum) {
        throw new WharfError({
          code: "LOCKFILE_CHECKSUM_MISMATCH",
          message: `checksum for \`${pkg.name} v${pkg.version}\` changed between lock files: Cargo.lock says ${pkg.checksum}, the registry says ${listed}`,
          notes: [
            "the lock file may be corrupt or edited",
            "a replacement source (a mirror) may serve a different crate under the same version",
            "the registry itself may have been tampered with",
          ],
          hint: "nothing was downloaded; check where this lock file and this registry come from",
        });
      }
      const got = await registry.download(source, pkg.name, pkg.version, pkg.checksum);
      for (const d of got.diagnostics) ctx.shell.warn(d);
      if (got.fromCache) result.fromCache++;
      else {
        result.downloaded++;
        ctx.shell.verbose("Downloaded", `${pkg.name} v${pkg.version}`);
      }
      const extracted = await cache.verifiedSourceDir({
        name: pkg.name,
        version: pkg.version,
        sha256: pkg.checksum,
      });
      for (const d of extracted.diagnostics) ctx.shell.warn(d);
    }
  } finally {
    await registry.close();
  }
  if (result.downloaded > 0) {
    ctx.shell.status("Downloaded", `${result.downloaded} crate${result.downloaded === 1 ? "" : "s"}`);
  }
  return result;
}
