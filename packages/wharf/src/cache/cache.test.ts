import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { chmod, mkdtemp, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { sha256Hex, WharfError, writeCrateArchive } from "@wharf/protocol";
import { WharfCache } from "./wharf-cache.js";

const enc = new TextEncoder();
let home: string;

before(async () => {
  home = await mkdtemp(join(tmpdir(), "wharf-cache-test-"));
});
after(async () => {
  const { removeTree } = await import("./remove-tree.js");
  await removeTree(home);
});

function sampleCrate(name = "demo", version = "1.0.0") {
  const bytes = writeCrateArchive(name, version, [
    { path: "Cargo.toml", bytes: enc.encode(`[package]\nname = "${name}"\nversion = "${version}"\n`) },
    { path: "src/lib.rs", bytes: enc.encode("pub fn f() {}\n") },
    { path: "build.sh", bytes: enc.encode("#!/bin/sh\n"), executable: true },
  ]);
  return { name, version, bytes, sha256: sha256Hex(bytes) };
}

describe("WharfCache", () => {
  it("creates private directories", async () => {
    const cache = await new WharfCache({ wharfHome: join(home, "a") }).init();
    for (const dir of [cache.paths.root, cache.paths.crates, cache.paths.src, cache.paths.index]) {
      assert.equal((await stat(dir)).mode & 0o777, 0o700, dir);
    }
  });

  it("stores .crate files by sha256 and refuses bytes that do not match", async () => {
    const cache = await new WharfCache({ wharfHome: join(home, "b") }).init();
    const c = sampleCrate();
    const path = await cache.crates.put(c.bytes, c.sha256);
    assert.ok(path.endsWith(`crates/${c.sha256.slice(0, 2)}/${c.sha256.slice(2, 4)}/${c.sha256}.crate`));
    assert.equal(Buffer.compare(Buffer.from((await cache.crates.read(c.sha256))!), Buffer.from(c.bytes)), 0);
    await assert.rejects(cache.crates.put(c.bytes, "0".repeat(64)), { code: "CRATE_CHECKSUM_MISMATCH" });
  });

  it("detects a flipped byte in a cached .crate and removes it", async () => {
    const cache = await new WharfCache({ wharfHome: join(home, "c") }).init();
    const c = sampleCrate();
    const path = await cache.crates.put(c.bytes, c.sha256);
    const bytes = await readFile(path);
    bytes[bytes.length - 10] = (bytes[bytes.length - 10] ?? 0) ^ 1;
    await chmod(path, 0o600);
    await writeFile(path, bytes);
    await assert.rejects(cache.crates.read(c.sha256), { code: "CACHE_CRATE_CORRUPT" });
    assert.equal(await cache.crates.has(c.sha256), false);
  });

  it("extracts read-only sources and re-extracts a tree edited behind its back", async () => {
    const cache = await new WharfCache({ wharfHome: join(home, "d") }).init();
    const c = sampleCrate();
    await cache.crates.put(c.bytes, c.sha256);
    const ref = { name: c.name, version: c.version, sha256: c.sha256 };
    const extracted = await cache.extractCrate(ref);
    assert.equal((await stat(join(extracted.dir, "src/lib.rs"))).mode & 0o777, 0o444);
    assert.equal((await stat(join(extracted.dir, "build.sh"))).mode & 0o777, 0o555);
    assert.equal((await stat(join(extracted.dir, "src"))).mode & 0o777, 0o555);
    assert.equal((await stat(extracted.dir)).mode & 0o777, 0o555);

    const file = join(extracted.dir, "src/lib.rs");
    const before = await stat(file);
    await chmod(join(extracted.dir, "src"), 0o755);
    await chmod(file, 0o644);
    await writeFile(file, "pub fn g() {}\n"); // same length
    await chmod(file, 0o444);
    await chmod(join(extracted.dir, "src"), 0o555);
    await utimes(file, before.atime, before.mtime);

    const fresh = new WharfCache({ wharfHome: join(home, "d") }); // a new process
    const verified = await fresh.verifiedSourceDir(ref);
    assert.equal(verified.diagnostics.length, 1);
    assert.match(verified.diagnostics[0]!.message, /demo v1\.0\.0/);
    assert.match(verified.diagnostics[0]!.message, /src\/lib\.rs/);
    assert.equal(await readFile(file, "utf8"), "pub fn f() {}\n");
    const again = await new WharfCache({ wharfHome: join(home, "d") }).verifiedSourceDir(ref);
    assert.deepEqual(again.diagnostics, []);
  });

  it("notices added and removed files", async () => {
    const cache = await new WharfCache({ wharfHome: join(home, "e") }).init();
    const c = sampleCrate();
    await cache.crates.put(c.bytes, c.sha256);
    const ref = { name: c.name, version: c.version, sha256: c.sha256 };
    const { dir } = await cache.extractCrate(ref);
    await chmod(dir, 0o755);
    await writeFile(join(dir, "planted.rs"), "");
    let v = await new WharfCache({ wharfHome: join(home, "e") }).verifiedSourceDir(ref);
    assert.match(v.diagnostics[0]?.message ?? "", /planted\.rs.*was added/);
    await chmod(dir, 0o755);
    await rm(join(dir, "Cargo.toml"));
    v = await new WharfCache({ wharfHome: join(home, "e") }).verifiedSourceDir(ref);
    assert.match(v.diagnostics[0]?.message ?? "", /Cargo\.toml.*is missing/);
  });

  it("refuses to extract a crate that is not in the store", async () => {
    const cache = await new WharfCache({ wharfHome: join(home, "f") }).init();
    await assert.rejects(
      cache.extractCrate({ name: "x", version: "1.0.0", sha256: "a".repeat(64) }),
      (e: unknown) => e instanceof WharfError && e.code === "CACHE_CRATE_MISSING",
    );
  });

  it("keeps index entries with their validators", async () => {
    const cache = await new WharfCache({ wharfHome: join(home, "g") }).init();
    const index = cache.indexCache("sparse+https://127.0.0.1:1234/index/");
    assert.equal(await index.get("serde"), undefined);
    await index.put("serde", { body: "{}\n", etag: '"x"', lastModified: "Wed, 21 Oct 2015 07:28:00 GMT" });
    assert.deepEqual(await index.get("Serde"), {
      body: "{}\n",
      etag: '"x"',
      lastModified: "Wed, 21 Oct 2015 07:28:00 GMT",
    });
    assert.ok(index.pathOf("serde").endsWith("/se/rd/serde"));
  });

  it("serialises work under the cache lock", async () => {
    const cache = await new WharfCache({ wharfHome: join(home, "h") }).init();
    const order: string[] = [];
    await Promise.all(
      ["a", "b", "c"].map((id) =>
        cache.withLock(async () => {
          order.push(`start ${id}`);
          await new Promise((r) => setTimeout(r, 30));
          order.push(`end ${id}`);
        }),
      ),
    );
    for (let i = 0; i < order.length; i += 2) {
      assert.equal(order[i]!.slice(6), order[i + 1]!.slice(4), order.join(", "));
    }
  });

  it("makes another process wait for the lock, within a bound", async () => {
    const cache = await new WharfCache({ wharfHome: join(home, "i"), lock: { retries: 2 } }).init();
    const lockModule = fileURLToPath(new URL("./cache-lock.js", import.meta.url));
    const script = [
      "const [mod, target] = process.argv.slice(1);",
      "const { withCacheLock } = await import(mod);",
      "await withCacheLock(target, async () => {",
      "  process.stdout.write('locked\\n');",
      "  await new Promise((r) => setTimeout(r, 1500));",
      "});",
    ].join("\n");
    const child = spawn(
      process.execPath,
      ["--input-type=module", "-e", script, "--", lockModule, cache.paths.lockTarget],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.once("data", () => resolve());
        child.once("exit", () => reject(new Error("lock holder exited early")));
      });
      await assert.rejects(
        cache.withLock(async () => undefined),
        { code: "CACHE_LOCK_TIMEOUT" },
      );
      assert.equal(await exited, 0);
      assert.equal(await cache.withLock(async () => "mine"), "mine");
    } finally {
      child.kill();
    }
  });

  it("sweeps only old temp dirs left by crashed extractions", async () => {
    const cache = await new WharfCache({ wharfHome: join(home, "j") }).init();
    const { mkdir } = await import("node:fs/promises");
    const old = join(cache.paths.src, ".tmp-old");
    const young = join(cache.paths.src, ".tmp-young");
    await mkdir(old);
    await mkdir(young);
    const past = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000);
    await utimes(old, past, past);
    await new WharfCache({ wharfHome: join(home, "j") }).init();
    await assert.rejects(stat(old));
    await stat(young);
  });

  it("refuses tampered sources it cannot restore because the .crate is gone too", async () => {
    const cache = await new WharfCache({ wharfHome: join(home, "k") }).init();
    const c = sampleCrate();
    await cache.crates.put(c.bytes, c.sha256);
    const ref = { name: c.name, version: c.version, sha256: c.sha256 };
    const { dir } = await cache.extractCrate(ref);
    await chmod(dir, 0o755);
    await rm(join(dir, "build.sh"));
    await rm(cache.crates.pathOf(c.sha256));
    await assert.rejects(
      new WharfCache({ wharfHome: join(home, "k") }).verifiedSourceDir(ref),
      (e: unknown) => {
        assert.ok(e instanceof WharfError);
        assert.equal(e.code, "CACHE_SOURCE_TAMPERED");
        assert.match(e.message, /demo v1\.0\.0.*build\.sh.*is missing/);
        return true;
      },
    );
  });
});
