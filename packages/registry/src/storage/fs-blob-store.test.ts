import assert from "node:assert/strict";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { WharfError } from "@wharf/protocol";
import { sha256Hex } from "./blob-store.js";
import { FsBlobStore } from "./fs-blob-store.js";
import { makeTempDir, testClock } from "./store-fixtures.js";

const temp = makeTempDir("blobs");
after(() => temp.cleanup());

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

describe("FsBlobStore", () => {
  it("stores bytes under ab/cd/<sha256> with 0700 directories and 0600 files", async () => {
    const dir = join(temp.dir, "modes");
    const blobs = new FsBlobStore(dir);
    const bytes = Buffer.from("hello crate");
    const hash = await blobs.put(bytes);
    assert.equal(hash, sha256Hex(bytes));
    const path = join(dir, hash.slice(0, 2), hash.slice(2, 4), hash);
    assert.equal(blobs.pathOf(hash), path);
    assert.deepEqual(readFileSync(path), bytes);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    for (const d of [dir, join(dir, hash.slice(0, 2)), join(dir, hash.slice(0, 2), hash.slice(2, 4))]) {
      assert.equal(statSync(d).mode & 0o777, 0o700, d);
    }
  });

  it("gets, streams, checks and deletes", async () => {
    const blobs = new FsBlobStore(join(temp.dir, "rw"));
    const bytes = Buffer.from([0, 1, 2, 3, 255]);
    const hash = await blobs.put(bytes);
    assert.equal(await blobs.has(hash), true);
    assert.deepEqual(await blobs.get(hash), bytes);
    const stream = await blobs.openStream(hash);
    assert.ok(stream);
    assert.deepEqual(await readAll(stream), bytes);
    assert.equal(await blobs.delete(hash), true);
    assert.equal(await blobs.delete(hash), false);
    assert.equal(await blobs.has(hash), false);
    assert.equal(await blobs.get(hash), undefined);
    assert.equal(await blobs.openStream(hash), undefined);
  });

  it("leaves an existing blob as it is (same inode) and only refreshes its mtime", async () => {
    const clock = testClock("2020-01-01T00:00:00.000Z");
    const blobs = new FsBlobStore(join(temp.dir, "again"), { now: clock });
    const bytes = Buffer.from("same bytes");
    const hash = await blobs.put(bytes);
    const before = statSync(blobs.pathOf(hash));
    clock.set("2021-06-01T00:00:00.000Z");
    assert.equal(await blobs.put(bytes), hash);
    const afterStat = statSync(blobs.pathOf(hash));
    assert.equal(afterStat.ino, before.ino);
    assert.equal(afterStat.mtime.toISOString(), "2021-06-01T00:00:00.000Z");
  });

  it("refuses anything but a sha256 hex as a hash, so no path can be smuggled in", async () => {
    const blobs = new FsBlobStore(join(temp.dir, "bad"));
    for (const bad of ["../../etc/passwd", "AB".repeat(32), "a".repeat(63), `${"a".repeat(64)}/x`, ""]) {
      await assert.rejects(blobs.get(bad), (error: unknown) => {
        assert.ok(error instanceof WharfError);
        assert.equal(error.code, "REGISTRY_BLOB_INVALID_HASH");
        return true;
      });
      await assert.rejects(blobs.has(bad));
      await assert.rejects(blobs.delete(bad));
      await assert.rejects(blobs.openStream(bad));
    }
  });

  it("reports a blob whose bytes no longer match its name", async () => {
    const blobs = new FsBlobStore(join(temp.dir, "corrupt"));
    const hash = await blobs.put(Buffer.from("original"));
    writeFileSync(blobs.pathOf(hash), "tampered");
    await assert.rejects(blobs.get(hash), (error: unknown) => {
      assert.ok(error instanceof WharfError);
      assert.equal(error.code, "REGISTRY_BLOB_CORRUPT");
      return true;
    });
  });

  it("lists blobs and skips temp files, which a stale-temp sweep removes", async () => {
    const clock = testClock("2024-01-01T00:00:00.000Z");
    const dir = join(temp.dir, "list");
    const blobs = new FsBlobStore(dir, { now: clock });
    const hashes = [await blobs.put(Buffer.from("one")), await blobs.put(Buffer.from("two"))].sort();
    const shard = join(dir, hashes[0]!.slice(0, 2), hashes[0]!.slice(2, 4));
    writeFileSync(join(shard, ".tmp-deadbeef"), "half a crate");
    const listed: string[] = [];
    for await (const blob of blobs.list()) listed.push(blob.hash);
    assert.deepEqual(listed.sort(), hashes);
    // The temp file was written with the real time: in the future of this clock, so young.
    assert.equal(await blobs.removeStaleTempFiles({ now: clock, minAgeMs: 60_000 }), 0);
    assert.equal(
      await blobs.removeStaleTempFiles({ now: () => new Date(Date.now() + 120_000), minAgeMs: 60_000 }),
      1,
    );
  });
});
