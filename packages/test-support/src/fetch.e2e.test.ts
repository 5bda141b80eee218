/**
 * `wharf fetch` against a real Wharf registry holding the corpus: every package a Cargo.lock
 * names (one made by real cargo, too) is downloaded, verified and extracted; a second run is
 * served from the cache; a lockfile whose checksum does not match the registry's crate is
 * refused with a message naming the crate, and nothing unverified enters the cache. With
 * --offline, what the cache holds is enough to resolve and fetch again, and an empty cache
 * fails with an error that says the network is off.
 */
import assert from "node:assert/strict";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { CargoRegistryClient } from "./cargo-client.js";
import { startCorpusRegistry } from "./corpus-registry.js";
import { writeTree } from "./project.js";
import { makeTempHome, type RunResult, WHARF_BIN } from "./run.js";
import { runAsync } from "./run-async.js";
import type { TestRegistry } from "./test-registry.js";

const home = makeTempHome("wharf-fetch-e2e-");
let registry: TestRegistry;
let client: CargoRegistryClient;
const app = join(home.root, "app");

before(async () => {
  ({ registry, client } = await startCorpusRegistry(home));
  writeTree(app, {
    "Cargo.toml": `[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n[dependencies]\nserde = { version = "1", features = ["derive"] }\nregex = "1"\nanyhow = "1"\n`,
    "src/main.rs": "fn main() {}\n",
  });
});
after(async () => {
  await registry?.close();
  home.cleanup();
});

function wharf(args: string[], cwd: string, wharfHome = home.wharfHome): Promise<RunResult> {
  return runAsync(process.execPath, [WHARF_BIN, ...args], {
    cwd,
    env: { ...client.env, WHARF_HOME: wharfHome },
    timeoutMs: 300_000,
  });
}

function lockedRegistryPackages(lock: string): number {
  return (lock.match(/^source = "registry\+/gm) ?? []).length;
}

describe("wharf fetch", () => {
  test("downloads and verifies every locked package, then serves them from the cache", async () => {
    const gen = await wharf(["generate-lockfile"], app);
    assert.equal(gen.status, 0, gen.stderr);
    const n = lockedRegistryPackages(readFileSync(join(app, "Cargo.lock"), "utf8"));
    assert.ok(n >= 8, `a real graph (${n} packages)`);
    const first = await wharf(["fetch"], app);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stderr, new RegExp(`Downloaded ${n} crates`));
    const second = await wharf(["fetch"], app);
    assert.equal(second.status, 0, second.stderr);
    assert.doesNotMatch(second.stderr, /Downloaded/);
  });

  test("fetches from a Cargo.lock that real cargo wrote", async () => {
    const cargoApp = join(home.root, "cargo-app");
    cpSync(app, cargoApp, { recursive: true });
    const gen = await runAsync("cargo", ["generate-lockfile"], {
      cwd: cargoApp,
      env: client.env,
      timeoutMs: 300_000,
    });
    assert.equal(gen.status, 0, gen.stderr);
    const r = await wharf(["fetch"], cargoApp, join(home.root, "fresh-wharf-home"));
    assert.equal(r.status, 0, r.stderr);
  });

  test("a lockfile checksum that does not match the registry's crate is refused", async () => {
    const bad = join(home.root, "bad-app");
    cpSync(app, bad, { recursive: true });
    const lock = readFileSync(join(bad, "Cargo.lock"), "utf8");
    const m = /name = "(anyhow)"\nversion = "([^"]+)"\nsource = "[^"]+"\nchecksum = "([0-9a-f]{64})"/.exec(
      lock,
    );
    assert.ok(m, "anyhow is locked");
    const flipped = m[3]!.replace(/^./, (c) => (c === "0" ? "1" : "0"));
    writeFileSync(join(bad, "Cargo.lock"), lock.replace(m[3]!, flipped));
    const r = await wharf(["fetch"], bad, join(home.root, "other-wharf-home"));
    assert.equal(r.status, 101);
    assert.match(r.stderr, /checksum for `anyhow v[0-9.]+` changed between lock files/);
    assert.doesNotMatch(r.stderr, /Downloaded/);
  });

  test("--offline works from the cache alone and says so when the cache is not enough", async () => {
    const offline = join(home.root, "offline-app");
    cpSync(app, offline, { recursive: true });
    const before = readFileSync(join(offline, "Cargo.lock"), "utf8");
    const fetched = await wharf(["fetch"], offline);
    assert.equal(fetched.status, 0, fetched.stderr);
    // the registry is still up: only --offline keeps wharf away from it
    const r = await wharf(["--offline", "generate-lockfile"], offline);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(readFileSync(join(offline, "Cargo.lock"), "utf8"), before);
    const again = await wharf(["--offline", "fetch"], offline);
    assert.equal(again.status, 0, again.stderr);
    const empty = await wharf(
      ["--offline", "generate-lockfile"],
      offline,
      join(home.root, "empty-wharf-home"),
    );
    assert.equal(empty.status, 101);
    assert.match(empty.stderr, /offline/);
  });

  test("--locked refuses to change Cargo.lock and names it", async () => {
    const locked = join(home.root, "locked-app");
    cpSync(app, locked, { recursive: true });
    const manifest = readFileSync(join(locked, "Cargo.toml"), "utf8");
    writeFileSync(join(locked, "Cargo.toml"), `${manifest}itoa = "1"\n`);
    const before = readFileSync(join(locked, "Cargo.lock"), "utf8");
    const r = await wharf(["--locked", "fetch"], locked);
    assert.equal(r.status, 101);
    assert.match(r.stderr, /cannot update the lock file .*Cargo\.lock because --locked was passed/);
    assert.equal(readFileSync(join(locked, "Cargo.lock"), "utf8"), before);
  });
});
