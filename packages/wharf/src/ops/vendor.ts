/**
 * `wharf vendor`: copy every registry package a workspace (plus `-s` extra workspaces)
 * depends on into a vendor directory, as `cargo vendor` does, for builds without network:
 * `vendor/<name>` (or `<name>-<version>` for older duplicates and with --versioned-dirs),
 * each with cargo's `.cargo-checksum.json`, and return the config snippet that points
 * cargo (and wharf) at it. Each .crate is checked against Cargo.lock and the index before
 * use, read from the content-addressed cache (re-hashed on read) through the strict archive
 * reader, and written to a staging dir renamed into place. Nothing is deleted unless it is
 * earlier vendor output; that is checked before anything is written.
 */
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { resolve as resolvePath } from "node:path";
import {
  CRATES_IO_INDEX,
  compareVersions,
  formatSourceId,
  parseVersion,
  readCrateArchive,
  type SourceId,
  WharfError,
} from "@wharf/protocol";
import { writeFileAtomic } from "../cache/index.js";
import type { CliContext } from "../cli/context.js";
import { parseLockfile } from "../lockfile/index.js";
import { sourceIdOfLockSource } from "./previous-lock.js";
import { type ResolvedWorkspace, resolveWorkspace } from "./resolve-workspace.js";
import {
  checkDeletable,
  openVendorDir,
  removeEmptyVendorDir,
  removeEntry,
  writeVendoredPackage,
} from "./vendor-dir.js";
import { type ReplacedSource, vendorConfigText, vendorDirNames } from "./vendor-format.js";

export interface VendorOptions {
  /** where to vendor, relative to the current directory; default `vendor` */
  path?: string | undefined;
  manifestPath?: string | undefined;
  /** `-s/--sync`: extra Cargo.toml files whose workspaces are vendored too */
  sync?: readonly string[] | undefined;
  noDelete?: boolean | undefined;
  versionedDirs?: boolean | undefined;
  respectSourceConfig?: boolean | undefined;
}

export interface VendorResult {
  /** the config snippet for stdout; empty when there was nothing to vendor */
  configText: string;
  vendored: number;
}

interface VendorPackage {
  name: string;
  version: string;
  source: SourceId & { kind: "registry" };
  checksum: string;
  /** the workspace whose registry and cache fetch it */
  from: ResolvedWorkspace;
}

function isCratesIo(source: SourceId): boolean {
  return source.kind === "registry" && source.url.replace(/\/+$/, "") === CRATES_IO_INDEX;
}

function displayId(p: { name: string; version: string; source: SourceId }, registryName?: string): string {
  if (isCratesIo(p.source)) return `${p.name} v${p.version}`;
  return `${p.name} v${p.version} (registry \`${registryName ?? formatSourceId(p.source)}\`)`;
}

/** The registry packages of one workspace: Cargo.lock's when there is one (written first when not). */
async function packagesOf(ctx: CliContext, rw: ResolvedWorkspace): Promise<VendorPackage[]> {
  const out: VendorPackage[] = [];
  const add = (name: string, version: string, source: SourceId | undefined, checksum: string | undefined) => {
    if (source === undefined || source.kind === "path") return;
    if (source.kind !== "registry") {
      throw new WharfError({
        code: "VENDOR_UNSUPPORTED_SOURCE",
        message: `\`${name} v${version}\` comes from \`${formatSourceId(source)}\`, which wharf cannot vendor yet`,
      });
    }
    if (checksum === undefined) {
      throw new WharfError({
        code: "VENDOR_NO_CHECKSUM",
        message: `Cargo.lock in \`${rw.ws.rootDir}\` has no checksum for \`${name} v${version}\``,
        hint: "a registry package without a checksum cannot be verified; regenerate the lockfile",
      });
    }
    out.push({ name, version, source, checksum, from: rw });
  };
  if (existsSync(rw.lockPath)) {
    // cargo vendors what Cargo.lock pins, not a fresh resolve
    const lock = parseLockfile(readFileSync(rw.lockPath, "utf8"), rw.lockPath);
    for (const p of lock.packages) {
      const source = p.source === undefined ? undefined : sourceIdOfLockSource(p.source);
      if (p.source !== undefined && source === undefined) {
        throw new WharfError({
          code: "VENDOR_UNSUPPORTED_SOURCE",
          message: `\`${p.name} v${p.version}\` comes from \`${p.source}\`, which wharf cannot vendor yet`,
        });
      }
      add(p.name, p.version, source, p.checksum);
    }
  } else {
    await writeFileAtomic(rw.lockPath, rw.lockText, { mode: 0o644 });
    const locked = rw.lockPackages.filter((p) => p.source.kind !== "path").length;
    ctx.shell.status(
      "Locking",
      `${locked} package${locked === 1 ? "" : "s"} to latest compatible version${locked === 1 ? "" : "s"}`,
    );
    for (const p of rw.lockPackages) add(p.name, p.version, p.source, p.checksum);
  }
  return out;
}

/** Downloads (or finds in the cache) one .crate, checked against the lockfile and the index. */
async function crateBytes(ctx: CliContext, p: VendorPackage): Promise<Uint8Array> {
  const { registry, cache } = p.from;
  const listed = await registry.indexChecksum(p.source, p.name, p.version);
  if (listed === undefined) {
    throw new WharfError({
      code: "FETCH_VERSION_MISSING",
      message: `\`${p.name} v${p.version}\` is locked in Cargo.lock but the registry does not list it`,
      hint: "it may have been deleted from the registry; run `wharf generate-lockfile` to pick another version",
    });
  }
  if (listed !== p.checksum) {
    throw new WharfError({
      code: "LOCKFILE_CHECKSUM_MISMATCH",
      message: `checksum for \`${p.name} v${p.version}\` changed between lock files: Cargo.lock says ${p.checksum}, the registry says ${listed}`,
      hint: "nothing was vendored for it; check where this lock file and this registry come from",
    });
  }
  const got = await registry.download(p.source, p.name, p.version, p.checksum);
  for (const d of got.diagnostics) ctx.shell.warn(d);
  if (!got.fromCache) ctx.shell.status("Downloaded", `${p.name} v${p.version}`);
  const bytes = await cache.crates.read(p.checksum);
  if (bytes === undefined) {
    throw new WharfError({
      code: "CACHE_CRATE_MISSING",
      message: `\`${p.name} v${p.version}\` vanished from the .crate cache right after its download`,
    });
  }
  return bytes;
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

export async function vendor(ctx: CliContext, options: VendorOptions): Promise<VendorResult> {
  const destination = options.path ?? "vendor";
  const workspaces: ResolvedWorkspace[] = [];
  try {
    // cargo resolves the -s workspaces first, then the current one
    for (const manifest of [
      ...(options.sync ?? []).map((s) => resolvePath(ctx.cwd, s)),
      options.manifestPath,
    ]) {
      workspaces.push(
        await resolveWorkspace(ctx, manifest, { ignoreSourceConfig: options.respectSourceConfig !== true }),
      );
    }
    const byId = new Map<string, VendorPackage>();
    const keepPaths = new Set<string>();
    for (const rw of workspaces) {
      for (const p of rw.lockPackages) if (p.source.kind === "path") keepPaths.add(realOrSelf(p.source.path));
      for (const p of await packagesOf(ctx, rw)) {
        const key = `${p.name} ${p.version} ${formatSourceId(p.source)}`;
        if (!byId.has(key)) byId.set(key, p);
      }
    }
    const packages = [...byId.values()].sort(
      (a, b) =>
        (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) ||
        compareVersions(parseVersion(a.version), parseVersion(b.version)) ||
        (formatSourceId(a.source) < formatSourceId(b.source) ? -1 : 1),
    );
    const seen = new Map<string, VendorPackage>();
    for (const p of packages) {
      const prev = seen.get(`${p.name} ${p.version}`);
      if (prev !== undefined) {
        throw new WharfError({
          code: "VENDOR_DUPLICATE_VERSION",
          message: `found duplicate version of package \`${p.name} v${p.version}\` vendored from two sources:\n\n\tsource 1: ${formatSourceId(prev.source)}\n\tsource 2: ${formatSourceId(p.source)}`,
        });
      }
      seen.set(`${p.name} ${p.version}`, p);
    }

    const opened = await openVendorDir(resolvePath(ctx.cwd, destination));
    const shownDir = opened.existedBefore ? opened.dir : destination.replace(/\/+$/, "");
    const names = vendorDirNames(packages, options.versionedDirs === true);
    const toRemove = new Set(options.noDelete ? [] : opened.entries);
    for (const entry of opened.entries) {
      if (keepPaths.has(realOrSelf(`${opened.dir}/${entry}`))) toRemove.delete(entry);
    }
    for (const dst of names.values()) toRemove.delete(dst);
    // everything that will be replaced or deleted must be earlier vendor output: check all first
    const replaced = [...new Set(names.values())].filter((n) => opened.entries.includes(n));
    await checkDeletable(opened.dir, replaced, "replace");
    await checkDeletable(opened.dir, [...toRemove].sort(), "delete");

    for (const p of packages) {
      const dstName = names.get(`${p.name} ${p.version}`)!;
      const archive = readCrateArchive(await crateBytes(ctx, p), { name: p.name, version: p.version });
      ctx.shell.status("Vendoring", `${displayId(p)} to ${shownDir}/${dstName}`);
      await writeVendoredPackage({ dir: opened.dir, dstName, archive, packageChecksum: p.checksum });
    }
    for (const entry of [...toRemove].sort()) await removeEntry(`${opened.dir}/${entry}`);

    const sources = new Map<string, ReplacedSource>();
    for (const p of packages) {
      if (isCratesIo(p.source)) sources.set("crates-io", { key: "crates-io" });
      else {
        const key = formatSourceId(p.source);
        sources.set(key, { key, registry: p.source.url });
      }
    }
    if (sources.size === 0 && !opened.existedBefore) await removeEmptyVendorDir(opened.dir);
    return { configText: vendorConfigText([...sources.values()], destination), vendored: packages.length };
  } finally {
    await Promise.all(workspaces.map((rw) => rw.registry.close()));
  }
}
