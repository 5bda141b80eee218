/**
 * `wharf fetch` against a real Wharf registry holding the corpus: every package a Cargo.lock
 * names (one made by real cargo, too) is downloaded, verified and extracted; a second run is
 * served from the cache; a lockfile whose checksum does not match the registry's crate is
 * refused with a message naming the crate, and nothing unverified enters the cache.
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
});
