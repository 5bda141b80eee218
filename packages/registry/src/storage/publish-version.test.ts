import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { STORAGE_ERROR_STATUS, storageErrorStatus } from "./storage-error.js";
import {
  openTestRegistry,
  publishFixture,
  publishWithBlob,
  rejectsWithCode,
  type TestRegistry,
} from "./store-fixtures.js";

describe("publishVersion", () => {
  let registry: TestRegistry;
  let alice: number;
  let bob: number;
  let admin: number;
  before(async () => {
    registry = await openTestRegistry("publish");
    alice = (await registry.store.addUser({ login: "alice", actor: { kind: "admin-cli" } })).id;
    bob = (await registry.store.addUser({ login: "bob", actor: { kind: "admin-cli" } })).id;
    admin = (await registry.store.addUser({ login: "root", isAdmin: true, actor: { kind: "admin-cli" } })).id;
  });
  after(() => registry.close());

  it("creates a new crate with the publisher as its only owner, and its index file", async () => {
    const result = await publishWithBlob(registry, { name: "serde-lite", version: "1.0.0", userId: alice });
    assert.equal(result.crateCreated, true);
    assert.equal(result.indexVersion, 1);
    assert.equal(result.publishedAt, "2025-01-01T00:00:00.000Z");
    const owners = await registry.store.listOwners("serde-lite");
    assert.deepEqual(
      owners.map((o) => o.login),
      ["alice"],
    );
    const index = await registry.store.indexFile("serde-lite");
    const fixture = publishFixture({ name: "serde-lite", version: "1.0.0", userId: alice });
    assert.deepEqual(index, {
      crateName: "serde-lite",
      content: `${fixture.input.indexLine}\n`,
      lineCount: 1,
      indexVersion: 1,
      updatedAt: "2025-01-01T00:00:00.000Z",
    });
    const audit = await registry.store.readAuditLog({ crateName: "serde-lite" });
    assert.equal(audit.length, 1);
    assert.equal(audit[0]?.action, "publish");
    assert.deepEqual(audit[0]?.actor, { kind: "user", userId: alice });
    assert.equal(audit[0]?.remoteAddr, "192.0.2.1");
  });

  it("appends later versions in publish order and bumps the change marker", async () => {
    registry.clock.advance(60_000);
    await publishWithBlob(registry, { name: "serde-lite", version: "0.9.0", userId: alice });
    registry.clock.advance(60_000);
    const third = await publishWithBlob(registry, {
      name: "serde-lite",
      version: "1.1.0-beta.1",
      userId: alice,
    });
    assert.equal(third.crateCreated, false);
    assert.equal(third.indexVersion, 3);
    const index = await registry.store.indexFile("serde-lite");
    assert.ok(index);
    const versions = index.content
      .trimEnd()
      .split("\n")
      .map((line) => (JSON.parse(line) as { vers: string }).vers);
    assert.deepEqual(versions, ["1.0.0", "0.9.0", "1.1.0-beta.1"]);
    assert.equal(index.updatedAt, "2025-01-01T00:02:00.000Z");
  });

  it("refuses an existing version, and one differing only in build metadata", async () => {
    await rejectsWithCode(
      publishWithBlob(registry, { name: "serde-lite", version: "1.0.0", userId: alice }),
      "REGISTRY_VERSION_EXISTS",
    );
    await rejectsWithCode(
      publishWithBlob(registry, { name: "serde-lite", version: "1.0.0+build.7", userId: alice }),
      "REGISTRY_VERSION_EXISTS",
    );
    assert.equal(STORAGE_ERROR_STATUS.REGISTRY_VERSION_EXISTS, 409);
    assert.equal((await registry.store.indexFile("serde-lite"))?.lineCount, 3);
  });

  it("refuses a name that folds to an existing crate's name", async () => {
    for (const name of ["serde_lite", "Serde-Lite", "SERDE_LITE"]) {
      await rejectsWithCode(
        publishWithBlob(registry, { name, version: "5.0.0", userId: alice }),
        "REGISTRY_CRATE_NAME_COLLISION",
      );
    }
  });

  it("refuses a publish to an existing crate by a non-owner, allows it for an admin", async () => {
    await rejectsWithCode(
      publishWithBlob(registry, { name: "serde-lite", version: "2.0.0", userId: bob }),
      "REGISTRY_NOT_AN_OWNER",
    );
    const byAdmin = await publishWithBlob(registry, { name: "serde-lite", version: "2.0.0", userId: admin });
    assert.equal(byAdmin.crateCreated, false);
    assert.deepEqual(
      (await registry.store.listOwners("serde-lite")).map((o) => o.login),
      ["alice"],
    );
  });

  it("refuses an update when the caller authorized a new crate only", async () => {
    await rejectsWithCode(
      registry.store.publishVersion({
        ...publishFixture({ name: "serde-lite", version: "3.0.0", userId: alice }).input,
        expectNewCrate: true,
      }),
      "REGISTRY_CRATE_EXISTS",
    );
  });

  it("refuses an index line that does not describe the row, and bad input", async () => {
    const { input } = publishFixture({ name: "liner", version: "1.0.0", userId: alice });
    const other = publishFixture({ name: "liner", version: "1.0.1", userId: alice }).input.indexLine;
    await rejectsWithCode(
      registry.store.publishVersion({ ...input, indexLine: other }),
      "REGISTRY_INDEX_LINE_MISMATCH",
    );
    await rejectsWithCode(
      registry.store.publishVersion({ ...input, indexLine: "[]" }),
      "REGISTRY_INDEX_LINE_MISMATCH",
    );
    await rejectsWithCode(
      registry.store.publishVersion({ ...input, version: "1.0" }),
      "REGISTRY_INVALID_INPUT",
    );
    await rejectsWithCode(
      registry.store.publishVersion({ ...input, crateName: "1liner" }),
      "REGISTRY_INVALID_INPUT",
    );
    await rejectsWithCode(
      registry.store.publishVersion({ ...input, blobHash: "../x" }),
      "REGISTRY_INVALID_INPUT",
    );
    await rejectsWithCode(
      registry.store.publishVersion({ ...input, userId: 9999 }),
      "REGISTRY_USER_NOT_FOUND",
    );
    assert.equal(await registry.store.findCrate("liner"), undefined, "nothing was written by the refusals");
  });

  it("serves the index file for the crate's own spelling in any case, not the other -/_ spelling", async () => {
    assert.ok(await registry.store.indexFile("SERDE-LITE"));
    assert.equal(await registry.store.indexFile("serde_lite"), undefined);
    assert.equal(await registry.store.indexFile("nope"), undefined);
  });

  it("yanks and unyanks: the flag appears in the index and the marker moves", async () => {
    const before = await registry.store.indexFile("serde-lite");
    assert.deepEqual(
      await registry.store.setYanked({
        crateName: "serde-lite",
        version: "0.9.0",
        yanked: true,
        actor: { kind: "user", userId: alice },
      }),
      { changed: true },
    );
    assert.deepEqual(
      await registry.store.setYanked({
        crateName: "serde-lite",
        version: "0.9.0",
        yanked: true,
        actor: { kind: "user", userId: alice },
      }),
      { changed: false },
    );
    const yanked = await registry.store.indexFile("serde-lite");
    assert.ok(before && yanked);
    assert.equal(yanked.indexVersion, before.indexVersion + 1);
    const lines = yanked.content.trimEnd().split("\n");
    assert.equal(
      lines[1],
      publishFixture({ name: "serde-lite", version: "0.9.0", userId: alice }).input.indexLine.replace(
        '"yanked":false',
        '"yanked":true',
      ),
    );
    assert.equal((await registry.store.getVersion("serde-lite", "0.9.0"))?.yanked, true);
    await registry.store.setYanked({
      crateName: "serde-lite",
      version: "0.9.0",
      yanked: false,
      actor: { kind: "admin-cli" },
    });
    assert.equal((await registry.store.getVersion("serde-lite", "0.9.0"))?.yanked, false);
    const actions = (await registry.store.readAuditLog({ crateName: "serde-lite" })).map((e) => e.action);
    assert.deepEqual(actions.slice(0, 2), ["unyank", "yank"]);
    await rejectsWithCode(
      registry.store.setYanked({
        crateName: "serde-lite",
        version: "9.9.9",
        yanked: true,
        actor: { kind: "admin-cli" },
      }),
      "REGISTRY_VERSION_NOT_FOUND",
    );
  });

  it("maps storage errors to HTTP statuses", async () => {
    let caught: unknown;
    try {
      await publishWithBlob(registry, { name: "serde-lite", version: "1.0.0", userId: alice });
    } catch (error) {
      caught = error;
    }
    assert.equal(storageErrorStatus(caught), 409);
    assert.equal(storageErrorStatus(new Error("boom")), 500);
  });
});
