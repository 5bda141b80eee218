/**
 * Git sources (cargo's GitSource): check the URL and reference against the policy, fetch
 * into the cache's bare database, resolve the branch, tag, rev or default HEAD to a commit
 * (or take the commit Cargo.lock pins, without touching the network when the database
 * has it), check that commit out once, find its packages and hand the resolver Summaries
 * whose SourceId carries the commit (`precise`), which the lockfile writes after `#`.
 * A dependency that follows a branch, tag or HEAD instead of a rev gets a warning.
 */
import { join } from "node:path";
import { formatSourceId, type Package, type SourceId, WharfError } from "@wharf/protocol";
import { type CachePaths, withCacheLock } from "../cache/index.js";
import type { DependencySpec, Summary } from "../resolver/index.js";
import { summaryFromPackage } from "../resolver/index.js";
import { gitEnvironment } from "./git-command.js";
import { GitDatabase } from "./git-database.js";
import { discoverPackages } from "./git-discover.js";
import { parseLockedGitSource } from "./git-lock.js";
import { checkGitReference, checkGitUrl, isFullCommit, redactGitUrl } from "./git-url.js";

export type GitSourceId = Extract<SourceId, { kind: "git" }>;

/** What the caller decides for git sources (see gitSourceSettings for the defaults). */
export interface GitSourceSettings {
  /** the environment wharf runs in; git gets only an allow-listed part of it */
  env: Readonly<Record<string, string | undefined>>;
  /** PEM bundle for https remotes signed by a private CA (http.cainfo) */
  caFile?: string | undefined;
  /** allow file:// remotes (WHARF_ALLOW_FILE_GIT=1) */
  allowFile: boolean;
  /** --offline: use only what the cache holds */
  offline: boolean;
  /** bound on one `git fetch` */
  timeoutMs: number;
  status: (word: string, message: string) => void;
  warn: (message: string) => void;
}

/** A commit of a git source, checked out, with the packages found in it. */
export interface GitCheckout {
  source: GitSourceId;
  commit: string;
  dir: string;
  /** packages as they come from this source: SourceId with `precise`, path deps on the source */
  packages: Package[];
}

function describeFollowed(source: GitSourceId): string | undefined {
  switch (source.reference.kind) {
    case "branch":
      return `branch \`${source.reference.name}\``;
    case "tag":
      return `tag \`${source.reference.name}\``;
    case "default-branch":
      return "the default branch";
    case "rev":
      return undefined;
  }
}

/** The source as a dependency names it: no commit. */
function plain(source: GitSourceId): GitSourceId {
  return { kind: "git", url: source.url, reference: source.reference };
}

export class GitSources {
  private readonly settings: GitSourceSettings;
  private readonly paths: CachePaths;
  private readonly gitEnv: Record<string, string>;
  private readonly pins = new Map<string, string>();
  private readonly checkouts = new Map<string, Promise<GitCheckout>>();
  private readonly warned = new Set<string>();
  private readonly done = new Map<string, GitCheckout>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly loadPath: (dir: string) => Package;

  /** `loadPath(dir)` reads the package at a directory and throws for virtual or broken manifests */
  constructor(settings: GitSourceSettings, paths: CachePaths, loadPath: (dir: string) => Package) {
    this.settings = settings;
    this.paths = paths;
    this.loadPath = loadPath;
    this.gitEnv = gitEnvironment({
      env: settings.env,
      caFile: settings.caFile,
      allowFile: settings.allowFile,
    });
  }

  /** Locks `source` to `commit` (from the previous Cargo.lock) for the rest of this run. */
  pin(source: GitSourceId, commit: string): void {
    if (isFullCommit(commit)) this.pins.set(formatSourceId(plain(source)), commit);
  }

  /** Every package of `dep`'s name at the commit its source resolves to. */
  async query(dep: DependencySpec): Promise<Summary[]> {
    if (dep.source.kind !== "git") return [];
    const checkout = await this.checkout(dep.source);
    const followed = describeFollowed(checkout.source);
    const key = formatSourceId(checkout.source);
    if (followed !== undefined && !this.warned.has(key)) {
      this.warned.add(key);
      this.settings.warn(
        `git dependency \`${dep.name}\` follows ${followed} of \`${redactGitUrl(checkout.source.url)}\` instead of a fixed commit (now ${checkout.commit.slice(0, 8)}); set \`rev = "${checkout.commit}"\` to build the same code everywhere`,
      );
    }
    return checkout.packages.filter((p) => p.name === dep.name).map(summaryFromPackage);
  }

  /** The checkout of `source` at its pinned commit, else at what its reference names now. */
  checkout(source: GitSourceId): Promise<GitCheckout> {
    const key = formatSourceId(plain(source));
    let pending = this.checkouts.get(key);
    if (!pending) {
      pending = this.update(plain(source));
      this.checkouts.set(key, pending);
    }
    return pending;
  }

  /**
   * `wharf fetch`: checks out the commit a Cargo.lock entry names and makes sure the
   * package is there. Returns the package.
   */
  async checkoutLocked(pkg: { name: string; version: string; source: string }): Promise<Package> {
    const locked = parseLockedGitSource(pkg.source);
    if (locked?.commit === undefined || !isFullCommit(locked.commit)) {
      throw new WharfError({
        code: "LOCKFILE_GIT_NO_COMMIT",
        message: `Cargo.lock does not lock \`${pkg.name} v${pkg.version}\` to a commit: \`${redactGitUrl(pkg.source)}\``,
        hint: "run `wharf generate-lockfile` to lock git dependencies",
      });
    }
    this.pin(locked.source, locked.commit);
    const checkout = await this.checkout(locked.source);
    const found = checkout.packages.find((p) => p.name === pkg.name && p.version === pkg.version);
    if (!found) {
      throw new WharfError({
        code: "GIT_PACKAGE_MISSING",
        message: `\`${pkg.name} v${pkg.version}\` is locked in Cargo.lock but commit ${checkout.commit} of \`${redactGitUrl(locked.source.url)}\` does not contain it`,
        hint: "run `wharf generate-lockfile` to lock another commit",
      });
    }
    return found;
  }

  /** A package of a git source this run has checked out (for its manifest path). */
  packageAt(source: GitSourceId, name: string, version: string): Package | undefined {
    const checkout = this.done.get(formatSourceId(plain(source)));
    return checkout?.packages.find((p) => p.name === name && p.version === version);
  }

  /** One git operation at a time in this process, and one process at a time on the git cache. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(() => withCacheLock(join(this.paths.root, "git", "git.lock"), fn));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async update(source: GitSourceId): Promise<GitCheckout> {
    const { url, reference } = source;
    checkGitUrl(url, { allowFile: this.settings.allowFile });
    checkGitReference(reference, url);
    const db = new GitDatabase(url, {
      gitRoot: join(this.paths.root, "git"),
      tmpRoot: this.paths.tmp,
      env: this.gitEnv,
      timeoutMs: this.settings.timeoutMs,
    });
    const key = formatSourceId(source);
    const pinned =
      this.pins.get(key) ??
      (reference.kind === "rev" && isFullCommit(reference.rev) ? reference.rev : undefined);
    const { commit, dir } = await this.exclusive(async () => {
      let commit: string;
      if (pinned !== undefined && (await db.contains(pinned))) commit = pinned;
      else if (this.settings.offline) {
        if (pinned !== undefined || !db.exists()) {
          throw new WharfError({
            code: "GIT_OFFLINE",
            message: `can't checkout from \`${redactGitUrl(url)}\`: you are in the offline mode (--offline)`,
            hint: "run once without --offline to fetch it into the cache",
          });
        }
        commit = await db.resolve(reference, url);
      } else {
        this.settings.status("Updating", `git repository \`${redactGitUrl(url)}\``);
        const target = pinned !== undefined ? { kind: "rev" as const, rev: pinned } : reference;
        await db.fetch(url, target);
        commit = await db.resolve(target, url);
      }
      return { commit, dir: await db.checkout(commit) };
    });
    const found = discoverPackages(dir, this.loadPath);
    if (found.packages.length === 0) {
      throw new WharfError({
        code: "GIT_NO_PACKAGES",
        message: `could not find any package in \`${redactGitUrl(url)}\` at ${commit}`,
        cause: found.errors.at(-1),
      });
    }
    for (const d of found.duplicates) this.settings.warn(d);
    const locked: GitSourceId = { ...source, precise: commit };
    const packages = found.packages.map((pkg) => ({
      ...pkg,
      source: locked,
      // cargo: a path dependency inside a git package is a dependency on the same git source
      dependencies: pkg.dependencies.map((d) => (d.source.kind === "path" ? { ...d, source } : d)),
    }));
    const checkout = { source: locked, commit, dir, packages };
    this.done.set(key, checkout);
    return checkout;
  }
}

/** Settings from the environment: WHARF_ALLOW_FILE_GIT=1, WHARF_GIT_TIMEOUT (seconds, default 600). */
export function gitSourceSettings(options: {
  env: Readonly<Record<string, string | undefined>>;
  caFile?: string | undefined;
  offline: boolean;
  shell: { status(word: string, message: string): void; warn(message: string): void };
}): GitSourceSettings {
  const timeout = Number(options.env.WHARF_GIT_TIMEOUT);
  return {
    env: options.env,
    caFile: options.caFile,
    allowFile: options.env.WHARF_ALLOW_FILE_GIT === "1",
    offline: options.offline,
    timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout * 1000 : 600_000,
    status: (word, message) => options.shell.status(word, message),
    warn: (message) => options.shell.warn(message),
  };
}
