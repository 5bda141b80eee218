/**
 * One package's build-time code, read from disk for the analysis: which targets run at build
 * time (the build script, a proc-macro library), a reader that only returns regular files
 * inside the package (bounded in size), and the analyses themselves.
 */
import { closeSync, fstatSync, lstatSync, openSync, readdirSync, readSync, realpathSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import {
  analyzeBuildScript,
  analyzeProcMacro,
  CRATES_IO_INDEX,
  type CrateAnalysis,
  MAX_ANALYSED_FILE_BYTES,
  normalizeManifest,
  type Package,
  type PackageFileReader,
  type RustParser,
  type TomlManifest,
  WharfError,
} from "@wharf/protocol";
import { fsProbe, loadManifestFile } from "../workspace/index.js";

/** At most this many source files are listed for one proc-macro library. */
const MAX_LISTED_FILES = 5000;

/** Every `.rs` file under `dir`, package-relative, without following symlinks. */
function rustFilesUnder(root: string, dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries: import("node:fs").Dirent[];
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (out.length >= MAX_LISTED_FILES) return;
      const full = join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile() && e.name.endsWith(".rs")) out.push(relative(root, full).split(sep).join("/"));
    }
  };
  walk(dir);
  return out;
}

/**
 * Reads package files for the analysis: only regular files whose real path stays inside the
 * package root, at most MAX_ANALYSED_FILE_BYTES + 1 bytes (the analysis reports bigger files).
 */
export function packageReader(root: string): PackageFileReader {
  const realRoot = realpathSync(root);
  const cache = new Map<string, string | Uint8Array | undefined>();
  const decoder = new TextDecoder();
  const readOne = (path: string): string | Uint8Array | undefined => {
    if (path.startsWith("../") || path === ".." || path.startsWith("/")) return undefined;
    const full = join(realRoot, path);
    let real: string;
    try {
      if (!lstatSync(full).isFile()) return undefined;
      real = realpathSync(full);
    } catch {
      return undefined;
    }
    if (!real.startsWith(realRoot + sep)) return undefined;
    const fd = openSync(real, "r");
    try {
      const size = Math.min(fstatSync(fd).size, MAX_ANALYSED_FILE_BYTES + 1);
      const buf = new Uint8Array(size);
      let got = 0;
      while (got < size) {
        const n = readSync(fd, buf, got, size - got, got);
        if (n === 0) break;
        got += n;
      }
      const bytes = buf.subarray(0, got);
      return path.endsWith(".rs") && got <= MAX_ANALYSED_FILE_BYTES ? decoder.decode(bytes) : bytes;
    } finally {
      closeSync(fd);
    }
  };
  return (path) => {
    if (!cache.has(path)) cache.set(path, readOne(path));
    return cache.get(path);
  };
}

/** `package = "reqwest"` renames, so `use web::get` is seen as reqwest. */
function renamesOf(pkg: Package): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of pkg.dependencies) if (d.rename !== undefined) out.set(d.rename.replace(/-/g, "_"), d.name);
  return out;
}

function packagePath(pkg: Package, file: string): string {
  return relative(pkg.root, file).split(sep).join("/");
}

/** The analyses one package needs: its build script and, for a proc-macro, its library. */
export function analyzePackage(parser: RustParser, pkg: Package): CrateAnalysis[] {
  const read = packageReader(pkg.root);
  const renames = renamesOf(pkg);
  const out: CrateAnalysis[] = [];
  const build = pkg.targets.find((t) => t.kind === "custom-build");
  if (build) out.push(analyzeBuildScript(parser, { entry: packagePath(pkg, build.srcPath), read, renames }));
  const lib = pkg.targets.find((t) => t.kind === "lib" && t.procMacro);
  if (lib) {
    const files = rustFilesUnder(pkg.root, dirname(lib.srcPath));
    out.push(analyzeProcMacro(parser, { entry: packagePath(pkg, lib.srcPath), files, read, renames }));
  }
  return out;
}

/**
 * Reads a published package (a registry crate or a directory like Debian's) as its own root:
 * a package that inherits from a workspace cannot have been published, so that is an error.
 */
export function loadPackageDir(dir: string): Package {
  const manifestPath = join(dir, "Cargo.toml");
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
    registryIndex: (name) => {
      throw new WharfError({
        code: "CONFIG_REGISTRY_UNKNOWN",
        message: `unknown registry \`${name}\` in \`${manifestPath}\``,
      });
    },
    sourceId: { kind: "registry", url: CRATES_IO_INDEX },
  });
  if (result.kind !== "package") {
    throw new WharfError({ code: "MANIFEST_INVALID", message: `\`${manifestPath}\` has no [package]` });
  }
  return result.package;
}
