/**
 * The Debian crate corpus through the registry: `importCrates` (the code behind
 * `wharf registry import`) loads every crate with nothing refused; real cargo, with
 * crates-io replaced by the Wharf registry, resolves, builds and runs a project with many
 * real dependencies; and .crate files exported from one registry and imported into a
 * fresh one keep their bytes, so a Cargo.lock made against the first stays valid.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { importCrates } from "@wharf/registry";
import { cargoRegistryEnv } from "./cargo-client.js";
import { writeTree } from "./project.js";
import { makeTempHome, type RunResult } from "./run.js";
import { runAsync } from "./run-async.js";
import { startTestRegistry, type TestRegistry } from "./test-registry.js";

const CORPUS = "/usr/share/cargo/registry";
const home = makeTempHome("wharf-corpus-e2e-");
let first: TestRegistry;
let second: TestRegistry | undefined;

before(async () => {
  assert.ok(existsSync(CORPUS), `${CORPUS} is missing: run scripts/setup.sh to install the crate corpus`);
  first = await startTestRegistry({ dir: join(home.root, "first") });
});
after(async () => {
  await first?.close();
  await second?.close();
  home.cleanup();
});

function clientFor(registry: TestRegistry, name: string) {
  return cargoRegistryEnv({
    home: join(home.root, `client-${name}`),
    caCertPath: registry.pki.ca.caCertPath,
    registryName: "wharf",
    indexUrl: registry.indexUrl,
    replaceCratesIo: true,
  });
}

async function mustCargo(args: string[], cwd: string, env: Record<string, string>): Promise<RunResult> {
  const r = await runAsync("cargo", args, { cwd, env, timeoutMs: 900_000 });
  assert.equal(r.status, 0, `cargo ${args.join(" ")} failed:\n${r.stderr.slice(-3000)}`);
  return r;
}

const APP_DEPS = `
serde = { version = "1", features = ["derive"] }
serde_json = "1"
regex = "1"
anyhow = "1"
thiserror = "1"
rand = { version = "0.8", features = ["small_rng"] }
clap = { version = "4", features = ["derive"] }
itertools = "0.10"
sha2 = "0.10"
hex = "0.4"
semver = "1"
once_cell = "1"
`;

const APP_MAIN = `use clap::Parser;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use sha2::Digest;

#[derive(Parser)]
struct Args { #[arg(long, default_value_t = 3)] count: u32 }

#[derive(Serialize, Deserialize, Debug, PartialEq)]
struct Point { x: i64, label: String }

#[derive(thiserror::Error, Debug)]
#[error("bad input: {0}")]
struct BadInput(String);

static WORD: once_cell::sync::Lazy<regex::Regex> = once_cell::sync::Lazy::new(|| regex::Regex::new(r"[a-z]+").unwrap());

fn main() -> anyhow::Result<()> {
    let args = Args::parse_from(["app", "--count", "4"]);
    let mut rng = rand::rngs::SmallRng::seed_from_u64(42);
    let nums: Vec<u32> = (0..args.count).map(|_| rng.gen_range(0..100)).collect();
    let p = Point { x: 7, label: "seven".into() };
    let json = serde_json::to_string(&p)?;
    let back: Point = serde_json::from_str(&json)?;
    assert_eq!(back, p);
    let words = itertools::Itertools::join(&mut WORD.find_iter("hello, wharf world").map(|m| m.as_str()), "+");
    let digest = hex::encode(sha2::Sha256::digest(b"wharf"));
    let v = semver::Version::parse("1.2.3")?;
    let err = BadInput("x".into());
    println!("{} {} {} {} {} {}", nums.len(), json, words, &digest[..8], v.major, err);
    Ok(())
}
`;

describe("the Debian corpus served by a Wharf registry", () => {
  test("importCrates loads every corpus crate with nothing refused", async () => {
    const report = await importCrates({ data: first.running.data, paths: [CORPUS], now: () => new Date() });
    const refused = report.outcomes.filter((o) => o.result === "refused");
    assert.deepEqual(refused, [], "refused crates");
    const imported = report.outcomes.filter((o) => o.result === "imported").length;
    assert.ok(imported >= 150, `expected the whole corpus, imported ${imported}`);
  });

  const appDir = join(home.root, "app");
  test("real cargo resolves, builds and runs a project with many real dependencies from it", async () => {
    const client = clientFor(first, "first");
    writeTree(appDir, {
      "Cargo.toml": `[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n[dependencies]${APP_DEPS}`,
      "src/main.rs": APP_MAIN,
    });
    const r = await mustCargo(["run", "-q"], appDir, client.env);
    const [count, json, words, digest, major, err] = r.stdout.trim().split(" ");
    assert.equal(count, "4");
    assert.equal(json, '{"x":7,"label":"seven"}');
    assert.equal(words, "hello+wharf+world");
    // sha256("wharf") computed independently of the program under test
    const { createHash } = await import("node:crypto");
    assert.equal(digest, createHash("sha256").update("wharf").digest("hex").slice(0, 8));
    assert.equal(major, "1");
    assert.ok(r.stdout.includes("bad input: x"), r.stdout);
    assert.ok(err !== undefined);
    const lock = readFileSync(join(appDir, "Cargo.lock"), "utf8");
    assert.ok((lock.match(/^\[\[package\]\]$/gm) ?? []).length >= 30, "a real dependency graph");
  });

  test("a Cargo.lock made against exported .crate files stays valid after importing them into a fresh registry", async () => {
    // export every .crate of the first registry, byte for byte, as a directory of .crate files
    const exportDir = join(home.root, "exported");
    mkdirSync(exportDir, { recursive: true });
    const lock = readFileSync(join(appDir, "Cargo.lock"), "utf8");
    const locked = [
      ...lock.matchAll(
        /name = "([^"]+)"\nversion = "([^"]+)"\nsource = "registry\+[^"]+"\nchecksum = "([0-9a-f]{64})"/g,
      ),
    ];
    assert.ok(locked.length >= 30);
    for (const [, name, version] of locked) {
      const v = await first.running.data.store.getVersion(name!, version!);
      assert.ok(v, `${name}@${version} in the first registry`);
      const bytes = await first.running.data.blobs.get(v.blobHash);
      assert.ok(bytes, `blob of ${name}@${version}`);
      writeFileSync(join(exportDir, `${name}-${version}.crate`), bytes);
    }
    second = await startTestRegistry({ dir: join(home.root, "second") });
    const report = await importCrates({
      data: second.running.data,
      paths: [exportDir],
      now: () => new Date(),
    });
    assert.deepEqual(
      report.outcomes.filter((o) => o.result !== "imported"),
      [],
    );
    for (const [, name, version, checksum] of locked) {
      assert.equal(
        (await second.running.data.store.getVersion(name!, version!))?.cksum,
        checksum,
        `${name}@${version} checksum`,
      );
    }
    // the same lockfile, a fresh CARGO_HOME pointed at the second registry: --locked fetch must pass
    const client = clientFor(second, "second");
    rmSync(join(appDir, "target"), { recursive: true, force: true });
    await mustCargo(["fetch", "--locked"], appDir, client.env);
    assert.equal(readFileSync(join(appDir, "Cargo.lock"), "utf8"), lock, "the lockfile must not change");
  });
});
