/**
 * The verify step of `wharf package` and `wharf publish`, with real cargo as the oracle on the
 * same fixtures (both verify, or both refuse), against a Wharf registry holding the corpus:
 * a good crate (a registry dependency, a build script writing to OUT_DIR) verifies, unpacked
 * and built under target/package/<name>-<version>; a crate whose packaged copy does not
 * compile (a module file left out by `exclude`) is refused, the .crate is not kept, and
 * publish stops before the upload; a build script writing into its source directory is
 * refused with the same Added/Changed paths cargo reports; `--no-verify` skips the step.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { CargoRegistryClient } from "./cargo-client.js";
import { startCorpusRegistry } from "./corpus-registry.js";
import { type FileTree, writeTree } from "./project.js";
import { closeHttpAgents, registryRequest } from "./registry-http.js";
import { makeTempHome, type RunResult, WHARF_BIN } from "./run.js";
import { runAsync } from "./run-async.js";
import { ALL_SCOPES, type TestRegistry } from "./test-registry.js";

const home = makeTempHome("wharf-package-verify-");
let registry: TestRegistry;
let client: CargoRegistryClient;

const env = () => ({ ...client.env, WHARF_HOME: home.wharfHome });

function wharf(args: string[], cwd: string): Promise<RunResult> {
  return runAsync(process.execPath, [WHARF_BIN, ...args], { cwd, env: env(), timeoutMs: 600_000 });
}

function cargo(args: string[], cwd: string): Promise<RunResult> {
  return runAsync("cargo", args, { cwd, env: env(), timeoutMs: 600_000 });
}

/** `wharf login` reads the token from stdin, which runAsync closes. */
function login(token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WHARF_BIN, "login", "--registry", "wharf"], {
      cwd: home.root,
      env: env(),
      stdio: ["pipe", "ignore", "ignore"],
    });
    child.on("error", reject);
    child.on("close", (code) => resolve(code ?? -1));
    child.stdin.end(`${token}\n`);
  });
}

const manifest = (name: string, extra = "") =>
  `[package]\nname = "${name}"\nversion = "0.1.0"\nedition = "2021"\ndescription = "fixture ${name}"\nlicense = "MIT OR Apache-2.0"\n${extra}`;

const FIXTURES: Record<string, FileTree> = {
  "verify-good": {
    "Cargo.toml": manifest("verify-good", '\n[dependencies]\nitoa = "1"\n'),
    "build.rs":
      'fn main() {\n    let out = std::env::var("OUT_DIR").unwrap();\n    std::fs::write(format!("{out}/answer.rs"), "pub const ANSWER: u64 = 42;\\n").unwrap();\n}\n',
    "src/lib.rs":
      'include!(concat!(env!("OUT_DIR"), "/answer.rs"));\npub fn show() -> String { itoa::Buffer::new().format(ANSWER).to_string() }\n',
    "src/main.rs": 'fn main() { println!("{}", verify_good::show()); }\n',
  },
  "verify-excluded": {
    "Cargo.toml": manifest("verify-excluded", 'exclude = ["src/extra.rs"]\n'),
    "src/lib.rs": "mod extra;\npub fn f() -> u32 { extra::g() }\n",
    "src/extra.rs": "pub fn g() -> u32 { 1 }\n",
  },
  "verify-writes-src": {
    "Cargo.toml": manifest("verify-writes-src"),
    "build.rs":
      'fn main() {\n    std::fs::write("src/generated.rs", "pub const X: u8 = 1;\\n").unwrap();\n    std::fs::write("README.md", "rewritten\\n").unwrap();\n}\n',
    "src/lib.rs": "pub fn f() {}\n",
    "README.md": "# verify-writes-src\n",
  },
};

/** Writes a fixture afresh (so both tools see the same paths) and packages it. */
async function packageWith(
  tool: "cargo" | "wharf",
  name: string,
  extra: string[] = [],
): Promise<{ dir: string; r: RunResult }> {
  const dir = join(home.root, "projects", name);
  rmSync(dir, { recursive: true, force: true });
  writeTree(dir, FIXTURES[name]!);
  const args = ["package", "--allow-dirty", ...extra];
  const r = tool === "cargo" ? await cargo(args, dir) : await wharf(args, dir);
  return { dir, r };
}

const crateFile = (dir: string, name: string) => join(dir, "target", "package", `${name}-0.1.0.crate`);

/** the `Changed:`/`Added:`/`Removed:` block of the modified-sources error, paths one a line */
function changeLines(stderr: string): string[] {
  const lines = stderr.split("\n").map((l) => l.trim());
  const start = lines.findIndex((l) => /^(Changed|Added|Removed): /.test(l));
  if (start < 0) return [];
  const out: string[] = [];
  for (const l of lines.slice(start)) {
    if (l === "") break;
    out.push(l);
  }
  return out;
}

before(async () => {
  ({ registry, client } = await startCorpusRegistry(home));
});
after(async () => {
  await closeHttpAgents();
  await registry?.close();
  home.cleanup();
});

describe("the verify step of wharf package and publish", () => {
  test("a good crate verifies with both tools, built from target/package/<name>-<version>", async () => {
    const c = await packageWith("cargo", "verify-good");
    assert.equal(c.r.status, 0, c.r.stderr);
    const { dir, r } = await packageWith("wharf", "verify-good");
    assert.equal(r.status, 0, r.stderr);
    const unpacked = join(dir, "target", "package", "verify-good-0.1.0");
    assert.match(r.stderr, new RegExp(`Verifying verify-good v0\\.1\\.0 \\(${dir}\\)\n`));
    assert.ok(r.stderr.includes(`Compiling verify-good v0.1.0 (${unpacked})\n`), r.stderr);
    assert.match(r.stderr, /Compiling itoa v1\./);
    assert.match(r.stderr, /Finished `dev` profile \[unoptimized \+ debuginfo\] target\(s\) in /);
    assert.ok(existsSync(crateFile(dir, "verify-good")));
    // the packaged copy stays, as cargo leaves it, with no file added by the build
    assert.ok(existsSync(join(unpacked, "Cargo.lock")));
    assert.ok(!existsSync(join(unpacked, "target")));
    // the dependencies were built in the workspace's own target dir, where a later build reuses them
    const rebuilt = await wharf(["build"], dir);
    assert.equal(rebuilt.status, 0, rebuilt.stderr);
    assert.doesNotMatch(rebuilt.stderr, /Compiling itoa/);
  });

  test("a crate whose packaged copy does not compile is refused by both tools; the .crate is not kept", async () => {
    const c = await packageWith("cargo", "verify-excluded");
    assert.notEqual(c.r.status, 0);
    assert.match(c.r.stderr, /failed to verify package tarball/);
    const { dir, r } = await packageWith("wharf", "verify-excluded");
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /error\[E0583\]: file not found for module `extra`/);
    assert.match(r.stderr, /error: failed to verify package tarball/);
    assert.match(r.stderr, /could not compile `verify-excluded` \(lib\) due to 1 previous error/);
    assert.equal(existsSync(crateFile(dir, "verify-excluded")), false);
    assert.equal(existsSync(crateFile(c.dir, "verify-excluded")), false);
  });

  test("--no-verify packages the same crate with both tools", async () => {
    const c = await packageWith("cargo", "verify-excluded", ["--no-verify"]);
    assert.equal(c.r.status, 0, c.r.stderr);
    const { dir, r } = await packageWith("wharf", "verify-excluded", ["--no-verify"]);
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /Verifying|Compiling/);
    assert.ok(existsSync(crateFile(dir, "verify-excluded")));
  });

  test("a build script writing into its source directory is refused, naming what cargo names", async () => {
    const c = await packageWith("cargo", "verify-writes-src");
    assert.notEqual(c.r.status, 0);
    const expected = changeLines(c.r.stderr);
    assert.deepEqual(
      expected.map((l) => l.replace(/^(Changed|Added|Removed): /, "$1 ")),
      [
        `Changed ${c.dir}/target/package/verify-writes-src-0.1.0/README.md`,
        `Added ${c.dir}/target/package/verify-writes-src-0.1.0/src/generated.rs`,
      ],
      c.r.stderr,
    );
    // with the sandbox off (trusted WHARF_HOME config), wharf finds the changes as cargo does
    const trusted = join(home.root, "unsandboxed-wharf-home");
    mkdirSync(trusted, { recursive: true });
    writeFileSync(join(trusted, "config.toml"), "[sandbox]\nenabled = false\n");
    const dir = join(home.root, "projects", "verify-writes-src");
    rmSync(dir, { recursive: true, force: true });
    writeTree(dir, FIXTURES["verify-writes-src"]!);
    const r = await runAsync(process.execPath, [WHARF_BIN, "package", "--allow-dirty"], {
      cwd: dir,
      env: { ...env(), WHARF_HOME: trusted },
      timeoutMs: 600_000,
    });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /failed to verify package tarball/);
    assert.match(r.stderr, /Source directory was modified by build\.rs/);
    assert.match(r.stderr, /pass the `--no-verify` flag/);
    assert.equal(dir, c.dir);
    assert.deepEqual(changeLines(r.stderr), expected);
    assert.equal(existsSync(crateFile(dir, "verify-writes-src")), false);
  });

  test("under the default sandbox the same build script cannot write into its sources at all", async () => {
    const { dir, r } = await packageWith("wharf", "verify-writes-src");
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /failed to verify package tarball/);
    assert.match(r.stderr, /may write only into .*no policy line allows writes elsewhere/s);
    const unpacked = join(dir, "target", "package", "verify-writes-src-0.1.0");
    assert.equal(existsSync(join(unpacked, "src", "generated.rs")), false);
    assert.equal(existsSync(crateFile(dir, "verify-writes-src")), false);
  });

  test("publish verifies: a failing crate is refused before the upload, a good one publishes", async () => {
    const { token } = await registry.addUser("verifier", { scopes: ALL_SCOPES });
    assert.equal(await login(token), 0);
    const dir = join(home.root, "projects", "verify-excluded");
    rmSync(dir, { recursive: true, force: true });
    writeTree(dir, FIXTURES["verify-excluded"]!);
    const refused = await wharf(["publish", "--registry", "wharf", "--allow-dirty"], dir);
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /failed to verify package tarball/);
    assert.doesNotMatch(refused.stderr, /Uploading/);
    const index = await registryRequest(registry, "GET", "/index/ve/ri/verify-excluded");
    assert.equal(index.status, 404);

    const good = join(home.root, "projects", "verify-good");
    rmSync(good, { recursive: true, force: true });
    writeTree(good, FIXTURES["verify-good"]!);
    const published = await wharf(["publish", "--registry", "wharf", "--allow-dirty"], good);
    assert.equal(published.status, 0, published.stderr);
    assert.match(published.stderr, /Verifying verify-good v0\.1\.0/);
    assert.match(published.stderr, /Published verify-good v0\.1\.0 at registry `wharf`/);
    assert.ok(!published.stderr.includes(token));
  });
});
