/**
 * The oracle for git sources: real cargo and the built wharf resolve projects with git
 * dependencies (branch, tag, short and full rev, default HEAD, a branch with a slash, a
 * workspace repository with path dependencies between its crates, two references to one
 * repository, a git crate with a registry dependency, the v3 encoding) and must write the
 * same Cargo.lock bytes; then `wharf tree` must print what `cargo tree` prints. Every case
 * runs over file:// (wharf with WHARF_ALLOW_FILE_GIT=1) and over real HTTPS on loopback
 * (`git http-backend` behind a node https server with the test CA; cargo fetches with the
 * git CLI, wharf always does).
 */
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { CargoRegistryClient } from "./cargo-client.js";
import { startCorpusRegistry } from "./corpus-registry.js";
import { type GitRepos, makeGitRepos } from "./git-fixtures.js";
import { type GitHttpServer, startGitHttpServer } from "./git-http-server.js";
import { writeTree } from "./project.js";
import { makeTempHome, WHARF_BIN } from "./run.js";
import { mapPool, runAsync } from "./run-async.js";
import type { TestRegistry } from "./test-registry.js";

const home = makeTempHome("wharf-git-diff-");
let registry: TestRegistry;
let client: CargoRegistryClient;
let server: GitHttpServer;
let repos: GitRepos;

before(async () => {
  repos = await makeGitRepos(join(home.root, "repos"), home.home, { registryDep: 'itoa = "1"' });
  ({ registry, client } = await startCorpusRegistry(home));
  server = await startGitHttpServer({ root: repos.root, pki: registry.pki });
});
after(async () => {
  await server?.close();
  await registry?.close();
  home.cleanup();
});

type Transport = "file" | "https";

interface Case {
  name: string;
  /** the [dependencies] lines, given the base URL of the repositories */
  deps: (base: string) => string;
  rustVersion?: string;
}

const CASES: Case[] = [
  { name: "branch", deps: (b) => `gdep = { git = "${b}single", branch = "dev" }` },
  { name: "tag", deps: (b) => `gdep = { git = "${b}single", tag = "v0.1.0" }` },
  {
    name: "rev-short",
    deps: (b) => `gdep = { git = "${b}single", rev = "${repos.single.tagged.slice(0, 10)}" }`,
  },
  { name: "rev-full", deps: (b) => `gdep = { git = "${b}single", rev = "${repos.single.feature}" }` },
  { name: "default-head", deps: (b) => `gdep = { git = "${b}single" }` },
  { name: "branch-with-slash", deps: (b) => `gdep = { git = "${b}single", branch = "feature/x" }` },
  {
    name: "branch-with-slash-v3",
    deps: (b) => `gdep = { git = "${b}single", branch = "feature/x" }`,
    rustVersion: "1.70",
  },
  {
    name: "workspace-repo",
    deps: (b) => `alpha = { git = "${b}multi" }\nbeta = { git = "${b}multi", branch = "main" }`,
  },
  {
    name: "two-refs-one-repo",
    deps: (b) =>
      `gdep = { git = "${b}single", tag = "v0.1.0" }\ngdep2 = { package = "gdep", git = "${b}single", branch = "dev" }`,
  },
  { name: "git-crate-with-registry-dep", deps: (b) => `usesreg = { git = "${b}withreg" }\nryu = "1"` },
];

interface Outcome {
  name: string;
  equal: boolean;
  detail?: string;
}

function envFor(transport: Transport): Record<string, string> {
  const env: Record<string, string> = {
    ...client.env,
    WHARF_HOME: home.wharfHome,
    WHARF_HTTP_CAINFO: registry.pki.ca.caCertPath,
  };
  if (transport === "file") env.WHARF_ALLOW_FILE_GIT = "1";
  else {
    // cargo's git CLI backend reads the CA from git's own variable
    env.CARGO_NET_GIT_FETCH_WITH_CLI = "true";
    env.GIT_SSL_CAINFO = registry.pki.ca.caCertPath;
  }
  return env;
}

function firstDifference(expected: string, actual: string): string {
  const e = expected.split("\n");
  const a = actual.split("\n");
  const i = e.findIndex((line, k) => line !== a[k]);
  return `first difference at line ${i + 1}: cargo ${JSON.stringify(e[i])} wharf ${JSON.stringify(a[i])}`;
}

async function compare(c: Case, transport: Transport, withTree: boolean): Promise<Outcome> {
  const name = `${c.name} over ${transport}`;
  const base = transport === "file" ? `file://${repos.root}/` : server.baseUrl;
  const files = {
    "Cargo.toml": `[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n${
      c.rustVersion ? `rust-version = "${c.rustVersion}"\n` : ""
    }\n[dependencies]\n${c.deps(base)}\n`,
    "src/lib.rs": "",
  };
  const dir = join(home.root, "projects", `${c.name}-${transport}`);
  const cargoDir = join(dir, "cargo");
  const wharfDir = join(dir, "wharf");
  for (const d of [cargoDir, wharfDir]) {
    mkdirSync(d, { recursive: true });
    writeTree(d, files);
  }
  const env = envFor(transport);
  const cargo = await runAsync("cargo", ["generate-lockfile"], { cwd: cargoDir, env, timeoutMs: 300_000 });
  const wharf = await runAsync(process.execPath, [WHARF_BIN, "generate-lockfile"], {
    cwd: wharfDir,
    env,
    timeoutMs: 300_000,
  });
  if (cargo.status !== 0 || wharf.status !== 0) {
    return {
      name,
      equal: false,
      detail: `cargo ${cargo.status}: ${cargo.stderr.slice(-500)} | wharf ${wharf.status}: ${wharf.stderr.slice(-800)}`,
    };
  }
  const expected = readFileSync(join(cargoDir, "Cargo.lock"), "utf8");
  const actual = readFileSync(join(wharfDir, "Cargo.lock"), "utf8");
  if (expected !== actual) return { name, equal: false, detail: firstDifference(expected, actual) };
  if (!withTree) return { name, equal: true };
  const [cargoTree, wharfTree] = await Promise.all([
    runAsync("cargo", ["tree"], { cwd: cargoDir, env, timeoutMs: 300_000 }),
    runAsync(process.execPath, [WHARF_BIN, "tree"], { cwd: wharfDir, env, timeoutMs: 300_000 }),
  ]);
  if (cargoTree.status !== 0 || wharfTree.status !== 0) {
    return {
      name: `${name} (tree)`,
      equal: false,
      detail: `cargo ${cargoTree.status}: ${cargoTree.stderr.slice(-500)} | wharf ${wharfTree.status}: ${wharfTree.stderr.slice(-800)}`,
    };
  }
  const e = cargoTree.stdout.replaceAll(cargoDir, "<ROOT>");
  const a = wharfTree.stdout.replaceAll(wharfDir, "<ROOT>");
  return e === a
    ? { name, equal: true }
    : { name: `${name} (tree)`, equal: false, detail: firstDifference(e, a) };
}

describe("git dependencies: wharf writes cargo's Cargo.lock and prints cargo's tree", () => {
  for (const transport of ["file", "https"] as const) {
    test(`over ${transport}`, async (t) => {
      const outcomes = await mapPool(CASES, 2, (c) => compare(c, transport, true));
      const bad = outcomes.filter((o) => !o.equal);
      t.diagnostic(
        `git projects over ${transport}: ${outcomes.length - bad.length} equal of ${outcomes.length}`,
      );
      assert.deepEqual(bad, []);
    });
  }
});
