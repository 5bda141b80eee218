/**
 * A directory source (`[source.NAME] directory = "..."`, what `cargo vendor` writes and what
 * Debian ships): every non-dot subdirectory holding a Cargo.toml is one package, its summary
 * read from that manifest, its checksum from `.cargo-checksum.json` (`package`). Packages
 * keep the identity of the source they replace (crates-io stays crates-io in Cargo.lock).
 * Before a package is handed to the resolver every file its `.cargo-checksum.json` lists is
 * hashed and compared (cargo does this when it uses the package); a mismatch is an error
 * naming the file. Symlinks are never followed: a package dir, a listed file or any
 * directory on the way that is a symlink is refused, so nothing outside the dir is read.
 */
import { createHash } from "node:crypto";
import { type Dirent, lstatSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  CRATES_IO_INDEX,
  normalizeManifest,
  type Package,
  type SourceId,
  type TomlManifest,
  WharfError,
} from "@wharf/protocol";
import { type CargoConfig, resolveSourceReplacement } from "../config/index.js";
import type { Summary } from "../resolver/index.js";
import { summaryFromPackage } from "../resolver/index.js";
import { fsProbe, loadManifestFile } from "../workspace/index.js";

export const CHECKSUM_FILE_NAME = ".cargo-checksum.json";
/** far above any real checksum file (tens of KiB); bounds what a hostile one costs */
const MAX_CHECKSUM_FILE_BYTES = 16 * 1024 * 1024;

export interface ChecksumFile {
  /** the .crate sha256, or undefined (`null`: a git or path package) */
  package: string | undefined;
  /** relative `/`-separated path -> sha256 hex */
  files: Map<string, string>;
}

/** Parses and checks the shape of a `.cargo-checksum.json`; errors name `path`. */
export function parseChecksumFile(text: string, path: string): ChecksumFile {
  const bad = (why: string) =>
    new WharfError({
      code: "SOURCE_DIRECTORY_CHECKSUM_INVALID",
      message: `failed to decode \`${path}\`: ${why}`,
      hint: "directory sources are written by `cargo vendor` / `wharf vendor`; vendor again instead of editing them",
    });
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw bad(cause instanceof Error ? cause.message : "not JSON");
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw bad("not a JSON object");
  const r = raw as Record<string, unknown>;
  if (r.package !== undefined && r.package !== null && typeof r.package !== "string") {
    throw bad("`package` is not a string");
  }
  if (typeof r.files !== "object" || r.files === null || Array.isArray(r.files)) {
    throw bad("`files` is missing or not an object");
  }
  const files = new Map<string, string>();
  for (const [file, sum] of Object.entries(r.files as Record<string, unknown>)) {
    if (typeof sum !== "string") throw bad(`the checksum of \`${file}\` is not a string`);
    files.set(file, sum);
  }
  return { package: typeof r.package === "string" ? r.package : undefined, files };
}

function isSafeRelative(rel: string): boolean {
  if (rel === "" || rel.startsWith("/") || rel.includes("\0")) return false;
  return rel.split("/").every((part) => part !== "" && part !== "." && part !== "..");
}

interface DirectoryPackage {
  dir: string;
  pkg: Package;
  checksum: ChecksumFile;
}

export interface DirectorySourceOptions {
  /** the `[source.NAME]` name, for messages */
  name: string;
  /** the directory, absolute */
  root: string;
  /** the source the packages stand in for (their identity in the resolve and Cargo.lock) */
  replaces: SourceId;
  /** index URL of a registry named by `registry = "..."` in a vendored manifest */
  registryIndex: (name: string) => string;
}

export class DirectorySource {
  private packages: Map<string, DirectoryPackage[]> | undefined;
  private readonly verified = new Set<string>();

  constructor(private readonly options: DirectorySourceOptions) {}

  private load(): Map<string, DirectoryPackage[]> {
    if (this.packages) return this.packages;
    const { root } = this.options;
    let entries: Dirent[];
    try {
      entries = readdirSync(root, { withFileTypes: true });
    } catch (cause) {
      throw new WharfError({
        code: "SOURCE_DIRECTORY_READ",
        message: `failed to read root of directory source \`${this.options.name}\`: \`${root}\``,
        hint: "run `wharf vendor` (or `cargo vendor`) to create it, or fix `directory` in the config",
        cause,
      });
    }
    const byName = new Map<string, DirectoryPackage[]>();
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (entry.name.startsWith(".")) continue;
      const dir = join(root, entry.name);
      if (entry.isSymbolicLink()) {
        throw new WharfError({
          code: "SOURCE_DIRECTORY_SYMLINK",
          message: `\`${dir}\` in directory source \`${this.options.name}\` is a symbolic link`,
          hint: "wharf never follows symbolic links out of a directory source; replace it with a real copy",
        });
      }
      if (!entry.isDirectory()) continue;
      const manifestPath = join(dir, "Cargo.toml");
      const manifestStat = lstatSync(manifestPath, { throwIfNoEntry: false });
      if (manifestStat === undefined) continue;
      if (!manifestStat.isFile()) {
        throw new WharfError({
          code: "SOURCE_DIRECTORY_SYMLINK",
          message: `\`${manifestPath}\` is not a regular file`,
          hint: "wharf never follows symbolic links out of a directory source",
        });
      }
      const pkg = this.loadPackage(manifestPath);
      const checksum = this.readChecksum(dir, pkg);
      const list = byName.get(pkg.name) ?? [];
      list.push({ dir, pkg, checksum });
      byName.set(pkg.name, list);
    }
    this.packages = byName;
    return byName;
  }

  private loadPackage(manifestPath: string): Package {
    const toml = loadManifestFile(manifestPath);
    let result: ReturnType<typeof normalizeManifest>;
    try {
      result = normalizeManifest(toml.parsed.manifest as TomlManifest, {
        manifestPath,
        probe: fsProbe,
        inheritable: () => {
          throw new WharfError({
            code: "MANIFEST_INVALID",
            message: "a vendored package cannot inherit from a workspace",
          });
        },
        registryIndex: this.options.registryIndex,
        sourceId: this.options.replaces,
      });
    } catch (cause) {
      throw new WharfError({
        code: cause instanceof WharfError ? cause.code : "MANIFEST_INVALID",
        message: `failed to parse manifest at \`${manifestPath}\``,
        cause,
      });
    }
    if (result.kind !== "package") {
      throw new WharfError({
        code: "MANIFEST_INVALID",
        message: `\`${manifestPath}\` in directory source \`${this.options.name}\` is a virtual manifest`,
      });
    }
    return result.package;
  }

  private readChecksum(dir: string, pkg: Package): ChecksumFile {
    const path = join(dir, CHECKSUM_FILE_NAME);
    const st = lstatSync(path, { throwIfNoEntry: false });
    if (st === undefined || !st.isFile() || st.size > MAX_CHECKSUM_FILE_BYTES) {
      throw new WharfError({
        code: "SOURCE_DIRECTORY_CHECKSUM_INVALID",
        message: `failed to load checksum \`${CHECKSUM_FILE_NAME}\` of ${pkg.name} v${pkg.version}: \`${path}\` ${
          st === undefined ? "is missing" : st.isFile() ? "is too large" : "is not a regular file"
        }`,
        hint: "every package of a directory source needs the `.cargo-checksum.json` that `cargo vendor` writes",
      });
    }
    return parseChecksumFile(readFileSync(path, "utf8"), path);
  }

  /** Hashes every listed file of one package; throws naming the first that does not match. */
  private verify(p: DirectoryPackage): void {
    if (this.verified.has(p.dir)) return;
    for (const [rel, expected] of [...p.checksum.files.entries()].sort()) {
      const file = join(p.dir, rel);
      const fail = (why: string, actual?: string) =>
        new WharfError({
          code: "SOURCE_DIRECTORY_CHECKSUM_MISMATCH",
          message:
            actual === undefined
              ? `the listed file \`${file}\` of ${p.pkg.name} v${p.pkg.version} ${why}`
              : `the listed checksum of \`${file}\` has changed:\nexpected: ${expected}\nactual:   ${actual}`,
          notes: [`listed in \`${join(p.dir, CHECKSUM_FILE_NAME)}\``],
          hint: "directory sources are not intended to be edited; use `[patch]` with a forked copy of the source if modifications are required, or vendor again",
        });
      if (!isSafeRelative(rel)) throw fail("is not a plain relative path inside the package");
      let at = p.dir;
      const parts = rel.split("/");
      for (let i = 0; i < parts.length; i++) {
        at = join(at, parts[i]!);
        const st = lstatSync(at, { throwIfNoEntry: false });
        if (st === undefined) throw fail("is missing");
        const last = i === parts.length - 1;
        if (st.isSymbolicLink()) throw fail("is behind a symbolic link, which wharf does not follow");
        if (last ? !st.isFile() : !st.isDirectory()) throw fail("is not a regular file");
      }
      const actual = createHash("sha256").update(readFileSync(file)).digest("hex");
      if (actual !== expected) throw fail("has changed", actual);
    }
    this.verified.add(p.dir);
  }

  /** Every version of `name` in the directory, each verified against its checksum file. */
  query(name: string): Summary[] {
    const found = this.load().get(name) ?? [];
    return found.map((p) => {
      this.verify(p);
      return { ...summaryFromPackage(p.pkg), checksum: p.checksum.package };
    });
  }
}

function stripSlash(url: string): string {
  return url.replace(/\/+$/, "");
}

/**
 * The directory source a registry is replaced with (`[source.crates-io] replace-with = "v"`,
 * `[source.v] directory = "vendor"`), if any. The registry is found by crates-io's identity,
 * by `[source.X] registry = URL` (what `cargo vendor` prints for other registries) or by
 * `[registries.X] index = URL`. `cache` keeps one DirectorySource per directory.
 */
export function directorySourceFor(
  config: CargoConfig,
  replaces: SourceId & { kind: "registry" },
  cache: Map<string, DirectorySource>,
): DirectorySource | undefined {
  const url = stripSlash(replaces.url);
  const names: string[] = [];
  if (url === CRATES_IO_INDEX) names.push("crates-io");
  for (const [name, src] of config.source) {
    if (src.location?.kind === "registry" && stripSlash(src.location.url.value) === url) names.push(name);
  }
  for (const [name, reg] of config.registries) {
    if (reg.index && stripSlash(reg.index.value) === url) names.push(name);
  }
  for (const name of names) {
    const { target } = resolveSourceReplacement(config, name);
    if (target.kind !== "source") continue;
    const loc = config.source.get(target.name)?.location;
    if (loc?.kind !== "directory") continue;
    const root = loc.path.resolved;
    const key = `${root}\0${url}`;
    let source = cache.get(key);
    if (source === undefined) {
      source = new DirectorySource({
        name: target.name,
        root,
        replaces,
        registryIndex: (n) => {
          const index = config.registries.get(n)?.index?.value;
          if (index !== undefined) return index;
          throw new WharfError({
            code: "CONFIG_REGISTRY_UNKNOWN",
            message: `registry index was not found in any configuration: \`${n}\``,
          });
        },
      });
      cache.set(key, source);
    }
    return source;
  }
  return undefined;
}
