/**
 * `wharf login/logout/publish/yank/owner/search` against a real Wharf registry over HTTPS
 * holding the Debian corpus (crates-io replaced by it): login keeps the token in a 0600
 * file and refuses it as an argument; a clean crate publishes with no warning and real
 * cargo builds a project depending on it; a crate cargo published resolves and downloads
 * with wharf; planted secrets (an AWS key in src/config.rs, an id_rsa, a .env, a registry
 * token in a test file) each block the publish naming file and line, a test key under
 * tests/ only warns; yank, owner and search work, search printing what cargo prints; and
 * the token never appears in any output, including failures.
 */
import assert from "node:assert/strict";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { CargoRegistryClient } from "./cargo-client.js";
import { startCorpusRegistry } from "./corpus-registry.js";
import { git } from "./git-fixtures.js";
import { type FileTree, writeTree } from "./project.js";
import { closeHttpAgents, registryRequest } from "./registry-http.js";
import { makeTempHome, type RunResult, WHARF_BIN } from "./run.js";
import { runAsync } from "./run-async.js";
import { generatePrivateKeyPem } from "./test-keys.js";
import { ALL_SCOPES, type TestRegistry } from "./test-registry.js";

const home = makeTempHome("wharf-publish-e2e-");
let registry: TestRegistry;
let client: CargoRegistryClient;
let token: string;
const outputs: string[] = [];

function env(extra: Record<string, string> = {}): Record<string, string> {
  return { ...client.env, WHARF_HOME: home.wharfHome, ...extra };
}

async function wharf(args: string[], cwd: string, input?: string): Promise<RunResult> {
  const r =
    input === undefined
      ? await runAsync(process.execPath, [WHARF_BIN, ...args], { cwd, env: env(), timeoutMs: 300_000 })
      : await runWithStdin(args, cwd, input);
  outputs.push(r.stdout, r.stderr);
  return r;
}

/** `wharf` with `input` on stdin (runAsync closes stdin). */
async function runWithStdin(args: string[], cwd: string, input: string): Promise<RunResult> {
  const { spawn } = await import("node:child_process");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WHARF_BIN, ...args], { cwd, env: env() });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => err.push(d));
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({
        status: code ?? -1,
        stdout: Buffer.concat(out).toString(),
        stderr: Buffer.concat(err).toString(),
      }),
    );
    child.stdin.end(input);
  });
}

async function cargo(args: string[], cwd: string, extra: Record<string, string> = {}): Promise<RunResult> {
  const r = await runAsync("cargo", args, { cwd, env: env(extra), timeoutMs: 300_000 });
  outputs.push(r.stdout, r.stderr);
  return r;
}

function project(name: string, files: FileTree): string {
  const dir = join(home.root, "projects", name);
  writeTree(dir, files);
  return dir;
}

const manifest = (name: string, extra = "") =>
  `[package]\nname = "${name}"\nversion = "0.1.0"\nedition = "2021"\ndescription = "fixture ${name}"\nlicense = "MIT OR Apache-2.0"\n${extra}`;

before(async () => {
  ({ registry, client } = await startCorpusRegistry(home));
  ({ token } = await registry.addUser("alice", { scopes: ALL_SCOPES }));
});
after(async () => {
  await closeHttpAgents();
  await registry?.close();
  home.cleanup();
});

async function indexLines(name: string): Promise<{ vers: string; yanked: boolean }[]> {
  const n = name.toLowerCase();
  const path =
    n.length <= 2
      ? `${n.length}/${n}`
      : n.length === 3
        ? `3/${n[0]}/${n}`
        : `${n.slice(0, 2)}/${n.slice(2, 4)}/${n}`;
  const r = await registryRequest(registry, "GET", `/index/${path}`);
  if (r.status !== 200) return [];
  return r.text
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => {
      const line = JSON.parse(l) as { vers: string; yanked: boolean };
      return { vers: line.vers, yanked: line.yanked };
    });
}

describe("wharf publish and the registry commands", () => {
  test("login reads the token from stdin into a 0600 credentials file and refuses it as an argument", async () => {
    const refused = await wharf(["login", "--registry", "wharf", token], home.root);
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /command-line argument/);
    const r = await wharf(["login", "--registry", "wharf"], home.root, `${token}\n`);
    assert.equal(r.status, 0, r.stderr);
    const path = join(home.wharfHome, "credentials.toml");
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.match(readFileSync(path, "utf8"), /\[registries\.wharf\]/);
  });

  test("a clean crate publishes with no warning, and real cargo builds a project depending on it", async () => {
    const dir = project("clean", {
      "Cargo.toml": manifest("wharf-clean-lib", '\n[dependencies]\nitoa = "1"\n'),
      "src/lib.rs": "pub fn show(n: u64) -> String { itoa::Buffer::new().format(n).to_string() }\n",
      "README.md": "# wharf-clean-lib\n",
    });
    const r = await wharf(["publish", "--registry", "wharf", "--no-verify"], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /warning/);
    assert.match(r.stderr, /Published wharf-clean-lib v0\.1\.0 at registry `wharf`/);
    assert.deepEqual(
      (await indexLines("wharf-clean-lib")).map((l) => l.vers),
      ["0.1.0"],
    );
    const app = project("clean-app", {
      "Cargo.toml":
        '[package]\nname = "clean-app"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\nwharf-clean-lib = "0.1"\n',
      "src/main.rs": 'fn main() { println!("{}", wharf_clean_lib::show(42)); }\n',
    });
    const built = await cargo(["run", "-q"], app);
    assert.equal(built.status, 0, built.stderr);
    assert.equal(built.stdout.trim(), "42");
  });

  test("a crate real cargo published resolves and downloads with wharf", async () => {
    const dir = project("by-cargo", {
      "Cargo.toml": manifest("cargo-made-lib", '\n[dependencies]\nmemchr = "2"\n'),
      "src/lib.rs": "pub fn f() {}\n",
    });
    const pub = await cargo(["publish", "--registry", "wharf", "--allow-dirty", "--no-verify"], dir, {
      CARGO_REGISTRIES_WHARF_TOKEN: token,
    });
    assert.equal(pub.status, 0, pub.stderr);
    const app = project("by-cargo-app", {
      "Cargo.toml":
        '[package]\nname = "by-cargo-app"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\ncargo-made-lib = "0.1"\n',
      "src/main.rs": "fn main() { cargo_made_lib::f(); }\n",
    });
    const lock = await wharf(["generate-lockfile"], app);
    assert.equal(lock.status, 0, lock.stderr);
    assert.match(readFileSync(join(app, "Cargo.lock"), "utf8"), /name = "cargo-made-lib"\nversion = "0.1.0"/);
    const fetched = await wharf(["fetch"], app);
    assert.equal(fetched.status, 0, fetched.stderr);
    // and cargo agrees with wharf's lock file as written
    const check = await cargo(["build", "--locked", "-q"], app);
    assert.equal(check.status, 0, check.stderr);
  });

  // generated at test time: no key material is committed
  const PRIVATE_KEY = generatePrivateKeyPem();
  const planted: { name: string; files: FileTree; git?: boolean; where: RegExp }[] = [
    {
      name: "secret-aws",
      files: {
        "src/lib.rs": "mod config;\n",
        "src/config.rs":
          '// deployment settings\n\npub const REGION: &str = "eu-west-1";\npub const ACCESS_KEY: &str = "AKIAZ7Q3MXK2PLR5VN4T";\n',
      },
      where: /src\/config\.rs:4:\d+: possible AWS access key ID/,
    },
    {
      name: "secret-id-rsa",
      files: { "src/lib.rs": "pub fn f() {}\n", id_rsa: PRIVATE_KEY },
      where: /id_rsa:1:1: possible private key/,
    },
    {
      name: "secret-dotenv",
      git: true,
      files: {
        "src/lib.rs": "pub fn f() {}\n",
        ".env": "# local settings\nDATABASE_URL=postgres://app:s3cr3tPassw0rd@db.internal:5432/app\n",
      },
      where: /\.env:2:1: environment file/,
    },
    {
      name: "secret-test-token",
      files: {
        "src/lib.rs": "pub fn f() {}\n",
        "tests/api.rs": `#[test]\nfn upload() {\n    let token = "wharf_${"Q7mZ2xK9pL4vR8nT3wY6cB1dF5gH0jS2".repeat(1)}";\n    assert!(!token.is_empty());\n}\n`,
      },
      where: /tests\/api\.rs:3:\d+: possible Wharf registry token/,
    },
  ];
  for (const p of planted) {
    test(`planted secret blocks the publish: ${p.name}`, async () => {
      const dir = project(p.name, { "Cargo.toml": manifest(p.name), ...p.files });
      if (p.git) {
        await git(dir, home.home, ["init", "-q", "-b", "main"]);
        await git(dir, home.home, ["add", "-A"]);
        await git(dir, home.home, ["commit", "-q", "-m", "x"]);
      }
      const r = await wharf(["publish", "--registry", "wharf", "--no-verify"], dir);
      assert.notEqual(r.status, 0);
      assert.match(r.stderr, /pre-publish check\(s\) failed/);
      assert.match(r.stderr, p.where);
      assert.deepEqual(await indexLines(p.name), [], "nothing was published");
    });
  }

  test("a test key under tests/ warns but publishes; wharf.toml can accept a file", async () => {
    const dir = project("test-key", {
      "Cargo.toml": manifest("wharf-test-key"),
      "src/lib.rs": "pub fn f() {}\n",
      "tests/data/server.key": PRIVATE_KEY,
      "certs/dev.pem": PRIVATE_KEY,
      "wharf.toml": '[publish]\nallow-secrets = ["certs/dev.pem"]\n',
    });
    const dry = await wharf(["publish", "--registry", "wharf", "--no-verify", "--dry-run"], dir);
    assert.equal(dry.status, 0, dry.stderr);
    assert.match(dry.stderr, /warning: secrets: tests\/data\/server\.key:1:1: .*test data/);
    assert.match(dry.stderr, /aborting upload due to dry run/);
    assert.deepEqual(await indexLines("wharf-test-key"), []);
  });

  test("missing metadata, an invalid license and a path-only dependency are listed together", async () => {
    const dir = project("bad-meta", {
      "Cargo.toml":
        '[package]\nname = "bad-meta"\nversion = "0.1.0"\nedition = "2021"\nlicense = "MIT AND NOT-A-LICENSE"\n\n[dependencies]\nlocal = { path = "local" }\nstar = { package = "itoa", version = "*" }\n',
      "src/lib.rs": "",
      "local/Cargo.toml": '[package]\nname = "local"\nversion = "0.1.0"\n',
      "local/src/lib.rs": "",
    });
    const r = await wharf(["publish", "--registry", "wharf", "--no-verify", "--dry-run"], dir);
    assert.notEqual(r.status, 0);
    for (const code of [
      "missing-description",
      "invalid-license",
      "path-only-dependency",
      "wildcard-dependency",
    ]) {
      assert.match(r.stderr, new RegExp(`\\[${code}\\]`), code);
    }
  });

  test("yank and yank --undo", async () => {
    const y = await wharf(["yank", "--registry", "wharf", "wharf-clean-lib@0.1.0"], home.root);
    assert.equal(y.status, 0, y.stderr);
    assert.deepEqual(await indexLines("wharf-clean-lib"), [expectLine("0.1.0", true)]);
    const u = await wharf(
      ["yank", "--registry", "wharf", "--undo", "--vers", "0.1.0", "wharf-clean-lib"],
      home.root,
    );
    assert.equal(u.status, 0, u.stderr);
    assert.deepEqual(await indexLines("wharf-clean-lib"), [expectLine("0.1.0", false)]);
  });

  test("owner --add, --list, --remove", async () => {
    await registry.addUser("bob");
    const add = await wharf(["owner", "--registry", "wharf", "--add", "bob", "wharf-clean-lib"], home.root);
    assert.equal(add.status, 0, add.stderr);
    const list = await wharf(["owner", "--registry", "wharf", "--list", "wharf-clean-lib"], home.root);
    assert.equal(list.status, 0, list.stderr);
    assert.match(list.stdout, /^alice/m);
    assert.match(list.stdout, /^bob/m);
    const rm = await wharf(["owner", "--registry", "wharf", "--remove", "bob", "wharf-clean-lib"], home.root);
    assert.equal(rm.status, 0, rm.stderr);
    const again = await wharf(["owner", "--registry", "wharf", "--list", "wharf-clean-lib"], home.root);
    assert.doesNotMatch(again.stdout, /^bob/m);
  });

  test("search prints what cargo search prints", async () => {
    for (const q of ["itoa", "serde", "wharf-clean"]) {
      const [c, w] = [
        await cargo(["search", "--registry", "wharf", q], home.root),
        await wharf(["search", "--registry", "wharf", q], home.root),
      ];
      assert.equal(w.status, c.status, w.stderr);
      assert.equal(w.stdout, c.stdout, `search ${q}`);
    }
  });

  test("a rejected token is never printed, nor is any token in any output", async () => {
    const { token: weak } = await registry.addUser("carol", { scopes: ["yank"] });
    const dir = project("weak", { "Cargo.toml": manifest("wharf-weak"), "src/lib.rs": "" });
    const r = await runAsync(process.execPath, [WHARF_BIN, "publish", "--registry", "wharf", "--no-verify"], {
      cwd: dir,
      env: env({ WHARF_REGISTRIES_WHARF_TOKEN: weak }),
      timeoutMs: 300_000,
    });
    outputs.push(r.stdout, r.stderr);
    assert.notEqual(r.status, 0);
    assert.doesNotMatch(r.stderr, new RegExp(weak));
    const bad = await runAsync(
      process.execPath,
      [WHARF_BIN, "yank", "--registry", "wharf", "wharf-clean-lib@0.1.0"],
      {
        cwd: dir,
        env: env({ WHARF_REGISTRIES_WHARF_TOKEN: "wharf_thisTokenDoesNotExistAnywhere0123456789" }),
        timeoutMs: 300_000,
      },
    );
    outputs.push(bad.stdout, bad.stderr);
    assert.notEqual(bad.status, 0);
    assert.doesNotMatch(bad.stderr, /thisTokenDoesNotExistAnywhere/);
    for (const text of outputs) {
      assert.ok(!text.includes(token), "the login token appeared in an output");
      assert.ok(!text.includes(weak), "a token appeared in an output");
    }
    const logout = await wharf(["logout", "--registry", "wharf"], home.root);
    assert.equal(logout.status, 0, logout.stderr);
    assert.doesNotMatch(readFileSync(join(home.wharfHome, "credentials.toml"), "utf8"), /token/);
  });
});

function expectLine(vers: string, yanked: boolean): { vers: string; yanked: boolean } {
  return { vers, yanked };
}
