/**
 * The resolve every workspace command shares (cargo's `resolve_ws` / `resolve_with_previous`):
 * load the workspace, open the registries (source replacement applied), resolve preferring
 * what the existing Cargo.lock holds (generate-lockfile resolves from scratch instead), check
 * the lock's checksums against the new resolve, and encode the result as the Cargo.lock text
 * cargo would write. `writeLockfile` writes it under cargo's rules (--locked refuses a change).
 * The caller owns `registry` and must close it.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  formatVersion,
  matches,
  type Package,
  parseRequirement,
  tryParseVersion,
  WharfError,
} from "@wharf/protocol";
import { WharfCache } from "../cache/index.js";
import type { CliContext } from "../cli/context.js";
import { cargoHome, wharfHome } from "../cli/homes.js";
import type { LoadedCargoConfig } from "../config/index.js";
import {
  encodeResolve,
  formatLockfile,
  type LockedPackage,
  type Lockfile,
  type LockfileVersion,
  lockfileVersionFor,
  type ResolvedPackage,
} from "../lockfile/index.js";
import {
  type PackageId,
  type PreciseVersion,
  type Resolve,
  resolve,
  summaryFromPackage,
} from "../resolver/index.js";
import { gitSourceSettings, pinLockedGitCommits, ResolverRegistry } from "../sources/index.js";
import { type Workspace, WorkspaceLoader } from "../workspace/index.js";
import { loadConfigFor, loadWorkspaceFor, registryAccessOf, registryIndexResolver } from "./load.js";
import { loadPatches, unusedPatches, unusedPatchWarning } from "./patches.js";
import {
  checkChecksums,
  lockChanges,
  type PackageChange,
  type PreviousLock,
  preferredIds,
  readPreviousLock,
} from "./previous-lock.js";
import { workspaceRustVersions } from "./rust-versions.js";

function lowestMemberRustVersion(members: readonly Package[]): string | undefined {
  return lowestRustVersion(
    members.flatMap((m) => (m.metadata.rustVersion === undefined ? [] : [m.metadata.rustVersion])),
  );
}

function lowestRustVersion(versions: readonly string[]): string | undefined {
  let lowest: string | undefined;
  const key = (v: string) => v.split(".").map((n) => Number(n));
  for (const rv of versions) {
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

/**
 * cargo's "poison" check: whether every registry dependency of every member is satisfied by
 * a package the lock already holds. Only then are locked index files trusted from the cache;
 * a new or changed requirement means the registry is asked again, as cargo updates a source
 * as soon as one dependency on it is not locked.
 */
function lockCoversMembers(lock: Lockfile, ws: Workspace): boolean {
  for (const m of ws.members) {
    for (const d of m.dependencies) {
      if (d.source.kind !== "registry") continue;
      const req = parseRequirement(d.req);
      const found = lock.packages.some((p) => {
        if (p.name !== d.name || p.source === undefined) return false;
        const v = tryParseVersion(p.version);
        return v.ok && matches(req, v.value);
      });
      if (!found) return false;
    }
  }
  return true;
}

/** name -> versions of the registry packages a lock keeps (see ResolverRegistryOptions.lockedVersions) */
function lockedVersionsOf(lock: Lockfile): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const p of lock.packages) {
    if (p.source === undefined || p.source.startsWith("git+")) continue;
    let set = out.get(p.name);
    if (!set) {
      set = new Set();
      out.set(p.name, set);
    }
    set.add(p.version);
  }
  return out;
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
  /** the Cargo.lock that was there before, if any (read even by generate-lockfile) */
  previous: PreviousLock | undefined;
  /** what changed against `previous`, in cargo's order */
  changes: PackageChange[];
  /** the rust-version the resolve tried to fit (shown in "Locking ... Rust X compatible") */
  rustVersion: string | undefined;
}

export interface ResolveWorkspaceOptions {
  /**
   * "use" (default): prefer the existing lock's packages, keep its encoding, as every cargo
   * command but generate-lockfile does; "ignore": resolve from scratch.
   */
  previous?: "use" | "ignore";
  /** which previous packages stay preferred (cargo update's `keep`); default all */
  keep?: (p: LockedPackage) => boolean;
  /** `update --precise` requests */
  precise?: readonly PreciseVersion[];
  /** the lock to prefer instead of the file's (update --precise without a Cargo.lock) */
  previousLock?: Lockfile;
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
  const lockPath = join(ws.rootDir, "Cargo.lock");
  const previous = readPreviousLock(lockPath);
  const prior: Lockfile | undefined =
    options.previous === "ignore" ? undefined : (options.previousLock ?? previous?.lock);
  // a sync (no update asked for) whose lock still covers the manifests needs no index update
  const trustCachedIndex =
    prior !== undefined &&
    options.keep === undefined &&
    options.precise === undefined &&
    lockCoversMembers(prior, ws);
  const access = registryAccessOf(ctx, config);
  const registry = new ResolverRegistry({
    config: config.config,
    cache,
    ...access,
    loadPath,
    offline: ctx.globals.offline,
    lockedVersions: trustCachedIndex ? lockedVersionsOf(prior) : undefined,
    git: gitSourceSettings({
      env: ctx.env,
      caFile: access.caFile,
      offline: ctx.globals.offline,
      shell: ctx.shell,
    }),
  });
  // a git dependency stays at the commit the lock file names unless it is being updated
  if (prior) pinLockedGitCommits(registry.git, prior.packages.filter(options.keep ?? (() => true)));
  try {
    for (const name of new Set(
      ws.members.flatMap((m) =>
        m.dependencies
          .filter((d) => d.source.kind === "registry")
          .map((d) => (d.source.kind === "registry" ? d.source.url : "")),
      ),
    )) {
      // cargo names the registry actually asked: a replacement of crates.io by its own name
      if (ctx.globals.offline || trustCachedIndex) continue;
      let shown = name === "https://github.com/rust-lang/crates.io-index" ? "crates.io" : name;
      try {
        const fetched = registry.fetchUrlFor(name);
        if (fetched !== name) shown = registry.registryNameOf(fetched) ?? fetched;
        else
          shown =
            registry.registryNameOf(name) === "crates-io"
              ? "crates.io"
              : (registry.registryNameOf(name) ?? name);
      } catch {
        // an unreachable crates.io is reported by the resolve itself
      }
      ctx.shell.status("Updating", `\`${shown}\` index`);
    }
    const locked: PackageId[] = prior ? preferredIds(prior, options.keep ?? (() => true)) : [];
    const rustVersions = await workspaceRustVersions(ctx, config, ws);
    const preferredKeys = new Set(locked.map((id) => `${id.name} ${formatVersion(id.version)}`));
    const patches = await loadPatches(ws, registry, registryIndexResolver(config), (name, version) =>
      preferredKeys.has(`${name} ${version}`),
    );
    const result = await resolve(registry, {
      roots: ws.members.map((m) => ({ summary: summaryFromPackage(m) })),
      locked,
      precise: options.precise,
      patches,
      rustVersions,
    }).catch((error: unknown) => {
      if (!ctx.globals.offline || !(error instanceof WharfError)) throw error;
      throw new WharfError({
        code: error.code,
        message: error.message,
        hint: error.hint,
        cause: error.cause,
        exitCode: error.exitCode,
        notes: [
          ...error.notes,
          "you are in offline mode (--offline), which can cause surprising resolution failures; if this error is confusing, retry without it",
        ],
      });
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
    if (prior) checkChecksums(prior, lockPath, lockPackages);
    const unused = unusedPatches(patches, result);
    for (const u of unused) ctx.shell.warn(unusedPatchWarning(u.patch));
    // cargo keeps the previous encoding while the lock is unchanged, and moves to the
    // default one (lockfileVersionFor's floor) only when it rewrites the file anyway
    const encode = (version: LockfileVersion) =>
      formatLockfile(
        encodeResolve({
          version,
          packages: lockPackages,
          unusedPatches: unused.map((u) => u.entry),
          metadata: prior?.metadata,
          extraComments: previous?.lock.extraComments,
        }),
      );
    let lockText = prior ? encode(prior.version) : undefined;
    if (lockText === undefined || previous === undefined || !sameLockText(previous.text, lockText)) {
      lockText = encode(
        lockfileVersionFor({ rustVersion: lowestMemberRustVersion(ws.members), previous: prior?.version }),
      );
    }
    const memberKeys = new Set(ws.members.map((m) => m.name));
    const changes = lockChanges(
      prior,
      lockPackages,
      (name, source) => source === undefined && memberKeys.has(name),
      (url) => registry.registryNameOf(url),
    );
    return {
      config,
      ws,
      cache,
      registry,
      loadPath,
      resolve: result,
      lockPackages,
      lockText,
      lockPath,
      previous,
      changes,
      rustVersion: rustVersions.length === 0 ? undefined : lowestRustVersion(rustVersions),
    };
  } catch (error) {
    await registry.close();
    throw error;
  }
}

/** cargo's `are_equal_lockfiles`: the same lines, whatever the line endings. */
function sameLockText(a: string, b: string): boolean {
  const lines = (t: string) => t.replace(/\r\n/g, "\n");
  return lines(a) === lines(b);
}

/**
 * cargo's `write_pkg_lockfile`: nothing is written when the text is unchanged; a change
 * under --locked (or --frozen) is refused, naming the file; else the file is replaced.
 * Returns whether the file changed.
 */
export function writeLockfile(
  ctx: CliContext,
  rw: ResolvedWorkspace,
  options: { dryRun?: boolean } = {},
): boolean {
  if (rw.previous !== undefined && sameLockText(rw.previous.text, rw.lockText)) return false;
  if (ctx.globals.locked) {
    const flag = ctx.globals.frozen ? "--frozen" : "--locked";
    const action = rw.previous === undefined ? "create" : "update";
    throw new WharfError({
      code: "LOCKFILE_LOCKED",
      message: `cannot ${action} the lock file ${rw.lockPath} because ${flag} was passed to prevent this`,
      hint: `to generate the lock file without accessing the network, remove the ${flag} flag and use --offline instead`,
    });
  }
  if (options.dryRun) return true;
  writeFileSync(rw.lockPath, rw.lockText);
  return true;
}
