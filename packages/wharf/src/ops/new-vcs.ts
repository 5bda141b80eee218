/**
 * The system `git`, as `cargo new` uses libgit2: is a directory inside a work tree (so the
 * new package should not get its own repository), and `git init`. Always spawned with an
 * argument array and `--` before paths; GIT_* variables are dropped so a GIT_DIR or
 * GIT_WORK_TREE inherited from a hook cannot redirect the init into another repository.
 */
import { spawnSync } from "node:child_process";
import { realpathSync } from "node:fs";
import { WharfError } from "@wharf/protocol";

export type Env = Readonly<Record<string, string | undefined>>;

function gitEnv(env: Env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && !key.startsWith("GIT_")) out[key] = value;
  }
  return out;
}

interface GitRun {
  status: number | null;
  stdout: string;
  stderr: string;
  error?: Error | undefined;
}

function git(args: readonly string[], cwd: string, env: Env): GitRun {
  const r = spawnSync("git", [...args], {
    cwd,
    env: gitEnv(env),
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "", error: r.error };
}

function realpathOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * cargo's `existing_vcs_repo` for git: `dir` is in a work tree and is either its root or
 * not ignored by it. A missing `dir` or a missing `git` means "no repository", as a failed
 * libgit2 discovery does for cargo. (cargo also asks `hg root`; Wharf does not yet.)
 */
export function isInGitWorkTree(dir: string, cwd: string, env: Env): boolean {
  const top = git(["-C", dir, "rev-parse", "--show-toplevel"], cwd, env);
  if (top.error || top.status !== 0) return false;
  const root = top.stdout.replace(/\n$/, "");
  if (realpathOr(root) === realpathOr(dir)) return true;
  const ignored = git(["-C", dir, "check-ignore", "-q", "--", realpathOr(dir)], cwd, env);
  return ignored.status !== 0;
}

/** `git init` of `path` (created with its parents if missing); quiet, like libgit2. */
export function gitInit(path: string, cwd: string, env: Env): void {
  const r = git(["init", "-q", "--", path], cwd, env);
  if (r.error || r.status !== 0) {
    const detail = r.error ? r.error.message : r.stderr.trim() || `exit status ${r.status}`;
    throw new WharfError({
      code: "VCS_INIT_FAILED",
      message: `could not initialise a git repository at \`${path}\``,
      cause: new Error(detail),
    });
  }
}
