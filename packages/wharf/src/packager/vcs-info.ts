/**
 * cargo's `check_repo_state`: inside a git work tree (Cargo.toml not ignored), the HEAD
 * commit and the package's path in the repository go into `.cargo_vcs_info.json`; files
 * that would be packaged but differ from HEAD (modified, staged, untracked, ignored) make
 * the tree dirty, which is refused unless --allow-dirty. Runs the system git with argv only.
 */
import { relative, sep } from "node:path";
import { WharfError } from "@wharf/protocol";
import { gitEnvironment, runGit } from "../sources/index.js";
import type { GitRepoInfo, SourceFile } from "./list-files.js";

export interface VcsInfo {
  sha1: string;
  dirty: boolean;
  pathInVcs: string;
}

/** `.cargo_vcs_info.json` as serde_json's pretty printer writes it (no final newline). */
export function formatVcsInfo(info: VcsInfo): string {
  const git: Record<string, unknown> = { sha1: info.sha1 };
  if (info.dirty) git.dirty = true;
  return JSON.stringify({ git, path_in_vcs: info.pathInVcs }, null, 2);
}

export interface VcsCheckOptions {
  repo: GitRepoInfo;
  root: string;
  files: readonly SourceFile[];
  /** files outside the package root that still shape the .crate (readme, license, workspace manifest) */
  outsideFiles: readonly string[];
  allowDirty: boolean;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
}

const TIMEOUT_MS = 60_000;

async function git(args: string[], cwd: string, env: VcsCheckOptions["env"], what: string) {
  return runGit(args, { env: gitEnvironment({ env, allowFile: false }), cwd, timeoutMs: TIMEOUT_MS, what });
}

/** Paths (relative to the work tree) `git status` reports, ignored ones included. */
async function dirtyPaths(options: VcsCheckOptions, pathspecs: string[]): Promise<string[]> {
  const r = await git(
    ["status", "--porcelain=v1", "-z", "--ignored=matching", "--untracked-files=all", "--", ...pathspecs],
    options.repo.workdir,
    options.env,
    `check the git status of \`${options.root}\``,
  );
  if (r.status !== 0) {
    throw new WharfError({
      code: "PACKAGE_GIT_FAILED",
      message: `failed to check the git status of \`${options.root}\``,
      notes: [r.stderr.trim()].filter((s) => s !== ""),
    });
  }
  const out: string[] = [];
  const fields = r.stdout.split("\0");
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    if (field.length < 4) continue;
    const status = field.slice(0, 2);
    const path = field.slice(3);
    // an ignored Cargo.lock is fine: packaging writes its own
    if (status === "!!" && (path === "Cargo.lock" || path.endsWith("/Cargo.lock"))) continue;
    out.push(path.endsWith("/") ? path.slice(0, -1) : path);
    // renames and copies carry the original path as the next field
    if (status[0] === "R" || status[0] === "C") i++;
  }
  return out;
}

function under(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}

export async function checkRepoState(options: VcsCheckOptions): Promise<VcsInfo | undefined> {
  const { repo } = options;
  const manifest = repo.pkgPath === "" ? "Cargo.toml" : `${repo.pkgPath}/Cargo.toml`;
  const ignored = await git(
    ["check-ignore", "-q", "--no-index", "--", manifest],
    repo.workdir,
    options.env,
    "check whether Cargo.toml is ignored",
  );
  if (ignored.status === 0) return undefined;
  const toWorkdir = (abs: string) => relative(repo.workdir, abs).split(sep).join("/");
  const dirty = await dirtyPaths(options, [`:(top)${repo.pkgPath}`]);
  const dirtyFiles = options.files
    .map((f) => (repo.pkgPath === "" ? f.relPath : `${repo.pkgPath}/${f.relPath}`))
    .filter((p) => dirty.some((d) => under(p, d)));
  const outside = options.outsideFiles
    .map(toWorkdir)
    .filter((p) => !p.startsWith("..") && repo.pkgPath !== "" && !under(p, repo.pkgPath));
  if (outside.length > 0)
    dirtyFiles.push(
      ...(await dirtyPaths(
        options,
        outside.map((p) => `:(top)${p}`),
      )),
    );
  const isDirty = dirtyFiles.length > 0;
  if (isDirty && !options.allowDirty) {
    const shown = dirtyFiles.map((p) => relative(options.cwd, `${repo.workdir}/${p}`)).sort();
    throw new WharfError({
      code: "PACKAGE_DIRTY",
      message: `${shown.length} files in the working directory contain changes that were not yet committed into git:\n\n${shown.join("\n")}`,
      hint: "to proceed despite this and include the uncommitted changes, pass the `--allow-dirty` flag",
    });
  }
  const head = await git(["rev-parse", "--verify", "-q", "HEAD"], repo.workdir, options.env, "read HEAD");
  if (head.status !== 0) return undefined;
  return { sha1: head.stdout.trim(), dirty: isDirty, pathInVcs: repo.pkgPath };
}
