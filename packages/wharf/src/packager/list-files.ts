/**
 * The files of a package as cargo's `PathSource::list_files` finds them: inside a git work
 * tree whose index tracks the package's Cargo.toml (and without `package.include`), git's
 * own list (tracked files plus untracked ones .gitignore does not exclude, untracked
 * target/ and Cargo.lock left out); otherwise a walk of the directory. Both skip nested
 * packages and apply the include/exclude rules. Unlike cargo, a symlink is followed only
 * when its target stays inside the package; one pointing outside is refused.
 */
import { existsSync, lstatSync, readdirSync, realpathSync, type Stats, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { WharfError } from "@wharf/protocol";
import { gitEnvironment, runGit } from "../sources/index.js";
import { type FileFilter, packageFileFilter } from "./file-filter.js";

export interface SourceFile {
  /** relative to the package root, `/`-separated */
  relPath: string;
  /** where to read it (the path under the package root; symlinks are resolved on read) */
  absPath: string;
  executable: boolean;
  /** reached through a symlink (the file itself or a directory above it) */
  viaSymlink: boolean;
}

export interface ListFilesOptions {
  root: string;
  include: readonly string[];
  exclude: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  /** reports a symlink loop and similar problems cargo only warns about */
  warn: (message: string) => void;
}

export interface GitRepoInfo {
  /** the work tree root (real path) */
  workdir: string;
  /** the package root relative to the work tree, `/`-separated, "" at the top */
  pkgPath: string;
}

const GIT_TIMEOUT_MS = 60_000;

function gitEnv(env: ListFilesOptions["env"]): Record<string, string> {
  return gitEnvironment({ env, allowFile: false });
}

/** The git work tree `dir` is in, or undefined (no git, not a repository, a bare one). */
export async function discoverGitRepo(
  dir: string,
  env: ListFilesOptions["env"],
): Promise<GitRepoInfo | undefined> {
  const r = await runGit(["rev-parse", "--show-toplevel"], {
    env: gitEnv(env),
    cwd: dir,
    timeoutMs: GIT_TIMEOUT_MS,
    what: `find the git repository of \`${dir}\``,
  }).catch(() => undefined);
  if (r?.status !== 0) return undefined;
  const workdir = realpathSync(r.stdout.trim());
  const pkgPath = relative(workdir, realpathSync(dir)).split(sep).join("/");
  if (pkgPath.startsWith("..")) return undefined;
  return { workdir, pkgPath };
}

/** `git ls-files -z ...` in `cwd`, paths relative to it. */
export async function gitLsFiles(
  cwd: string,
  args: readonly string[],
  env: ListFilesOptions["env"],
): Promise<string[]> {
  const r = await runGit(["ls-files", "-z", ...args], {
    env: gitEnv(env),
    cwd,
    timeoutMs: GIT_TIMEOUT_MS,
    what: `list the files of \`${cwd}\``,
    maxStdout: 256 * 1024 * 1024,
  });
  if (r.status !== 0) {
    throw new WharfError({
      code: "PACKAGE_GIT_FAILED",
      message: `failed to list the git files of \`${cwd}\``,
      notes: r.stderr.trim() === "" ? [] : [r.stderr.trim()],
    });
  }
  return r.stdout.split("\0").filter((p) => p !== "");
}

function isExecutable(stats: Stats): boolean {
  return (stats.mode & 0o100) !== 0;
}

class Lister {
  readonly files: SourceFile[] = [];
  private readonly realRoot: string;

  constructor(
    private readonly options: ListFilesOptions,
    private readonly filter: FileFilter,
  ) {
    this.realRoot = realpathSync(options.root);
  }

  /** The real path behind a symlink, refused unless it stays inside the package. */
  private followLink(abs: string, rel: string): { real: string; stats: Stats } | undefined {
    let real: string;
    try {
      real = realpathSync(abs);
    } catch {
      this.options.warn(`skipping \`${rel}\`: the symbolic link is broken`);
      return undefined;
    }
    if (real !== this.realRoot && !real.startsWith(this.realRoot + sep)) {
      throw new WharfError({
        code: "PACKAGE_SYMLINK_OUTSIDE",
        message: `\`${rel}\` is a symbolic link to \`${real}\`, outside the package root \`${this.options.root}\``,
        hint: "copy the file into the package, or exclude the link with `package.exclude`",
      });
    }
    return { real, stats: statSync(real) };
  }

  /** cargo's `list_files_walk`: depth first, nested packages and the root target/ skipped. */
  walk(absDir: string, relDir: string, viaSymlink: boolean, ancestors: Set<string>): void {
    const real = realpathSync(absDir);
    if (ancestors.has(real)) {
      this.options.warn(`File system loop found: ${absDir} points to an ancestor ${real}`);
      return;
    }
    const inner = new Set(ancestors).add(real);
    const names = readdirSync(absDir).sort();
    for (const name of names) {
      const abs = join(absDir, name);
      const rel = relDir === "" ? name : `${relDir}/${name}`;
      let stats = lstatSync(abs);
      let linked = viaSymlink;
      if (stats.isSymbolicLink()) {
        const target = this.followLink(abs, rel);
        if (!target) continue;
        stats = target.stats;
        linked = true;
      }
      const isDir = stats.isDirectory();
      if (!this.filter(rel, isDir)) continue;
      if (isDir) {
        if (existsSync(join(abs, "Cargo.toml"))) continue;
        if (relDir === "" && name === "target") continue;
        this.walk(abs, rel, linked, inner);
      } else if (stats.isFile()) {
        this.files.push({ relPath: rel, absPath: abs, executable: isExecutable(stats), viaSymlink: linked });
      }
    }
  }

  /** cargo's `list_files_gix`: what git lists under the package, then the filter. */
  async fromGit(): Promise<void> {
    const { root, env } = this.options;
    const tracked = await gitLsFiles(root, ["--cached", "--", "."], env);
    const untracked = await gitLsFiles(root, ["--others", "--exclude-standard", "--", "."], env);
    const candidates = new Set(tracked);
    for (const path of untracked) {
      // packaging generates its own Cargo.lock; untracked build output is never packaged
      if (path === "Cargo.lock" || path === "target/" || path.startsWith("target/")) continue;
      candidates.add(path);
    }
    const sorted = [...candidates].sort();
    const subpackages = sorted
      .filter((p) => p.endsWith("/Cargo.toml"))
      .map((p) => p.slice(0, -"Cargo.toml".length));
    for (const entry of sorted) {
      if (subpackages.some((dir) => entry.startsWith(dir))) continue;
      const rel = entry.endsWith("/") ? entry.slice(0, -1) : entry;
      const abs = join(root, ...rel.split("/"));
      let stats: Stats;
      try {
        stats = lstatSync(abs);
      } catch {
        continue; // tracked but deleted in the work tree
      }
      let linked = false;
      if (stats.isSymbolicLink()) {
        const target = this.followLink(abs, rel);
        if (!target) continue;
        stats = target.stats;
        linked = true;
      }
      if (stats.isDirectory()) {
        // a submodule, a nested repository or a symlinked directory: walked like cargo's fallback
        if (!this.filter(rel, true)) continue;
        this.walk(abs, rel, linked, new Set([this.realRoot]));
      } else if (stats.isFile() && this.filter(rel, false)) {
        this.files.push({ relPath: rel, absPath: abs, executable: isExecutable(stats), viaSymlink: linked });
      }
    }
  }
}

export interface ListedFiles {
  files: SourceFile[];
  /** the git work tree, when the package is in one (whether or not git listed the files) */
  repo: GitRepoInfo | undefined;
  /** git's index drove the listing */
  fromGit: boolean;
}

export async function listPackageFiles(options: ListFilesOptions): Promise<ListedFiles> {
  const repo = await discoverGitRepo(options.root, options.env);
  let fromGit = false;
  if (repo && options.include.length === 0) {
    const tracked = await gitLsFiles(options.root, ["--cached", "--", "Cargo.toml"], options.env);
    fromGit = tracked.includes("Cargo.toml");
  }
  const filter = packageFileFilter({ include: options.include, exclude: options.exclude, fromGit });
  const lister = new Lister(options, filter);
  if (fromGit) await lister.fromGit();
  else lister.walk(options.root, "", false, new Set());
  return { files: lister.files, repo, fromGit };
}
