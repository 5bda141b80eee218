/**
 * The real cargo 1.95 as a client of a real Wharf registry over HTTPS with a test CA:
 * publishing crates with renamed, optional (dep:), target-specific and build dependencies,
 * building and running a project that uses them, yank and unyank changing what a fresh
 * lockfile picks, owners, and search.
 */
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type CargoRegistryClient, cargoRegistryEnv } from "./cargo-client.js";
import { writeTree } from "./project.js";
import { makeTempHome, type RunResult } from "./run.js";
import { runAsync } from "./run-async.js";
import { startTestRegistry, type TestRegistry } from "./test-registry.js";

const home = makeTempHome("wharf-registry-e2e-");
let registry: TestRegistry;
let client: CargoRegistryClient;

// async: the registry runs in this process, so a blocking spawn would starve it
function cargo(args: string[], cwd: string): Promise<RunResult> {
  return runAsync("cargo", args, { cwd, env: client.env, timeoutMs: 300_000 });
}

async function mustCargo(args: string[], cwd: string): Promise<RunResult> {
  const r = await cargo(args, cwd);
  assert.equal(r.status, 0, `cargo ${args.join(" ")} failed:\n${r.stderr}`);
  return r;
}

function crate(dir: string, files: Record<string, string>): string {
  const root = join(home.root, "crates", dir);
  writeTree(root, files);
  return root;
}

const pkg = (name: string, version: string, extra = "") =>
  `[package]\nname = "${name}"\nversion = "${version}"\nedition = "2021"\ndescription = "fixture ${name}"\nlicense = "MIT"\n${extra}`;

function lockedVersion(projectDir: string, name: string): string | undefined {
  const lock = readFileSync(join(projectDir, "Cargo.lock"), "utf8");
  const m = new RegExp(`name = "${name}"\\nversion = "([^"]+)"`).exec(lock);
  return m?.[1];
}

before(async () => {
  registry = await startTestRegistry({ dir: join(home.root, "registry") });
  client = cargoRegistryEnv({
    home,
    caCertPath: registry.pki.ca.caCertPath,
    registryName: "wharf",
    indexUrl: registry.indexUrl,
    token: registry.adminToken,
  });
});
after(async () => {
  await registry?.close();
  home.cleanup();
});

describe("real cargo against a Wharf registry over HTTPS", () => {
  test("cargo publish: a plain library", async () => {
    const dir = crate("wf-base-1.0.0", {
      "Cargo.toml": pkg("wf-base", "1.0.0", "[features]\nextra = []\n"),
      "src/lib.rs":
        'pub fn base() -> &\'static str { if cfg!(feature = "extra") { "base+extra" } else { "base" } }\n',
    });
    const r = await mustCargo(["publish", "--registry", "wharf", "--allow-dirty"], dir);
    assert.match(r.stderr, /Published wf-base v1\.0\.0/);
  });

  test("cargo publish: a crate with a build script and `links`", async () => {
    const dir = crate("wf-helper", {
      "Cargo.toml": pkg("wf-helper", "0.2.0", 'links = "wfhelper"\n'),
      "build.rs":
        'fn main() { println!("cargo::rustc-env=WF_HELPER_BUILT=yes"); println!("cargo::metadata=flavour=mint"); }\n',
      "src/lib.rs": 'pub fn helper() -> &\'static str { env!("WF_HELPER_BUILT") }\n',
    });
    await mustCargo(["publish", "--registry", "wharf", "--allow-dirty"], dir);
  });

  test("cargo publish: a leaf crate", async () => {
    const dir = crate("wf-leaf", {
      "Cargo.toml": pkg("wf-leaf", "0.1.0"),
      "src/lib.rs": 'pub fn leaf() -> &\'static str { "leaf" }\n',
    });
    await mustCargo(["publish", "--registry", "wharf", "--allow-dirty"], dir);
  });

  test("cargo publish: renamed, optional (dep:), target-specific and build dependencies", async () => {
    const dir = crate("wf-mid", {
      "Cargo.toml": pkg(
        "wf-mid",
        "1.0.0",
        `
[dependencies]
base_renamed = { package = "wf-base", version = "1", registry = "wharf", features = ["extra"] }
wf-helper = { version = "0.2", registry = "wharf", optional = true }

[target.'cfg(unix)'.dependencies]
wf-leaf = { version = "0.1", registry = "wharf" }

[build-dependencies]
wf-leaf = { version = "0.1.0", registry = "wharf" }

[features]
default = ["helper"]
helper = ["dep:wf-helper"]
`,
      ),
      "build.rs": 'fn main() { println!("cargo::rustc-env=WF_MID_BUILD={}", wf_leaf::leaf()); }\n',
      "src/lib.rs": `pub fn describe() -> String {
    let helper = { #[cfg(feature = "helper")] { wf_helper::helper() } #[cfg(not(feature = "helper"))] { "none" } };
    format!("mid({}, unix={}, build={}, helper={})", base_renamed::base(), wf_leaf::leaf(), env!("WF_MID_BUILD"), helper)
}
`,
    });
    await mustCargo(["publish", "--registry", "wharf", "--allow-dirty"], dir);
  });

  const appDir = join(home.root, "app");
  test("a project depending on them builds and runs", async () => {
    writeTree(appDir, {
      "Cargo.toml": `[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\npublish = false\n[dependencies]\nwf-mid = { version = "1", registry = "wharf" }\nwf-base = { version = "1", registry = "wharf" }\n`,
      "src/main.rs": 'fn main() { println!("{}", wf_mid::describe()); }\n',
    });
    const r = await mustCargo(["run", "-q"], appDir);
    // features unify: wf-mid enables `extra` on wf-base for everyone in this build
    assert.equal(r.stdout.trim(), "mid(base+extra, unix=leaf, build=leaf, helper=yes)");
  });

  test("yank and unyank change what a fresh lockfile picks", async () => {
    const dir = crate("wf-base-1.1.0", {
      "Cargo.toml": pkg("wf-base", "1.1.0", "[features]\nextra = []\n"),
      "src/lib.rs": 'pub fn base() -> &\'static str { "base 1.1" }\n',
    });
    await mustCargo(["publish", "--registry", "wharf", "--allow-dirty", "--no-verify"], dir);
    const fresh = async () => {
      rmSync(join(appDir, "Cargo.lock"), { force: true });
      await mustCargo(["generate-lockfile"], appDir);
      return lockedVersion(appDir, "wf-base");
    };
    assert.equal(await fresh(), "1.1.0");
    await mustCargo(["yank", "--registry", "wharf", "wf-base@1.1.0"], appDir);
    assert.equal(await fresh(), "1.0.0");
    await mustCargo(["yank", "--registry", "wharf", "--undo", "wf-base@1.1.0"], appDir);
    assert.equal(await fresh(), "1.1.0");
  });

  test("cargo owner --add, --list and --remove", async () => {
    await registry.addUser("bob");
    await mustCargo(["owner", "--registry", "wharf", "--add", "bob", "wf-base"], appDir);
    const listed = await mustCargo(["owner", "--registry", "wharf", "--list", "wf-base"], appDir);
    assert.match(listed.stdout, /^admin\b/m);
    assert.match(listed.stdout, /^bob\b/m);
    await mustCargo(["owner", "--registry", "wharf", "--remove", "bob", "wf-base"], appDir);
    const after = await mustCargo(["owner", "--registry", "wharf", "--list", "wf-base"], appDir);
    assert.doesNotMatch(after.stdout, /^bob\b/m);
  });

  test("cargo search finds published crates", async () => {
    const r = await mustCargo(["search", "--registry", "wharf", "wf-"], appDir);
    assert.match(r.stdout, /^wf-base = "1\.1\.0"/m);
    assert.match(r.stdout, /^wf-mid = "1\.0\.0"/m);
  });

  test("publishing the same version twice is refused with cargo's error display", async () => {
    const dir = join(home.root, "crates", "wf-base-1.0.0");
    const r = await cargo(["publish", "--registry", "wharf", "--allow-dirty", "--no-verify"], dir);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /already (uploaded|exists)/);
    mkdirSync(join(home.root, "unused"), { recursive: true });
  });
});
