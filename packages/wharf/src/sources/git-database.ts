/**
 * The git part of the cache, laid out as cargo's: one bare database per remote at
 * `git/db/<name>-<hash>` and one checkout per commit at `git/checkouts/<name>-<hash>/<short>`.
 * Both are built in a private temp dir and renamed into place, so a half-made one is never
 * used; a checkout carries `.wharf-ok` with its full commit, checked before reuse.
 * Fetch refspecs and reference resolution follow cargo (branch -> refs/remotes/origin/<b>,
 * tag -> refs/remotes/origin/tags/<t>, default -> refs/remotes/origin/HEAD).
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type GitReference, WharfError } from "@wharf/protocol";
import { ensurePrivateDir, removeTree } from "../cache/index.js";
import { runGit, runGitChecked } from "./git-command.js";
import { isFullCommit, redactGitUrl } from "./git-url.js";

export interface GitDatabaseOptions {
  /** `<wharfHome>/cache/git` */
  gitRoot: string;
  /** a temp dir on the same file system (the cache's tmp) */
  tmpRoot: string;
  env: Record<string, string>;
  /** for fetches; local commands get a fixed bound */
  timeoutMs: number;
}

const LOCAL_TIMEOUT_MS = 120_000;

/** cargo's CanonicalUrl, enough for naming: no trailing slash or `.git`, github lower-cased. */
function canonicalUrl(url: string): string {
  let out = url.replace(/\/+$/, "");
  if (out.endsWith(".git")) out = out.slice(0, -4);
  return /^https?:\/\/github\.com\//i.test(out) ? out.toLowerCase() : out;
}

/** `<last path segment>-<16 hex>`: readable and one per remote. */
export function gitIdent(url: string): string {
  const canonical = canonicalUrl(url);
  // the last path segment: after the host of a URL, after the `:` of scp-like `host:path`
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/]*(.*)$/.exec(canonical);
  const path = scheme ? scheme[1]! : canonical.slice(canonical.indexOf(":") + 1);
  const last = path.split("/").pop() ?? "";
  const name = /^[A-Za-z0-9._-]+$/.test(last) && !last.startsWith(".") ? last : "_empty";
  const hash = createHash("sha256").update(canonical).digest("hex").slice(0, 16);
  return `${name}-${hash}`;
}

/** What `git fetch` needs for a reference (cargo's refspecs) and whether to take tags. */
export function refspecsFor(reference: GitReference): { refspecs: string[]; tags: boolean } {
  switch (reference.kind) {
    case "branch":
      return {
        refspecs: [`+refs/heads/${reference.name}:refs/remotes/origin/${reference.name}`],
        tags: false,
      };
    case "tag":
      return {
        refspecs: [`+refs/tags/${reference.name}:refs/remotes/origin/tags/${reference.name}`],
        tags: false,
      };
    case "default-branch":
      return { refspecs: ["+HEAD:refs/remotes/origin/HEAD"], tags: false };
    case "rev":
      if (reference.rev.startsWith("refs/"))
        return { refspecs: [`+${reference.rev}:${reference.rev}`], tags: false };
      // an unknown revision: fetch every branch and tag and hope it is in there, as cargo does
      return {
        refspecs: ["+refs/heads/*:refs/remotes/origin/*", "+HEAD:refs/remotes/origin/HEAD"],
        tags: true,
      };
  }
}

function describeRef(reference: GitReference): string {
  switch (reference.kind) {
    case "branch":
      return `branch \`${reference.name}\``;
    case "tag":
      return `tag \`${reference.name}\``;
    case "rev":
      return `revision \`${reference.rev}\``;
    case "default-branch":
      return "the default branch (HEAD)";
  }
}

export class GitDatabase {
  readonly path: string;
  private readonly options: GitDatabaseOptions;
  readonly ident: string;

  constructor(url: string, options: GitDatabaseOptions) {
    this.ident = gitIdent(url);
    this.path = join(options.gitRoot, "db", this.ident);
    this.options = options;
  }

  exists(): boolean {
    return existsSync(join(this.path, "HEAD"));
  }

  private git(args: readonly string[], what: string, timeoutMs = LOCAL_TIMEOUT_MS) {
    return runGitChecked(["--git-dir", this.path, ...args], { env: this.options.env, timeoutMs, what });
  }

  /** Creates the bare database if it is missing (temp dir, then rename). */
  async ensure(): Promise<void> {
    if (this.exists()) return;
    await ensurePrivateDir(join(this.options.gitRoot, "db"));
    await ensurePrivateDir(this.options.tmpRoot);
    const tmp = await mkdtemp(join(this.options.tmpRoot, "git-db-"));
    try {
      await runGitChecked(["init", "--quiet", "--bare", "--", tmp], {
        env: this.options.env,
        timeoutMs: LOCAL_TIMEOUT_MS,
        what: `create a git database for ${this.ident}`,
      });
      try {
        await rename(tmp, this.path);
      } catch (cause) {
        // another process made it first: use theirs
        if (!this.exists()) throw cause;
      }
    } finally {
      await removeTree(tmp).catch(() => undefined);
    }
  }

  /** `git fetch` of `reference` (or of everything, for a bare commit) from `url`. */
  async fetch(url: string, reference: GitReference): Promise<void> {
    await this.ensure();
    const { refspecs, tags } = refspecsFor(reference);
    await this.git(
      ["fetch", tags ? "--tags" : "--no-tags", "--force", "--quiet", "--", url, ...refspecs],
      `fetch ${describeRef(reference)} from \`${redactGitUrl(url)}\``,
      this.options.timeoutMs,
    );
  }

  async contains(commit: string): Promise<boolean> {
    if (!this.exists() || !isFullCommit(commit)) return false;
    const r = await runGit(["--git-dir", this.path, "cat-file", "-e", `${commit}^{commit}`], {
      env: this.options.env,
      timeoutMs: LOCAL_TIMEOUT_MS,
      what: "look up a commit",
    });
    return r.status === 0;
  }

  /** The commit `reference` names in this database, peeled through annotated tags. */
  async resolve(reference: GitReference, url: string): Promise<string> {
    let spec: string;
    switch (reference.kind) {
      case "branch":
        spec = `refs/remotes/origin/${reference.name}`;
        break;
      case "tag":
        spec = `refs/remotes/origin/tags/${reference.name}`;
        break;
      case "default-branch":
        spec = "refs/remotes/origin/HEAD";
        break;
      case "rev":
        spec = reference.rev;
        break;
    }
    const r = await runGit(
      ["--git-dir", this.path, "rev-parse", "--verify", "--quiet", "--end-of-options", `${spec}^{commit}`],
      { env: this.options.env, timeoutMs: LOCAL_TIMEOUT_MS, what: "resolve a git reference" },
    );
    const commit = r.stdout.trim();
    if (r.status !== 0 || !isFullCommit(commit)) {
      throw new WharfError({
        code: "GIT_REFERENCE_NOT_FOUND",
        message: `failed to find ${describeRef(reference)} in \`${redactGitUrl(url)}\``,
        hint: "check the branch, tag or rev of the dependency in Cargo.toml",
      });
    }
    return commit;
  }

  /** The shortest unambiguous abbreviation, at least 7 hex digits (cargo's short id). */
  async shortId(commit: string): Promise<string> {
    const out = await this.git(["rev-parse", "--short=7", "--end-of-options", commit], "abbreviate a commit");
    return out.trim();
  }

  /** The working tree of `commit`, checked out once into the cache and reused. */
  async checkout(commit: string): Promise<string> {
    const short = await this.shortId(commit);
    const parent = join(this.options.gitRoot, "checkouts", this.ident);
    const dest = join(parent, short);
    const marker = join(dest, ".wharf-ok");
    if (existsSync(dest)) {
      const recorded = await readFile(marker, "utf8").catch(() => "");
      if (recorded.trim() === commit) return dest;
      throw new WharfError({
        code: "GIT_CHECKOUT_CORRUPT",
        message: `the git checkout at \`${dest}\` is not commit ${commit}`,
        hint: "remove that directory and run the command again",
      });
    }
    await ensurePrivateDir(parent);
    await ensurePrivateDir(this.options.tmpRoot);
    const tmp = await mkdtemp(join(this.options.tmpRoot, "git-co-"));
    try {
      const tree = join(tmp, "tree");
      await mkdir(tree, { mode: 0o700 });
      const extraEnv = { GIT_INDEX_FILE: join(tmp, "index") };
      const run = (args: string[], what: string) =>
        runGitChecked(args, { env: this.options.env, extraEnv, timeoutMs: LOCAL_TIMEOUT_MS, what });
      await run(["--git-dir", this.path, "read-tree", commit], `read the tree of ${commit}`);
      await run(
        ["--git-dir", this.path, "--work-tree", tree, "checkout-index", "--all", "--force"],
        `check out ${commit}`,
      );
      await writeFile(join(tree, ".wharf-ok"), `${commit}\n`, { mode: 0o600 });
      try {
        await rename(tree, dest);
      } catch (cause) {
        if (!existsSync(marker)) throw cause;
      }
    } finally {
      await removeTree(tmp).catch(() => undefined);
    }
    return dest;
  }
}
