import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { WharfError } from "@wharf/protocol";
import { openTestRegistry, type TestRegistry } from "../storage/store-fixtures.js";
import { createApiToken } from "./create-token.js";
import { checkPublishRateLimit } from "./publish-rate-limit.js";
import { hashToken } from "./token-format.js";

describe("createApiToken and publish rate limits", () => {
  let registry: TestRegistry;
  let userId: number;
  before(async () => {
    registry = await openTestRegistry("tokens");
    userId = (await registry.store.addUser({ login: "alice", actor: { kind: "admin-cli" } })).id;
  });
  after(() => registry.close());

  const base = () => ({
    store: registry.store,
    userId,
    actor: { kind: "admin-cli" } as const,
    now: registry.clock,
  });

  it("stores only the hash and a display prefix, expiring in 90 days by default", async () => {
    const created = await createApiToken({
      ...base(),
      name: "laptop",
      scopes: ["publish-update", "yank", "yank"],
    });
    assert.deepEqual(created.record.scopes, ["publish-update", "yank"]);
    assert.equal(created.record.expiresAt, "2025-04-01T00:00:00.000Z");
    assert.equal(created.record.prefix, created.token.slice(0, 10));
    assert.equal(created.record.cratePatterns, null);
    const row = await registry.store.db
      .selectFrom("api_tokens")
      .selectAll()
      .where("id", "=", created.record.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.token_hash, hashToken(created.token));
    assert.equal(JSON.stringify(row).includes(created.token), false, "the token itself is never stored");
    const audit = await registry.store.readAuditLog({ action: "token-create" });
    assert.equal(JSON.stringify(audit).includes(created.token), false);
  });

  it("allows `never` and explicit lifetimes, and refuses bad requests", async () => {
    assert.equal(
      (await createApiToken({ ...base(), name: "ci", scopes: ["yank"], expires: "never" })).record.expiresAt,
      null,
    );
    assert.equal(
      (await createApiToken({ ...base(), name: "ci2", scopes: ["yank"], expires: 1 })).record.expiresAt,
      "2025-01-02T00:00:00.000Z",
    );
    for (const bad of [
      { name: "", scopes: ["yank"] },
      { name: "x", scopes: [] },
      { name: "x", scopes: ["admin"] },
      { name: "x", scopes: ["yank"], cratePatterns: [] },
      { name: "x", scopes: ["yank"], cratePatterns: ["a*b"] },
      { name: "x", scopes: ["yank"], expires: 0 },
      { name: "x", scopes: ["yank"], expires: 1.5 },
    ]) {
      await assert.rejects(createApiToken({ ...base(), ...bad }), (error: unknown) => {
        assert.ok(error instanceof WharfError);
        assert.equal(error.code, "AUTH_TOKEN_REQUEST_INVALID");
        return true;
      });
    }
  });

  it("rate-limits new crates and new versions separately with a 429 and retry-after", async () => {
    const limits = {
      "new-crate": { burst: 1, perMinute: 0.5 },
      "new-version": { burst: 2, perMinute: 6 },
    } as const;
    const check = (kind: "new-crate" | "new-version") =>
      checkPublishRateLimit({ store: registry.store, userId, kind, limits });
    assert.deepEqual(await check("new-crate"), { ok: true });
    const denied = await check("new-crate");
    assert.ok(!denied.ok);
    assert.equal(denied.status, 429);
    assert.equal(denied.code, "AUTH_RATE_LIMITED");
    assert.equal(denied.retryAfterSeconds, 120);
    assert.deepEqual(await check("new-version"), { ok: true });
    assert.deepEqual(await check("new-version"), { ok: true });
    const versions = await check("new-version");
    assert.equal(versions.ok ? 0 : versions.retryAfterSeconds, 10);
    registry.clock.advance(10_000);
    assert.deepEqual(await check("new-version"), { ok: true });
  });
});
