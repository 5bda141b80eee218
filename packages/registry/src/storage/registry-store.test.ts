import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { orphanBlobs, sweepOrphanBlobs } from "./orphan-blobs.js";
import { gcraStep } from "./rate-limit.js";
import {
  fakeCrateBytes,
  openTestRegistry,
  publishFixture,
  publishWithBlob,
  rejectsWithCode,
  type TestRegistry,
} from "./store-fixtures.js";

describe("RegistryStore operations", () => {
  let registry: TestRegistry;
  let alice: number;
  let bob: number;
  before(async () => {
    registry = await openTestRegistry("ops");
    alice = (await registry.store.addUser({ login: "alice", name: "Alice", actor: { kind: "admin-cli" } }))
      .id;
    bob = (await registry.store.addUser({ login: "bob", actor: { kind: "admin-cli" } })).id;
    await publishWithBlob(registry, {
      name: "tokio-lite",
      version: "0.1.0",
      userId: alice,
      description: "Async runtime, small",
    });
    await publishWithBlob(registry, {
      name: "tokio_util_x",
      version: "0.1.0",
      userId: alice,
      description: "helpers",
    });
    await publishWithBlob(registry, {
      name: "json-parse",
      version: "1.0.0",
      userId: bob,
      description: "A JSON parser 100% safe",
      keywords: ["serde"],
    });
  });
  after(() => registry.close());

  describe("users", () => {
    it("adds, lists and finds users; logins are unique and validated", async () => {
      assert.deepEqual(
        (await registry.store.listUsers()).map((u) => [u.login, u.name, u.isAdmin]),
        [
          ["alice", "Alice", false],
          ["bob", null, false],
        ],
      );
      assert.equal((await registry.store.findUser("bob"))?.id, bob);
      await rejectsWithCode(
        registry.store.addUser({ login: "alice", actor: { kind: "admin-cli" } }),
        "REGISTRY_USER_EXISTS",
      );
      await rejectsWithCode(
        registry.store.addUser({ login: "-x", actor: { kind: "admin-cli" } }),
        "REGISTRY_INVALID_INPUT",
      );
    });
  });

  describe("owners", () => {
    it("adds and removes owners, and never removes the last one", async () => {
      const actor = { kind: "user", userId: alice } as const;
      assert.equal(await registry.store.isOwner("tokio-lite", bob), false);
      assert.deepEqual(await registry.store.addOwner({ crateName: "tokio-lite", login: "bob", actor }), {
        added: true,
      });
      assert.deepEqual(await registry.store.addOwner({ crateName: "tokio-lite", login: "bob", actor }), {
        added: false,
      });
      assert.equal(await registry.store.isOwner("Tokio_Lite", bob), true);
      assert.deepEqual(
        (await registry.store.listOwners("tokio-lite")).map((u) => u.login),
        ["alice", "bob"],
      );
      assert.deepEqual(await registry.store.removeOwner({ crateName: "tokio-lite", login: "alice", actor }), {
        removed: true,
      });
      await rejectsWithCode(
        registry.store.removeOwner({ crateName: "tokio-lite", login: "bob", actor }),
        "REGISTRY_LAST_OWNER",
      );
      await rejectsWithCode(
        registry.store.addOwner({ crateName: "tokio-lite", login: "nobody", actor }),
        "REGISTRY_USER_NOT_FOUND",
      );
      await rejectsWithCode(
        registry.store.addOwner({ crateName: "nothing", login: "bob", actor }),
        "REGISTRY_CRATE_NOT_FOUND",
      );
      const actions = (await registry.store.readAuditLog({ crateName: "tokio-lite" })).map((e) => e.action);
      assert.deepEqual(actions, ["owner-remove", "owner-add", "publish"]);
    });
  });

  describe("search", () => {
    it("matches names (folded), descriptions and keywords, exact name first, with a total", async () => {
      const byName = await registry.store.searchCrates({ query: "tokio" });
      assert.deepEqual(
        byName.crates.map((c) => c.name),
        ["tokio-lite", "tokio_util_x"],
      );
      assert.equal(byName.total, 2);
      assert.deepEqual(
        (await registry.store.searchCrates({ query: "json-parse" })).crates.map((c) => c.name),
        ["json-parse"],
      );
      assert.deepEqual(
        (await registry.store.searchCrates({ query: "ASYNC" })).crates.map((c) => c.name),
        ["tokio-lite"],
      );
      assert.deepEqual(
        (await registry.store.searchCrates({ query: "serde" })).crates.map((c) => c.name),
        ["json-parse"],
      );
    });

    it("treats % and _ in the query as text and bounds per_page", async () => {
      assert.deepEqual(
        (await registry.store.searchCrates({ query: "100%" })).crates.map((c) => c.name),
        ["json-parse"],
      );
      assert.equal((await registry.store.searchCrates({ query: "%" })).total, 1);
      const page = await registry.store.searchCrates({ query: "", perPage: 1, page: 2 });
      assert.equal(page.total, 3);
      assert.equal(page.crates.length, 1);
      assert.equal(page.crates[0]?.name, "tokio-lite");
      assert.equal((await registry.store.searchCrates({ query: "", perPage: 10_000 })).perPage, 100);
      assert.equal((await registry.store.searchCrates({ query: "", perPage: -5, page: -1 })).perPage, 1);
    });
  });

  describe("crate reads", () => {
    it("returns details with owners and versions in publish order", async () => {
      registry.clock.advance(1000);
      await publishWithBlob(registry, {
        name: "json-parse",
        version: "1.1.0",
        userId: bob,
        description: "newer text",
      });
      registry.clock.advance(1000);
      await publishWithBlob(registry, {
        name: "json-parse",
        version: "0.5.0",
        userId: bob,
        description: "old text",
      });
      const crate = await registry.store.getCrate("JSON_parse");
      assert.ok(crate);
      assert.equal(crate.name, "json-parse");
      assert.equal(crate.maxVersion, "1.1.0");
      assert.equal(
        crate.description,
        "newer text",
        "metadata follows the highest version, not the latest publish",
      );
      assert.deepEqual(
        crate.versions.map((v) => v.num),
        ["1.0.0", "1.1.0", "0.5.0"],
      );
      assert.deepEqual(crate.versions[0]?.publishedBy, { id: bob, login: "bob" });
      assert.deepEqual(
        crate.owners.map((o) => o.login),
        ["bob"],
      );
      assert.equal(crate.license, "MIT");
      const version = await registry.store.getVersion("json-parse", "1.1.0");
      assert.equal(version?.size, fakeCrateBytes("json-parse", "1.1.0").length);
      assert.equal(version?.rustVersion, "1.70");
      assert.equal(await registry.store.getVersion("json-parse", "9.0.0"), undefined);
    });
  });

  describe("takedown", () => {
    it("deletes a version: gone from the index, tombstoned, audited, blob handed back", async () => {
      const fixture = publishFixture({ name: "json-parse", version: "0.5.0", userId: bob });
      const before = await registry.store.indexFile("json-parse");
      const result = await registry.store.deleteVersion({
        crateName: "json-parse",
        version: "0.5.0",
        actor: { kind: "admin-cli" },
        reason: "malware",
      });
      assert.deepEqual(result.unreferencedBlobs, [fixture.input.blobHash]);
      const index = await registry.store.indexFile("json-parse");
      assert.equal(index?.lineCount, 2);
      assert.equal(index?.indexVersion, (before?.indexVersion ?? 0) + 1);
      assert.equal(await registry.store.isTombstoned("json-parse", "0.5.0"), true);
      assert.equal(await registry.store.isTombstoned("json-parse", "0.5.0+anything"), true);
      await rejectsWithCode(registry.store.publishVersion(fixture.input), "REGISTRY_VERSION_TOMBSTONED");
      await rejectsWithCode(
        publishWithBlob(registry, { name: "json-parse", version: "0.5.0+rebuilt", userId: bob }),
        "REGISTRY_VERSION_TOMBSTONED",
      );
      const [entry] = await registry.store.readAuditLog({ action: "delete-version" });
      assert.equal(entry?.crateName, "json-parse");
      assert.deepEqual(entry?.actor, { kind: "admin-cli" });
      assert.equal(entry?.detail["reason"], "malware");
    });

    it("deletes a crate: its name can never be published again, in any spelling", async () => {
      const result = await registry.store.deleteCrate({
        crateName: "json-parse",
        actor: { kind: "admin-cli" },
        reason: "typosquat",
      });
      assert.equal(result.unreferencedBlobs.length, 2);
      assert.equal(await registry.store.findCrate("json-parse"), undefined);
      assert.equal(await registry.store.indexFile("json-parse"), undefined);
      assert.equal(await registry.store.isTombstoned("json_parse"), true);
      await rejectsWithCode(
        publishWithBlob(registry, { name: "json_parse", version: "9.0.0", userId: alice }),
        "REGISTRY_CRATE_TOMBSTONED",
      );
      await rejectsWithCode(
        registry.store.deleteCrate({
          crateName: "json-parse",
          actor: { kind: "admin-cli" },
          reason: "again",
        }),
        "REGISTRY_CRATE_NOT_FOUND",
      );
    });
  });

  describe("tokens", () => {
    it("creates, lists, finds by hash, touches and revokes", async () => {
      const hash = "ab".repeat(32);
      const token = await registry.store.createToken({
        userId: alice,
        name: "ci",
        tokenHash: hash,
        prefix: "wharf_abcd",
        scopes: ["publish-update"],
        cratePatterns: ["tokio*"],
        expiresAt: new Date("2025-04-01T00:00:00.000Z"),
        actor: { kind: "user", userId: alice },
      });
      assert.deepEqual(token.scopes, ["publish-update"]);
      assert.deepEqual(token.cratePatterns, ["tokio*"]);
      assert.equal(token.expiresAt, "2025-04-01T00:00:00.000Z");
      const found = await registry.store.findTokenByHash(hash);
      assert.equal(found?.token.id, token.id);
      assert.equal(found?.user.login, "alice");
      assert.equal(await registry.store.findTokenByHash("cd".repeat(32)), undefined);
      registry.clock.set("2025-02-02T00:00:00.000Z");
      await registry.store.touchToken(token.id);
      assert.equal((await registry.store.listTokens(alice))[0]?.lastUsedAt, "2025-02-02T00:00:00.000Z");
      await rejectsWithCode(
        registry.store.revokeToken({ tokenId: token.id, userId: bob, actor: { kind: "user", userId: bob } }),
        "REGISTRY_TOKEN_NOT_FOUND",
      );
      assert.deepEqual(
        await registry.store.revokeToken({ tokenId: token.id, actor: { kind: "admin-cli" } }),
        {
          revoked: true,
        },
      );
      assert.deepEqual(
        await registry.store.revokeToken({ tokenId: token.id, actor: { kind: "admin-cli" } }),
        {
          revoked: false,
        },
      );
      assert.equal((await registry.store.listTokens(alice))[0]?.revokedAt, "2025-02-02T00:00:00.000Z");
      const audit = await registry.store.readAuditLog({ action: "token-create" });
      assert.equal(JSON.stringify(audit).includes(hash), false, "the audit log never holds a token hash");
    });
  });

  describe("audit log", () => {
    it("filters by crate, action, actor and time, newest first, and pages by id", async () => {
      const all = await registry.store.readAuditLog({ limit: 1000 });
      const ids = all.map((e) => e.id);
      assert.deepEqual(
        ids,
        [...ids].sort((a, b) => b - a),
      );
      const byBob = await registry.store.readAuditLog({ actorUserId: bob });
      assert.ok(byBob.length > 0 && byBob.every((e) => e.actor.kind === "user" && e.actor.userId === bob));
      const early = await registry.store.readAuditLog({ until: "2025-01-01T00:00:00.001Z" });
      assert.ok(early.every((e) => e.at < "2025-01-01T00:00:00.001Z"));
      const late = await registry.store.readAuditLog({ since: "2025-02-01T00:00:00.000Z" });
      assert.deepEqual(
        late.map((e) => e.action),
        ["token-revoke"],
      );
      const page = await registry.store.readAuditLog({ beforeId: ids[0], limit: 2 });
      assert.deepEqual(
        page.map((e) => e.id),
        ids.slice(1, 3),
      );
    });
  });

  describe("rate limits", () => {
    it("gcraStep allows a burst, then one per interval", () => {
      let arrival = 0;
      const now = 1_000_000;
      const results: boolean[] = [];
      for (let i = 0; i < 4; i++) {
        const step = gcraStep({ arrivalMs: arrival, nowMs: now, burst: 3, perMinute: 2 });
        results.push(step.allowed);
        if (step.allowed) arrival = step.nextArrivalMs;
        else assert.equal(step.retryAfterMs, 30_000);
      }
      assert.deepEqual(results, [true, true, true, false]);
      assert.equal(
        gcraStep({ arrivalMs: arrival, nowMs: now + 30_000, burst: 3, perMinute: 2 }).allowed,
        true,
      );
    });

    it("counts per user and kind in the database, with a retry-after in seconds", async () => {
      registry.clock.set("2025-03-01T00:00:00.000Z");
      const limit = { userId: alice, kind: "new-crate", burst: 2, perMinute: 1 } as const;
      assert.deepEqual(await registry.store.takeRateLimit(limit), { allowed: true });
      assert.deepEqual(await registry.store.takeRateLimit(limit), { allowed: true });
      assert.deepEqual(await registry.store.takeRateLimit(limit), { allowed: false, retryAfterSeconds: 60 });
      assert.deepEqual(await registry.store.takeRateLimit({ ...limit, kind: "new-version" }), {
        allowed: true,
      });
      assert.deepEqual(await registry.store.takeRateLimit({ ...limit, userId: bob }), { allowed: true });
      registry.clock.advance(45_000);
      assert.deepEqual(await registry.store.takeRateLimit(limit), { allowed: false, retryAfterSeconds: 15 });
      registry.clock.advance(15_000);
      assert.deepEqual(await registry.store.takeRateLimit(limit), { allowed: true });
      await rejectsWithCode(registry.store.takeRateLimit({ ...limit, burst: 0 }), "REGISTRY_INVALID_INPUT");
    });
  });

  describe("orphan blobs", () => {
    it("finds blobs no version refers to, leaving young ones alone, and sweeps them", async () => {
      registry.clock.set("2025-03-01T00:00:00.000Z");
      const orphan = await registry.blobs.put(Buffer.from("never published"));
      const referenced = await registry.store.referencedBlobs();
      assert.equal(referenced.has(orphan), false);
      const options = { store: registry.store, blobs: registry.blobs, now: registry.clock };
      // Old by this clock: the three json-parse blobs the takedown orphaned and the two
      // blobs of the publishes refused after it (blob first, then the refused transaction).
      const old = await orphanBlobs(options);
      assert.equal(old.includes(orphan), false, "a blob put just now may belong to a publish in flight");
      assert.equal(old.length, 5);
      registry.clock.advance(2 * 60 * 60 * 1000);
      const swept = await sweepOrphanBlobs(options);
      assert.equal(swept.length, 6);
      assert.ok(swept.includes(orphan));
      for (const hash of referenced) assert.equal(await registry.blobs.has(hash), true);
      assert.deepEqual(await orphanBlobs(options), []);
    });
  });
});
