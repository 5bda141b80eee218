import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { openTestRegistry, publishWithBlob, type TestRegistry } from "../storage/store-fixtures.js";
import { type AuthAction, authorize } from "./authorize.js";
import { createApiToken } from "./create-token.js";
import type { EndpointScope } from "./scopes.js";

type Principal =
  | "owner"
  | "non-owner"
  | "admin"
  | "expired"
  | "revoked"
  | "wrong-pattern"
  | "missing-scope"
  | "no-token";
type Expected = "allow" | 401 | 403 | 404;

const PRINCIPALS: readonly Principal[] = [
  "owner",
  "non-owner",
  "admin",
  "expired",
  "revoked",
  "wrong-pattern",
  "missing-scope",
  "no-token",
];

/**
 * Written by hand from crates.io's rules, one row per action on a crate:
 *   owner  non-owner  admin  expired  revoked  wrong-pattern  missing-scope  no-token
 * `missing-scope` holds every scope except the one the action needs.
 */
const MATRIX: readonly { action: AuthAction; crate: string; expected: readonly Expected[] }[] = [
  {
    action: "publish-new",
    crate: "brand-new",
    expected: ["allow", "allow", "allow", 401, 401, 403, 403, 401],
  },
  {
    action: "publish-update",
    crate: "brand-new",
    expected: ["allow", "allow", "allow", 401, 401, 403, 403, 401],
  },
  { action: "publish-update", crate: "owned", expected: ["allow", 403, "allow", 401, 401, 403, 403, 401] },
  { action: "publish-new", crate: "owned", expected: ["allow", 403, "allow", 401, 401, 403, 403, 401] },
  { action: "yank", crate: "owned", expected: ["allow", 403, "allow", 401, 401, 403, 403, 401] },
  { action: "unyank", crate: "owned", expected: ["allow", 403, "allow", 401, 401, 403, 403, 401] },
  { action: "owners-add", crate: "owned", expected: ["allow", 403, "allow", 401, 401, 403, 403, 401] },
  { action: "owners-remove", crate: "owned", expected: ["allow", 403, "allow", 401, 401, 403, 403, 401] },
  {
    action: "owners-list",
    crate: "owned",
    expected: ["allow", "allow", "allow", 401, 401, "allow", "allow", 401],
  },
  { action: "read", crate: "owned", expected: ["allow", "allow", "allow", 401, 401, "allow", "allow", 401] },
  { action: "yank", crate: "missing", expected: [404, 404, 404, 401, 401, 404, 404, 401] },
];

/** The scope an action needs on the row's crate, to build the missing-scope token. */
function neededScope(action: AuthAction, crate: string): EndpointScope | undefined {
  if (action === "publish-new" || action === "publish-update")
    return crate === "owned" ? "publish-update" : "publish-new";
  if (action === "yank" || action === "unyank") return "yank";
  if (action === "owners-add" || action === "owners-remove") return "change-owners";
  return undefined;
}

const ALL: EndpointScope[] = ["publish-new", "publish-update", "yank", "change-owners"];

describe("authorization matrix (real SQLite file)", () => {
  let registry: TestRegistry;
  const tokens = new Map<string, string>();
  before(async () => {
    registry = await openTestRegistry("authz");
    const admin = { kind: "admin-cli" } as const;
    const alice = await registry.store.addUser({ login: "alice", actor: admin });
    const bob = await registry.store.addUser({ login: "bob", actor: admin });
    const root = await registry.store.addUser({ login: "root", isAdmin: true, actor: admin });
    await publishWithBlob(registry, { name: "owned", version: "1.0.0", userId: alice.id });
    const issue = async (key: string, userId: number, scopes: EndpointScope[], extra: object = {}) => {
      const created = await createApiToken({
        store: registry.store,
        userId,
        name: key,
        scopes,
        actor: admin,
        now: registry.clock,
        ...extra,
      });
      tokens.set(key, created.token);
      return created;
    };
    await issue("owner", alice.id, ALL);
    await issue("non-owner", bob.id, ALL);
    await issue("admin", root.id, ALL);
    await issue("wrong-pattern", alice.id, ALL, { cratePatterns: ["other*", "own"] });
    await issue("admin-yank-only", root.id, ["yank"]);
    await issue("pattern-prefix", alice.id, ALL, { cratePatterns: ["OWN*"] });
    for (const scope of ALL)
      await issue(
        `missing-${scope}`,
        alice.id,
        ALL.filter((s) => s !== scope),
      );
    registry.clock.advance(-2 * 24 * 60 * 60 * 1000);
    await issue("expired", alice.id, ALL, { expires: 1 });
    registry.clock.advance(2 * 24 * 60 * 60 * 1000);
    const revoked = await issue("revoked", alice.id, ALL, { expires: "never" });
    await registry.store.revokeToken({ tokenId: revoked.record.id, actor: admin });
  });
  after(() => registry.close());

  function tokenFor(principal: Principal, action: AuthAction, crate: string): string | undefined {
    if (principal === "no-token") return undefined;
    if (principal === "missing-scope")
      return tokens.get(`missing-${neededScope(action, crate) ?? "publish-new"}`);
    return tokens.get(principal);
  }

  for (const row of MATRIX) {
    for (const [column, principal] of PRINCIPALS.entries()) {
      const expected = row.expected[column];
      it(`${row.action} on ${row.crate} by ${principal} -> ${expected}`, async () => {
        const result = await authorize({
          token: tokenFor(principal, row.action, row.crate),
          action: row.action,
          crateName: row.crate,
          store: registry.store,
          now: registry.clock,
        });
        assert.equal(result.ok ? "allow" : result.status, expected, result.ok ? "" : result.message);
      });
    }
  }

  it("gives each denial its own code", async () => {
    const codeOf = async (token: string | undefined, action: AuthAction, crateName = "owned") => {
      const result = await authorize({
        token,
        action,
        crateName,
        store: registry.store,
        now: registry.clock,
      });
      return result.ok ? "allow" : result.code;
    };
    assert.equal(await codeOf(undefined, "yank"), "AUTH_TOKEN_MISSING");
    assert.equal(await codeOf(`wharf_${"x".repeat(40)}`, "yank"), "AUTH_TOKEN_INVALID");
    assert.equal(await codeOf("not a token", "yank"), "AUTH_TOKEN_INVALID");
    assert.equal(await codeOf(tokens.get("expired"), "yank"), "AUTH_TOKEN_EXPIRED");
    assert.equal(await codeOf(tokens.get("revoked"), "yank"), "AUTH_TOKEN_REVOKED");
    assert.equal(await codeOf(tokens.get("missing-yank"), "yank"), "AUTH_SCOPE_MISSING");
    assert.equal(await codeOf(tokens.get("wrong-pattern"), "yank"), "AUTH_CRATE_PATTERN_MISMATCH");
    assert.equal(await codeOf(tokens.get("non-owner"), "yank"), "AUTH_NOT_OWNER");
    assert.equal(await codeOf(tokens.get("owner"), "yank", "missing"), "AUTH_CRATE_NOT_FOUND");
  });

  it("keeps an admin's narrow token narrow: yank-only cannot publish or change owners", async () => {
    const token = tokens.get("admin-yank-only");
    for (const [action, expected] of [
      ["yank", "allow"],
      ["publish-update", 403],
      ["owners-add", 403],
    ] as const) {
      const result = await authorize({
        token,
        action,
        crateName: "owned",
        store: registry.store,
        now: registry.clock,
      });
      assert.equal(result.ok ? "allow" : result.status, expected, action);
    }
  });

  it("matches patterns on canonical names and reports whether a publish creates a crate", async () => {
    const prefix = await authorize({
      token: tokens.get("pattern-prefix"),
      action: "publish-update",
      crateName: "Owned",
      store: registry.store,
      now: registry.clock,
    });
    assert.ok(prefix.ok);
    assert.equal(prefix.scope, "publish-update");
    assert.equal(prefix.newCrate, false);
    const fresh = await authorize({
      token: tokens.get("owner"),
      action: "publish-update",
      crateName: "another",
      store: registry.store,
      now: registry.clock,
    });
    assert.ok(fresh.ok);
    assert.equal(fresh.scope, "publish-new");
    assert.equal(fresh.newCrate, true);
  });

  it("lets anonymous reads through when auth is not required, but still refuses a bad token", async () => {
    for (const action of ["read", "owners-list"] as const) {
      const anonymous = await authorize({
        token: undefined,
        action,
        crateName: "owned",
        store: registry.store,
        now: registry.clock,
        authRequired: false,
      });
      assert.ok(anonymous.ok);
      assert.equal(anonymous.user, undefined);
      const revoked = await authorize({
        token: tokens.get("revoked"),
        action,
        crateName: "owned",
        store: registry.store,
        now: registry.clock,
        authRequired: false,
      });
      assert.equal(revoked.ok ? "allow" : revoked.status, 401);
    }
    const write = await authorize({
      token: undefined,
      action: "yank",
      crateName: "owned",
      store: registry.store,
      now: registry.clock,
      authRequired: false,
    });
    assert.equal(write.ok ? "allow" : write.status, 401);
  });

  it("records last use of a live token, never of a refused one", async () => {
    registry.clock.set("2025-01-05T00:00:00.000Z");
    await authorize({
      token: tokens.get("non-owner"),
      action: "yank",
      crateName: "owned",
      store: registry.store,
      now: registry.clock,
    });
    await authorize({
      token: tokens.get("revoked"),
      action: "read",
      crateName: "owned",
      store: registry.store,
      now: registry.clock,
    });
    const bob = await registry.store.findUser("bob");
    const alice = await registry.store.findUser("alice");
    assert.ok(bob && alice);
    assert.equal((await registry.store.listTokens(bob.id))[0]?.lastUsedAt, "2025-01-05T00:00:00.000Z");
    const revoked = (await registry.store.listTokens(alice.id)).find((t) => t.name === "revoked");
    assert.equal(revoked?.lastUsedAt, null);
  });
});
