/**
 * Real git repositories for git-source tests, made with the system `git` in a temp dir
 * (fixed author and dates, no user or system config): `single` (one crate with a tag, a
 * `dev` branch, a `feature/x` branch and a newer main), `multi` (a virtual workspace with
 * crates that depend on each other by path, plus decoys cargo's discovery must skip), and
 * optionally `withreg` (a crate with a registry dependency).
 */
import { join } from "node:path";
import { writeTree } from "./project.js";
import { runAsync } from "./run-async.js";

export interface GitRepos {
  /** the directory holding every repository (serve it with startGitHttpServer) */
  root: string;
  /** commits of `single`: v0.1.0 (tagged), the `dev` tip, the `feature/x` tip, the main tip */
  single: { tagged: string; dev: string; feature: string; main: string };
  multi: { main: string };
  withreg?: { main: string } | undefined;
}

export function gitEnv(home: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_AUTHOR_NAME: "Wharf Test",
    GIT_AUTHOR_EMAIL: "test@example.com",
    GIT_COMMITTER_NAME: "Wharf Test",
    GIT_COMMITTER_EMAIL: "test@example.com",
    GIT_AUTHOR_DATE: "2024-01-01T00:00:00Z",
    GIT_COMMITTER_DATE: "2024-01-01T00:00:00Z",
  };
}

/** Runs git in `cwd`; rejects with git's stderr on failure; returns stdout trimmed. */
export async function git(cwd: string, home: string, args: readonly string[]): Promise<string> {
  const r = await runAsync("git", args, { cwd, env: gitEnv(home), timeoutMs: 60_000 });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")} failed in ${cwd}: ${r.stderr}`);
  return r.stdout.trim();
}

const crate = (name: string, version: string, deps = "") =>
  `[package]\nname = "${name}"\nversion = "${version}"\nedition = "2021"\n\n[dependencies]\n${deps}`;

async function commitAll(dir: string, home: string, message: string): Promise<string> {
  await git(dir, home, ["add", "-A"]);
  await git(dir, home, ["commit", "-q", "-m", message]);
  return git(dir, home, ["rev-parse", "HEAD"]);
}

export async function makeGitRepos(
  root: string,
  home: string,
  options: { registryDep?: string | undefined } = {},
): Promise<GitRepos> {
  const single = join(root, "single");
  writeTree(single, { "Cargo.toml": crate("gdep", "0.1.0"), "src/lib.rs": "pub fn v() -> u32 { 1 }\n" });
  await git(single, home, ["init", "-q", "-b", "main"]);
  const tagged = await commitAll(single, home, "0.1.0");
  await git(single, home, ["tag", "-a", "-m", "release", "v0.1.0"]);
  await git(single, home, ["checkout", "-q", "-b", "dev"]);
  writeTree(single, { "Cargo.toml": crate("gdep", "0.2.0") });
  const dev = await commitAll(single, home, "dev");
  await git(single, home, ["checkout", "-q", "-b", "feature/x", "main"]);
  writeTree(single, { "src/lib.rs": "pub fn v() -> u32 { 3 }\n" });
  const feature = await commitAll(single, home, "feature");
  await git(single, home, ["checkout", "-q", "main"]);
  writeTree(single, { "Cargo.toml": crate("gdep", "0.1.1") });
  const main = await commitAll(single, home, "0.1.1");

  const multi = join(root, "multi");
  writeTree(multi, {
    "Cargo.toml": '[workspace]\nmembers = ["crates/*"]\nresolver = "2"\n',
    "crates/alpha/Cargo.toml": crate("alpha", "1.0.0", 'beta = { path = "../beta", version = "0.3" }\n'),
    "crates/alpha/src/lib.rs": "",
    "crates/beta/Cargo.toml": crate("beta", "0.3.0", 'gamma = { path = "../../extra/gamma" }\n'),
    "crates/beta/src/lib.rs": "",
    // reached only through beta's path dependency, and not a workspace member
    "extra/gamma/Cargo.toml": `${crate("gamma", "0.0.1")}\n[workspace]\n`,
    "extra/gamma/src/lib.rs": "",
    // decoys: a dot directory and a target dir next to a manifest are never searched
    ".hidden/ghost/Cargo.toml": crate("ghost", "1.0.0"),
    ".hidden/ghost/src/lib.rs": "",
    "target/stale/Cargo.toml": crate("alpha", "9.9.9"),
    "target/stale/src/lib.rs": "",
  });
  await git(multi, home, ["init", "-q", "-b", "main"]);
  const multiMain = await commitAll(multi, home, "multi");

  let withreg: GitRepos["withreg"];
  if (options.registryDep !== undefined) {
    const dir = join(root, "withreg");
    writeTree(dir, { "Cargo.toml": crate("usesreg", "0.5.0", `${options.registryDep}\n`), "src/lib.rs": "" });
    await git(dir, home, ["init", "-q", "-b", "main"]);
    withreg = { main: await commitAll(dir, home, "withreg") };
  }
  return { root, single: { tagged, dev, feature, main }, multi: { main: multiMain }, withreg };
}
