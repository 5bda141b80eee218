/**
 * Tokens made through the API (crates.io's /api/v1/me/tokens) can only narrow the token that
 * makes them: no scope, crate or lifetime it does not have itself.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { Agent, request } from "undici";
import { makeTempHome } from "./run.js";
import { startTestRegistry, type TestRegistry } from "./test-registry.js";

const home = makeTempHome("wharf-tokens-");
let registry: TestRegistry;
let agent: Agent;

before(async () => {
  registry = await startTestRegistry({ dir: join(home.root, "r") });
  agent = new Agent({ connect: { ca: readFileSync(registry.pki.ca.caCertPath) } });
});
after(async () => {
  await agent.close();
  await registry.close();
  home.cleanup();
});

async function mint(
  token: string,
  spec: Record<string, unknown>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const r = await request(`${registry.url}/api/v1/me/tokens`, {
    method: "PUT",
    headers: { authorization: token, "content-type": "application/json" },
    body: JSON.stringify({ api_token: spec }),
    dispatcher: agent,
  });
  return { status: r.statusCode, body: (await r.body.json()) as Record<string, unknown> };
}

describe("tokens minted through the API", () => {
  test("cannot outlive the token that makes them", async () => {
    const { userId } = await registry.addUser("carol");
    const short = await registry.tokenFor(userId, { scopes: ["publish-update"], expires: 10 });
    assert.equal((await mint(short, { name: "forever", expires_in_days: "never" })).status, 403);
    assert.equal((await mint(short, { name: "longer", expires_in_days: 30 })).status, 403);
    const ok = await mint(short, { name: "shorter", expires_in_days: 5 });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    const made = ok.body.api_token as { expired_at: string | null };
    assert.ok(made.expired_at !== null, "the new token must expire");
    // by default it expires no later than its maker
    const dflt = await mint(short, { name: "default" });
    assert.equal(dflt.status, 200);
    const expiry = Date.parse((dflt.body.api_token as { expired_at: string }).expired_at);
    assert.ok(expiry <= Date.now() + 10 * 86_400_000 + 60_000, "default lifetime is capped by the maker's");
  });

  test("a never-expiring token may mint a never-expiring one", async () => {
    const { userId } = await registry.addUser("dave");
    const forever = await registry.tokenFor(userId, { scopes: ["yank"], expires: "never" });
    const r = await mint(forever, { name: "forever-too", expires_in_days: "never" });
    assert.equal(r.status, 200, JSON.stringify(r.body));
  });

  test("cannot gain scopes", async () => {
    const { userId } = await registry.addUser("erin");
    const narrow = await registry.tokenFor(userId, { scopes: ["yank"] });
    assert.equal(
      (await mint(narrow, { name: "wider", endpoint_scopes: ["yank", "publish-new"] })).status,
      403,
    );
  });
});
