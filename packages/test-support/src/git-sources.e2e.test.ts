/**
 * Git sources end to end with real git: the URL and reference policy refuses hostile and
 * cleartext sources before git runs (nothing they smuggle in is executed), branch/tag/HEAD
 * dependencies warn, HTTPS really goes through the private CA, `wharf fetch` checks out the
 * commit Cargo.lock pins (not the moved branch tip) and needs no network when the cache has
 * it, and git ignores the caller's GIT_* variables.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type GitRepos, git, makeGitRepos } from "./git-fixtures.js";
import { type GitHttpServer, startGitHttpServer } from "./git-http-server.js";
import { writeTree } from "./project.js";
import { makeTempHome, type RunResult, WHARF_BIN } from "./run.js";
import { runAsync } from "./run-async.js";
import { makeTestPki, type TestPki } from "./tls.js";

const home = makeTempHome("wharf-git-e2e-");
let pki: TestPki;
let server: GitHttpServer;
let repos: GitRepos;
let projectCount = 0;

before(async () => {
  repos = await makeGitRepos(join(home.root, "repos"), home.home);
  // a repository the tests move forward after locking
  await git(home.root, home.home, ["clone", "-q", join(repos.root, "single"), join(repos.root, "moving")]);
  pki = makeTestPki(join(home.root, "pki"));
  server = await startGitHttpServer({ root: repos.root, pki });
});
after(async () => {
  await server?.close();
  home.cleanup();
});

function project(deps: string): string {
  const dir = join(home.root, "projects", `p${projectCount++}`);
  mkdirSync(dir, { recursive: true });
  writeTree(dir, {
    "Cargo.toml": `[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n${deps}\n`,
    "src/lib.rs": "",
  });
  return dir;
}

function wharf(cwd: string, args: string[], extraEnv: Record<string, string> = {}): Promise<RunResult> {
  return runAsync(process.execPath, [WHARF_BIN, ...args], {
    cwd,
    env: { ...home.env, WHARF_HTTP_CAINFO: pki.ca.caCertPath, ...extraEnv },
    timeoutMs: 120_000,
  });
}

describe("git sources refuse what must not reach git", () => {
  const marker = () => join(home.root, "pwned");
  const cases: { name: string; dep: () => string; message: RegExp; env?: Record<string, string> }[] = [
    { name: "plain http", dep: () => `gdep = { git = "http://127.0.0.1:9/single" }`, message: /plain http/ },
    {
      name: "git://",
      dep: () => `gdep = { git = "git://127.0.0.1:9/single" }`,
      message: /git:\/\/ protocol/,
    },
    {
      name: "ssh host read as an option",
      dep: () => `gdep = { git = "ssh://-oProxyCommand=touch${marker()}/x" }`,
      message: /starts with `-`/,
    },
    {
      name: "ext:: remote helper",
      dep: () => `gdep = { git = "ext::sh -c touch% ${marker()}" }`,
      message: /remote helpers \(`<transport>::<address>`\) run arbitrary commands/,
    },
    {
      name: "file:// without the opt-in",
      dep: () => `gdep = { git = "file://${repos.root}/single" }`,
      message: /file:\/\/ git sources are disabled[\s\S]*WHARF_ALLOW_FILE_GIT=1/,
    },
    {
      name: "a branch that is an option",
      dep: () => `gdep = { git = "file://${repos.root}/single", branch = "--upload-pack=touch ${marker()}" }`,
      message: /git branch `--upload-pack=touch .*` .* is refused: it starts with `-`/,
      env: { WHARF_ALLOW_FILE_GIT: "1" },
    },
    {
      name: "a branch that is a refspec",
      dep: () => `gdep = { git = "https://127.0.0.1:9/single", branch = "main:refs/heads/x" }`,
      message: /is refused: it contains/,
    },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const dir = project(c.dep());
      const r = await wharf(dir, ["generate-lockfile"], c.env);
      assert.notEqual(r.status, 0, r.stderr);
      assert.match(r.stderr, c.message);
      assert.match(r.stderr, /^error: /m);
      assert.ok(!existsSync(marker()), "a command smuggled into the URL ran");
      assert.ok(!existsSync(join(dir, "Cargo.lock")));
    });
  }
});

describe("git sources over https with the test CA", () => {
  test("a branch dependency resolves, locks the tip and warns that it follows a branch", async () => {
    const dir = project(`gdep = { git = "${server.baseUrl}single", branch = "dev" }`);
    const r = await wharf(dir, ["generate-lockfile"]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /Updating git repository `https:\/\/127\.0\.0\.1:\d+\/single`/);
    assert.match(
      r.stderr,
      /warning: git dependency `gdep` follows branch `dev` of `https:\/\/127\.0\.0\.1:\d+\/single`/,
    );
    const lock = readFileSync(join(dir, "Cargo.lock"), "utf8");
    assert.ok(lock.includes(`source = "git+${server.baseUrl}single?branch=dev#${repos.single.dev}"`), lock);
  });

  test("a rev dependency gives no warning", async () => {
    const dir = project(`gdep = { git = "${server.baseUrl}single", rev = "${repos.single.tagged}" }`);
    const r = await wharf(dir, ["generate-lockfile"]);
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /warning: git dependency/);
  });

  test("without the CA the certificate is refused", async () => {
    const dir = project(`gdep = { git = "${server.baseUrl}single", tag = "v0.1.0" }`);
    const r = await runAsync(process.execPath, [WHARF_BIN, "generate-lockfile"], {
      cwd: dir,
      env: { ...home.env, WHARF_HOME: join(home.root, "no-ca-home") },
      timeoutMs: 120_000,
    });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /failed to fetch tag `v0\.1\.0`[\s\S]*(certificate|SSL)/i);
  });

  test("GIT_* variables of the caller do not reach git", async () => {
    const dir = project(`gdep = { git = "${server.baseUrl}single" }`);
    const r = await wharf(dir, ["generate-lockfile"], {
      GIT_DIR: join(home.root, "nowhere"),
      GIT_CONFIG_PARAMETERS: "'http.sslVerify'='false'",
      GIT_SSL_NO_VERIFY: "1",
      WHARF_HOME: join(home.root, "env-home"),
    });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(readFileSync(join(dir, "Cargo.lock"), "utf8").includes(`#${repos.single.main}`));
  });
});

describe("wharf fetch checks out the locked commit", () => {
  test("locked commit, not the moved branch; offline once cached; private dirs", async () => {
    const moving = join(repos.root, "moving");
    const locked = await git(moving, home.home, ["rev-parse", "HEAD"]);
    const dir = project(`gdep = { git = "${server.baseUrl}moving", branch = "main" }`);
    const wharfHome = join(home.root, "fetch-home");
    const env = { WHARF_HOME: wharfHome };
    assert.equal((await wharf(dir, ["generate-lockfile"], env)).status, 0);
    assert.ok(readFileSync(join(dir, "Cargo.lock"), "utf8").includes(`?branch=main#${locked}`));

    // the branch moves on after the lock was written
    writeTree(moving, { "src/lib.rs": "pub fn v() -> u32 { 42 }\n" });
    await git(moving, home.home, ["commit", "-q", "-am", "moved"]);
    const tip = await git(moving, home.home, ["rev-parse", "HEAD"]);
    assert.notEqual(tip, locked);

    // a fresh cache: fetch goes to the network but checks out the locked commit
    const fresh = { WHARF_HOME: join(home.root, "fetch-home-2") };
    const r = await wharf(dir, ["fetch"], fresh);
    assert.equal(r.status, 0, r.stderr);
    const checkouts = join(fresh.WHARF_HOME, "cache", "git", "checkouts");
    const [ident] = readdirSync(checkouts);
    assert.match(ident!, /^moving-[0-9a-f]{16}$/);
    assert.deepEqual(readdirSync(join(checkouts, ident!)), [locked.slice(0, 7)]);
    const tree = join(checkouts, ident!, locked.slice(0, 7));
    assert.equal(readFileSync(join(tree, ".wharf-ok"), "utf8").trim(), locked);
    assert.equal(readFileSync(join(tree, "src", "lib.rs"), "utf8"), "pub fn v() -> u32 { 1 }\n");
    for (const d of [join(fresh.WHARF_HOME, "cache", "git", "db"), join(checkouts, ident!), tree]) {
      assert.equal(statSync(d).mode & 0o777, 0o700, d);
    }

    // the cache has the commit: --offline works and the server sees no request
    const before = server.requests();
    const offline = await wharf(dir, ["fetch", "--offline"], fresh);
    assert.equal(offline.status, 0, offline.stderr);
    assert.equal(server.requests(), before);
    assert.doesNotMatch(offline.stderr, /Updating git repository/);
  });

  test("--offline with nothing cached is a clear error", async () => {
    const dir = project(`gdep = { git = "${server.baseUrl}single", tag = "v0.1.0" }`);
    assert.equal((await wharf(dir, ["generate-lockfile"])).status, 0);
    const r = await wharf(dir, ["fetch", "--offline"], { WHARF_HOME: join(home.root, "empty-home") });
    assert.notEqual(r.status, 0);
    assert.match(
      r.stderr,
      /can't checkout from `https:\/\/127\.0\.0\.1:\d+\/single`: you are in the offline mode/,
    );
  });
});
