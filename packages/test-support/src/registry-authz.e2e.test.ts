/**
 * The registry's authorization matrix over real HTTPS: every endpoint x every kind of
 * caller, on a public registry and (for the reads) on an auth-required one, each expected
 * status written by hand from crates.io's rules as auth/authorize.ts implements them. Every
 * answer is also checked for cargo's error JSON, the `WWW-Authenticate: Cargo` hint on 401s
 * and the absence of the presented token; at the end no token may appear in the server log
 * (pino at level trace, captured in memory). Then the per-user publish rate limit.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type EndpointScope, generateToken } from "@wharf/registry";
import {
  closeHttpAgents,
  type HttpAnswer,
  type LoggedRegistry,
  publishRaw,
  registryRequest,
  startLoggedRegistry,
  tinyPublishBody,
} from "./registry-http.js";
import { makeTempHome } from "./run.js";
import { ALL_SCOPES } from "./test-registry.js";
import { makeTestPki, type TestPki } from "./tls.js";

const DAY_MS = 24 * 60 * 60 * 1000;
const CRATE = "mx-owned";
const VERSION = "1.0.0";

const home = makeTempHome("wharf-authz-e2e-");
let pki: TestPki;

/** One registry with an owner, a non-owner and a helper user, and `mx-owned` 1.0.0 published by the owner. */
interface World {
  reg: LoggedRegistry;
  ownerId: number;
  otherId: number;
  ownerAll: string;
  otherAll: string;
  serial: number;
  /** every token sent or created, to search answers and logs for */
  tokens: Set<string>;
}

async function makeWorld(name: string, authRequired: boolean): Promise<World> {
  const reg = await startLoggedRegistry({
    dir: join(home.root, name),
    pki,
    authRequired,
    overrides: {
      rateLimits: { newCrate: { burst: 1000, perHour: 1000 }, newVersion: { burst: 1000, perHour: 1000 } },
    },
  });
  const owner = await reg.addUser("owner");
  const other = await reg.addUser("other");
  await reg.addUser("helper");
  const r = await publishRaw(reg, owner.token, tinyPublishBody(CRATE, VERSION));
  assert.equal(r.status, 200, r.text);
  return {
    reg,
    ownerId: owner.userId,
    otherId: other.userId,
    ownerAll: owner.token,
    otherAll: other.token,
    serial: 0,
    tokens: new Set([reg.adminToken, owner.token, other.token]),
  };
}

interface Target {
  crate: string;
  /** the endpoint scope the request needs, if any */
  scope: EndpointScope | undefined;
}

interface Principal {
  label: string;
  /** whose throwaway token a token-revoke request revokes */
  userId(w: World): number;
  token(w: World, target: Target): Promise<string | undefined>;
}

const ownerToken =
  (scopes: (t: Target) => readonly string[], patterns?: (t: Target) => string[]) =>
  async (w: World, t: Target) =>
    (await w.reg.tokenFor(w.ownerId, { scopes: scopes(t), cratePatterns: patterns?.(t) ?? null })).token;
const owner = (w: World) => w.ownerId;

// the order of the columns in the tables below
const PRINCIPALS: readonly Principal[] = [
  { label: "owner, all scopes", userId: owner, token: async (w) => w.ownerAll },
  {
    label: "owner, only the needed scope",
    userId: owner,
    token: ownerToken((t) => [t.scope ?? "publish-update"]),
  },
  {
    label: "owner, missing the needed scope",
    userId: owner,
    token: ownerToken((t) => ALL_SCOPES.filter((s) => s !== (t.scope ?? "publish-update"))),
  },
  { label: "non-owner, all scopes", userId: (w) => w.otherId, token: async (w) => w.otherAll },
  { label: "admin", userId: (w) => w.reg.adminId, token: async (w) => w.reg.adminToken },
  {
    label: "owner, exact crate pattern",
    userId: owner,
    token: ownerToken(
      () => ALL_SCOPES,
      (t) => [t.crate],
    ),
  },
  {
    label: "owner, `mx-*` crate pattern",
    userId: owner,
    token: ownerToken(
      () => ALL_SCOPES,
      () => ["mx-*"],
    ),
  },
  {
    label: "owner, non-matching crate patterns",
    userId: owner,
    token: ownerToken(
      () => ALL_SCOPES,
      () => ["zz-*", "mx-owned-*", "mx-owne"],
    ),
  },
  {
    label: "owner, expired token",
    userId: owner,
    token: async (w) =>
      (await w.reg.tokenFor(w.ownerId, { expires: 1, now: () => new Date(Date.now() - 3 * DAY_MS) })).token,
  },
  {
    label: "owner, revoked token",
    userId: owner,
    token: async (w) => {
      const t = await w.reg.tokenFor(w.ownerId, {});
      const r = await w.reg.running.data.store.revokeToken({ tokenId: t.id, actor: { kind: "admin-cli" } });
      assert.ok(r.revoked);
      return t.token;
    },
  },
  { label: "malformed token", userId: owner, token: async () => "wharf_not a token; DROP TABLE users" },
  { label: "well-formed unknown token", userId: owner, token: async () => generateToken() },
  { label: "no token", userId: owner, token: async () => undefined },
];

interface Prepared {
  crate: string;
  send(token: string | undefined): Promise<HttpAnswer>;
}

interface Endpoint {
  label: string;
  scope: EndpointScope | undefined;
  prepare(w: World, principal: Principal): Promise<Prepared>;
}

const store = (w: World) => w.reg.running.data.store;
const admin = { kind: "admin-cli" } as const;
const fixed =
  (method: "GET" | "PUT" | "DELETE", path: string, body?: string) =>
  async (w: World): Promise<Prepared> => ({
    crate: CRATE,
    send: (token) => registryRequest(w.reg, method, path, { token, body }),
  });
const owners = JSON.stringify({ users: ["helper"] });

const ENDPOINTS: Record<string, Endpoint> = {
  publishNew: {
    label: "publish a new crate",
    scope: "publish-new",
    prepare: async (w) => {
      w.serial += 1;
      const name = `mx-new-${w.serial}`;
      return { crate: name, send: (token) => publishRaw(w.reg, token, tinyPublishBody(name, "0.1.0")) };
    },
  },
  publishUpdate: {
    label: "publish a new version",
    scope: "publish-update",
    prepare: async (w) => {
      w.serial += 1;
      const body = tinyPublishBody(CRATE, `1.0.${w.serial}`);
      return { crate: CRATE, send: (token) => publishRaw(w.reg, token, body) };
    },
  },
  yank: {
    label: "yank",
    scope: "yank",
    prepare: async (w) => {
      await store(w).setYanked({ crateName: CRATE, version: VERSION, yanked: false, actor: admin });
      return fixed("DELETE", `/api/v1/crates/${CRATE}/${VERSION}/yank`)(w);
    },
  },
  unyank: {
    label: "unyank",
    scope: "yank",
    prepare: async (w) => {
      await store(w).setYanked({ crateName: CRATE, version: VERSION, yanked: true, actor: admin });
      return fixed("PUT", `/api/v1/crates/${CRATE}/${VERSION}/unyank`)(w);
    },
  },
  ownersList: {
    label: "owners list",
    scope: undefined,
    prepare: fixed("GET", `/api/v1/crates/${CRATE}/owners`),
  },
  ownersAdd: {
    label: "owners add",
    scope: "change-owners",
    prepare: async (w) => {
      await store(w).removeOwner({ crateName: CRATE, login: "helper", actor: admin });
      return fixed("PUT", `/api/v1/crates/${CRATE}/owners`, owners)(w);
    },
  },
  ownersRemove: {
    label: "owners remove",
    scope: "change-owners",
    prepare: async (w) => {
      await store(w).addOwner({ crateName: CRATE, login: "helper", actor: admin });
      return fixed("DELETE", `/api/v1/crates/${CRATE}/owners`, owners)(w);
    },
  },
  index: { label: "index file", scope: undefined, prepare: fixed("GET", `/index/mx/-o/${CRATE}`) },
  download: {
    label: "download",
    scope: undefined,
    prepare: fixed("GET", `/api/v1/crates/${CRATE}/${VERSION}/download`),
  },
  search: { label: "search", scope: undefined, prepare: fixed("GET", "/api/v1/crates?q=mx") },
  tokensList: { label: "list my tokens", scope: undefined, prepare: fixed("GET", "/api/v1/me/tokens") },
  tokensCreate: {
    label: "create a token",
    scope: undefined,
    prepare: async (w) => {
      w.serial += 1;
      return fixed(
        "PUT",
        "/api/v1/me/tokens",
        JSON.stringify({ api_token: { name: `made-${w.serial}` } }),
      )(w);
    },
  },
  tokensRevoke: {
    label: "revoke my token",
    scope: undefined,
    prepare: async (w, principal) => {
      const victim = await w.reg.tokenFor(principal.userId(w), {});
      w.tokens.add(victim.token);
      return fixed("DELETE", `/api/v1/me/tokens/${victim.id}`)(w);
    },
  },
};

// Columns: owner all | owner needed | owner missing | non-owner | admin | exact | prefix |
// non-matching | expired | revoked | malformed | unknown | none
const WRITE = [200, 200, 403, 403, 200, 200, 200, 403, 401, 401, 401, 401, 401];
const PUBLIC_READ = [200, 200, 200, 200, 200, 200, 200, 200, 401, 401, 401, 401, 200];
const PRIVATE_READ = [200, 200, 200, 200, 200, 200, 200, 200, 401, 401, 401, 401, 401];
const ME = [200, 200, 200, 200, 200, 200, 200, 200, 401, 401, 401, 401, 401];

const PUBLIC_MATRIX: [Endpoint, readonly number[]][] = [
  // anyone may create a crate: owning is not a question yet, only scope and pattern are
  [ENDPOINTS.publishNew!, [200, 200, 403, 200, 200, 200, 200, 403, 401, 401, 401, 401, 401]],
  [ENDPOINTS.publishUpdate!, WRITE],
  [ENDPOINTS.yank!, WRITE],
  [ENDPOINTS.unyank!, WRITE],
  [ENDPOINTS.ownersList!, PUBLIC_READ],
  [ENDPOINTS.ownersAdd!, WRITE],
  [ENDPOINTS.ownersRemove!, WRITE],
  [ENDPOINTS.index!, PUBLIC_READ],
  [ENDPOINTS.download!, PUBLIC_READ],
  [ENDPOINTS.search!, PUBLIC_READ],
  [ENDPOINTS.tokensList!, ME],
  [ENDPOINTS.tokensCreate!, ME],
  [ENDPOINTS.tokensRevoke!, [204, 204, 204, 204, 204, 204, 204, 204, 401, 401, 401, 401, 401]],
];

const PRIVATE_MATRIX: [Endpoint, readonly number[]][] = [
  [ENDPOINTS.ownersList!, PRIVATE_READ],
  [ENDPOINTS.index!, PRIVATE_READ],
  [ENDPOINTS.download!, PRIVATE_READ],
  [ENDPOINTS.search!, PRIVATE_READ],
];

function checkAnswer(
  w: World,
  r: HttpAnswer,
  expected: number,
  token: string | undefined,
  what: string,
): void {
  assert.equal(r.status, expected, `${what}: expected ${expected}, got ${r.status}: ${r.text.slice(0, 300)}`);
  if (token !== undefined && token.length > 0) {
    assert.ok(!r.text.includes(token), `${what}: the presented token is in the answer`);
    for (const [k, v] of Object.entries(r.headers)) {
      assert.ok(!String(v).includes(token), `${what}: the presented token is in header ${k}`);
    }
  }
  if (expected === 401) {
    assert.match(
      String(r.headers["www-authenticate"]),
      /^Cargo login_url="https:\/\/127\.0\.0\.1:\d+\/me"$/,
      what,
    );
  } else {
    assert.equal(r.headers["www-authenticate"], undefined, `${what}: WWW-Authenticate on a ${r.status}`);
  }
  if (expected >= 400) {
    const body = JSON.parse(r.text) as { errors?: { detail?: unknown }[] };
    assert.ok(
      Array.isArray(body.errors) && body.errors.length === 1,
      `${what}: not cargo's error JSON: ${r.text}`,
    );
    const detail = body.errors[0]?.detail;
    assert.ok(typeof detail === "string" && detail.length > 0, `${what}: empty error detail`);
  }
  if (expected === 200 && r.headers["content-type"]?.toString().startsWith("application/json")) {
    const body = JSON.parse(r.text) as { api_token?: { token?: unknown } };
    if (typeof body.api_token?.token === "string") w.tokens.add(body.api_token.token);
  }
}

function matrixTests(name: string, authRequired: boolean, matrix: [Endpoint, readonly number[]][]): void {
  describe(`authorization matrix, ${name} registry`, () => {
    let w: World;
    before(async () => {
      w = await makeWorld(name, authRequired);
    });
    after(async () => {
      await w?.reg.close();
    });
    for (const [endpoint, statuses] of matrix) {
      assert.equal(statuses.length, PRINCIPALS.length, endpoint.label);
      PRINCIPALS.forEach((principal, i) => {
        const expected = statuses[i]!;
        const what = `${endpoint.label} as ${principal.label}`;
        test(`${what} -> ${expected}`, async () => {
          const prepared = await endpoint.prepare(w, principal);
          const token = await principal.token(w, { crate: prepared.crate, scope: endpoint.scope });
          if (token !== undefined) w.tokens.add(token);
          const r = await prepared.send(token);
          checkAnswer(w, r, expected, token, what);
        });
      });
    }
    test("no token appears in the server log (pino at trace level)", () => {
      const logs = w.reg.logs();
      assert.ok(logs.includes("/api/v1/crates/new"), `the trace log is empty: ${logs.slice(0, 2000)}`);
      assert.ok(w.tokens.size > matrix.length, "tokens were collected");
      for (const token of w.tokens) {
        // the secret part as well: only the `wharf_xxxx` display prefix may ever be shown
        assert.ok(!logs.includes(token.slice(10)), `a token (${token.slice(0, 10)}...) is in the server log`);
      }
    });
  });
}

before(() => {
  pki = makeTestPki(join(home.root, "pki"));
});
after(async () => {
  await closeHttpAgents();
  home.cleanup();
});

matrixTests("public", false, PUBLIC_MATRIX);
matrixTests("auth-required", true, PRIVATE_MATRIX);

describe("answers that must not leak whether a crate exists", () => {
  let w: World;
  before(async () => {
    w = await makeWorld("not-found", true);
  });
  after(async () => {
    await w?.reg.close();
  });
  const cases: [string, "GET" | "PUT" | "DELETE", string, "owner" | "none", number][] = [
    ["yank of a missing crate", "DELETE", "/api/v1/crates/mx-missing/1.0.0/yank", "owner", 404],
    ["yank of a missing version", "DELETE", `/api/v1/crates/${CRATE}/9.9.9/yank`, "owner", 404],
    ["owners of a missing crate", "GET", "/api/v1/crates/mx-missing/owners", "owner", 404],
    ["index file of a missing crate", "GET", "/index/mx/-m/mx-missing", "owner", 404],
    ["download of a missing version", "GET", `/api/v1/crates/${CRATE}/9.9.9/download`, "owner", 404],
    ["yank of a missing crate, no token", "DELETE", "/api/v1/crates/mx-missing/1.0.0/yank", "none", 401],
    ["index file of a missing crate, no token", "GET", "/index/mx/-m/mx-missing", "none", 401],
    ["download of a missing crate, no token", "GET", "/api/v1/crates/mx-missing/1.0.0/download", "none", 401],
  ];
  for (const [what, method, path, who, expected] of cases) {
    test(`${what} -> ${expected}`, async () => {
      const token = who === "owner" ? w.ownerAll : undefined;
      checkAnswer(w, await registryRequest(w.reg, method, path, { token }), expected, token, what);
    });
  }
});

describe("tokens made through the API never hold more than the token that made them", () => {
  let w: World;
  before(async () => {
    w = await makeWorld("token-widening", false);
  });
  after(async () => {
    await w?.reg.close();
  });
  const create = async (token: string, spec: Record<string, unknown>) =>
    registryRequest(w.reg, "PUT", "/api/v1/me/tokens", { token, body: JSON.stringify({ api_token: spec }) });

  test("a yank-only token cannot create a publish token", async () => {
    const { token } = await w.reg.tokenFor(w.ownerId, { scopes: ["yank"] });
    const r = await create(token, { name: "wider", endpoint_scopes: ["yank", "publish-update"] });
    checkAnswer(w, r, 403, token, "scope widening");
    assert.match(r.text, /publish-update/);
  });

  test("a token limited to `zz-*` cannot create one for every crate, nor for other crates", async () => {
    const { token } = await w.reg.tokenFor(w.ownerId, { cratePatterns: ["zz-*"] });
    const all = await create(token, {
      name: "all-crates",
      endpoint_scopes: ["publish-update"],
      crate_scopes: null,
    });
    const other = await create(token, {
      name: "mx",
      endpoint_scopes: ["publish-update"],
      crate_scopes: ["mx-*"],
    });
    for (const r of [all, other]) {
      // refused, or made as narrow as its maker: either way it cannot publish `mx-owned`
      if (r.status === 200) {
        const made = (JSON.parse(r.text) as { api_token: { token: string } }).api_token.token;
        w.tokens.add(made);
        const p = await publishRaw(w.reg, made, tinyPublishBody(CRATE, "3.0.0"));
        assert.equal(p.status, 403, `a token made by a zz-* token published mx-owned: ${p.text}`);
      } else {
        checkAnswer(w, r, 403, token, "crate pattern widening");
      }
    }
    const omitted = await create(token, { name: "default", endpoint_scopes: ["publish-update"] });
    if (omitted.status === 200) {
      const made = (JSON.parse(omitted.text) as { api_token: { token: string } }).api_token.token;
      const p = await publishRaw(w.reg, made, tinyPublishBody(CRATE, "3.0.1"));
      assert.equal(
        p.status,
        403,
        `a token made by a zz-* token without crate_scopes published mx-owned: ${p.text}`,
      );
    } else {
      checkAnswer(w, omitted, 403, token, "crate pattern widening by default");
    }
  });
});

describe("per-user publish rate limits", () => {
  let reg: LoggedRegistry;
  before(async () => {
    reg = await startLoggedRegistry({
      dir: join(home.root, "rate-limit"),
      pki,
      overrides: {
        rateLimits: { newCrate: { burst: 2, perHour: 1 }, newVersion: { burst: 30, perHour: 120 } },
      },
    });
  });
  after(async () => {
    await reg?.close();
  });

  test("the third new crate in a burst of 2 is refused with 429 and Retry-After; new versions still go", async () => {
    const user = await reg.addUser("busy");
    for (const name of ["rl-one", "rl-two"]) {
      const r = await publishRaw(reg, user.token, tinyPublishBody(name, "0.1.0"));
      assert.equal(r.status, 200, `${name}: ${r.text}`);
    }
    const third = await publishRaw(reg, user.token, tinyPublishBody("rl-three", "0.1.0"));
    assert.equal(third.status, 429, third.text);
    const retryAfter = Number(third.headers["retry-after"]);
    assert.ok(
      Number.isInteger(retryAfter) && retryAfter > 0 && retryAfter <= 3600,
      `Retry-After: ${retryAfter}`,
    );
    const body = JSON.parse(third.text) as { errors: { detail: string }[] };
    assert.match(body.errors[0]!.detail, /too many new crates/);
    assert.ok(!third.text.includes(user.token));
    assert.equal(await reg.running.data.store.findCrate("rl-three"), undefined);

    const update = await publishRaw(reg, user.token, tinyPublishBody("rl-one", "0.2.0"));
    assert.equal(update.status, 200, update.text);
    // the limit is per user: someone else may still create a crate
    const other = await reg.addUser("calm");
    const r = await publishRaw(reg, other.token, tinyPublishBody("rl-three", "0.1.0"));
    assert.equal(r.status, 200, r.text);
  });
});
