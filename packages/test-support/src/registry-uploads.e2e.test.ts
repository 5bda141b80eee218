/**
 * Hostile and broken uploads sent as raw HTTP to PUT /api/v1/crates/new with a valid admin
 * token: every crafted .crate, lying length fields, oversized bodies, bad metadata, bad and
 * colliding names, versions that exist or were deleted, tarballs that disagree with their
 * metadata, dependencies the registry cannot satisfy. Every refusal must be a 4xx with
 * cargo's error JSON naming the problem, and must leave the storage exactly as it was: no
 * blob file, no row, no audit entry, no index change. The server stays up throughout.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { Readable } from "node:stream";
import { after, before, describe, test } from "node:test";
import { encodePublishBody, type PublishMetadata } from "@wharf/protocol";
import { HOSTILE_CRATE_NAME, HOSTILE_CRATE_VERSION, HOSTILE_CRATES } from "./hostile-crates.js";
import {
  closeHttpAgents,
  frameBody,
  type HttpAnswer,
  publishRaw,
  type RegistryHandle,
  registryRequest,
  snapshotStorage,
  tinyCrate,
  tinyDependency,
  tinyMetadata,
  tinyPublishBody,
} from "./registry-http.js";
import { makeTempHome } from "./run.js";
import { startTestRegistry, type TestRegistry } from "./test-registry.js";

const home = makeTempHome("wharf-uploads-e2e-");
const RATE = { newCrate: { burst: 10_000, perHour: 10_000 }, newVersion: { burst: 10_000, perHour: 10_000 } };
const enc = new TextEncoder();

let reg: TestRegistry;

/** Crates whose index files every refusal must leave untouched. */
const WATCHED = ["foo_bar", "dep-here", "gone-ver", "gone-crate", "liar", HOSTILE_CRATE_NAME, "nul", "std"];

async function indexFiles(r: RegistryHandle): Promise<Record<string, string | undefined>> {
  const out: Record<string, string | undefined> = {};
  for (const name of WATCHED) out[name] = (await r.running.data.store.indexFile(name))?.content;
  return out;
}

function errorDetail(r: HttpAnswer): string {
  const body = JSON.parse(r.text) as { errors?: { detail?: unknown }[] };
  assert.ok(Array.isArray(body.errors) && body.errors.length === 1, `not cargo's error JSON: ${r.text}`);
  const detail = body.errors[0]?.detail;
  assert.ok(typeof detail === "string" && detail.length > 0, `empty error detail: ${r.text}`);
  return detail;
}

/** Sends the body, expects a 4xx naming the problem, and checks nothing was stored. */
async function mustRefuse(
  r: RegistryHandle & { adminToken: string },
  body: Uint8Array,
  problem: RegExp,
  status?: number,
): Promise<string> {
  const before = await snapshotStorage(r);
  const indexBefore = await indexFiles(r);
  const answer = await publishRaw(r, r.adminToken, body);
  assert.ok(
    answer.status >= 400 && answer.status < 500,
    `expected a 4xx, got ${answer.status}: ${answer.text}`,
  );
  if (status !== undefined) assert.equal(answer.status, status, answer.text);
  const detail = errorDetail(answer);
  assert.match(detail, problem);
  assert.ok(!answer.text.includes(r.adminToken));
  assert.deepEqual(await snapshotStorage(r), before, `the refused upload stored something (${detail})`);
  assert.deepEqual(await indexFiles(r), indexBefore, "the refused upload changed an index file");
  return detail;
}

async function mustPublish(body: Uint8Array): Promise<{ warnings: { other: string[] } }> {
  const r = await publishRaw(reg, reg.adminToken, body);
  assert.equal(r.status, 200, r.text);
  return JSON.parse(r.text) as { warnings: { other: string[] } };
}

function withMeta(meta: PublishMetadata): Uint8Array {
  return encodePublishBody(meta, tinyCrate(meta.name, meta.vers));
}

before(async () => {
  reg = await startTestRegistry({ dir: join(home.root, "main"), overrides: { rateLimits: RATE } });
  await mustPublish(tinyPublishBody("foo_bar", "0.1.0"));
  await mustPublish(tinyPublishBody("dep-here", "0.1.0"));
  await mustPublish(tinyPublishBody("gone-ver", "0.1.0"));
  await mustPublish(tinyPublishBody("gone-ver", "0.2.0"));
  await mustPublish(tinyPublishBody("gone-crate", "0.1.0"));
  const store = reg.running.data.store;
  const actor = { kind: "admin-cli" } as const;
  await store.deleteVersion({ crateName: "gone-ver", version: "0.1.0", actor, reason: "test takedown" });
  await store.deleteCrate({ crateName: "gone-crate", actor, reason: "test takedown" });
});
after(async () => {
  await reg?.close();
  await closeHttpAgents();
  home.cleanup();
});

describe("crafted .crate files in otherwise valid bodies", () => {
  for (const hostile of HOSTILE_CRATES) {
    test(`${hostile.name} (${hostile.expectedCode})`, async () => {
      const body = encodePublishBody(tinyMetadata(HOSTILE_CRATE_NAME, HOSTILE_CRATE_VERSION), hostile.bytes);
      const detail = await mustRefuse(reg, body, /./, 400);
      assert.doesNotMatch(detail, /internal server error/);
    });
  }
});

describe("lying length fields", () => {
  const json = () => enc.encode(JSON.stringify(tinyMetadata("liar", "0.1.0")));
  const crate = () => tinyCrate("liar", "0.1.0");
  const cases: [string, () => Uint8Array, RegExp][] = [
    [
      "json length larger than the JSON",
      () => frameBody({ json: json(), crate: crate(), jsonLength: json().length + 7 }),
      /invalid publish request body/,
    ],
    [
      "json length smaller than the JSON",
      () => frameBody({ json: json(), crate: crate(), jsonLength: json().length - 7 }),
      /invalid publish request body/,
    ],
    [
      "json length past the end of the body",
      () => frameBody({ json: json(), crate: crate(), jsonLength: 900_000 }),
      /metadata is declared as 900000 bytes/,
    ],
    [
      "json length of 4 GiB",
      () => frameBody({ json: json(), crate: crate(), jsonLength: 0xffffffff }),
      /metadata is declared as 4294967295 bytes/,
    ],
    [
      "crate length larger than the bytes sent",
      () => frameBody({ json: json(), crate: crate(), crateLength: crate().length + 100 }),
      /declared as \d+ bytes but only \d+ are present/,
    ],
    [
      "crate length smaller than the bytes sent",
      () => frameBody({ json: json(), crate: crate(), crateLength: crate().length - 100 }),
      /bytes follow the \.crate/,
    ],
    [
      "trailing bytes after the .crate",
      () => frameBody({ json: json(), crate: crate(), trailing: enc.encode("extra") }),
      /5 bytes follow the \.crate/,
    ],
    [
      "crate length of 4 GiB",
      () => frameBody({ json: json(), crate: crate(), crateLength: 0xffffffff }),
      /declared as 4294967295 bytes/,
    ],
    ["a 3-byte body", () => new Uint8Array([1, 0, 0]), /too short/],
    ["an empty body", () => new Uint8Array(), /too short/],
    [
      "a body that ends inside the crate length",
      () => frameBody({ json: json(), crate: new Uint8Array() }).subarray(0, 4 + json().length + 2),
      /invalid publish request body/,
    ],
  ];
  for (const [what, body, problem] of cases) {
    test(what, async () => {
      await mustRefuse(reg, body(), problem);
    });
  }
});

describe("metadata that is not what cargo sends", () => {
  const crate = () => tinyCrate("liar", "0.1.0");
  const good = () => tinyMetadata("liar", "0.1.0") as unknown as Record<string, unknown>;
  const without = (key: string) => {
    const m = good();
    delete m[key];
    return JSON.stringify(m);
  };
  const cases: [string, string, RegExp][] = [
    ["not JSON", "{name: liar", /not valid UTF-8 JSON/],
    ["not UTF-8", "\u0000", /./],
    ["a JSON array", "[]", /./],
    ["JSON null", "null", /./],
    ["version as a number", JSON.stringify({ ...good(), vers: 1 }), /vers/],
    ["name as a number", JSON.stringify({ ...good(), name: 7 }), /name/],
    ["deps as a string", JSON.stringify({ ...good(), deps: "none" }), /deps/],
    ["features as a list", JSON.stringify({ ...good(), features: ["a"] }), /features/],
    ["keywords as a string", JSON.stringify({ ...good(), keywords: "fast" }), /keywords/],
    [
      "a dependency without a version requirement",
      JSON.stringify({ ...good(), deps: [{ name: "dep-here" }] }),
      /deps/,
    ],
    ["missing name", without("name"), /name/],
    ["missing vers", without("vers"), /vers/],
    ["missing deps", without("deps"), /deps/],
  ];
  for (const [what, json, problem] of cases) {
    test(what, async () => {
      const bytes = what === "not UTF-8" ? new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]) : enc.encode(json);
      await mustRefuse(reg, frameBody({ json: bytes, crate: crate() }), problem, 400);
    });
  }
});

describe("bad crate names", () => {
  const cases: [string, string, RegExp][] = [
    ["empty", "", /empty/],
    ["leading digit", "1abc", /first character/],
    ["leading dash", "-abc", /first character/],
    ["non-ASCII", "föo", /invalid character `ö`/],
    ["Cyrillic look-alike", "rаnd", /invalid character/],
    ["too long", `a${"b".repeat(64)}`, /too long/],
    ["`..`", "..", /invalid character `\.`/],
    ["a path", "foo/bar", /invalid character `\/`/],
    ["a space", "foo bar", /invalid character ` `/],
    ["Windows device name `nul`", "nul", /reserved/],
    ["Windows device name `CON`", "CON", /reserved/],
    ["Windows device name `com1`", "com1", /reserved/],
    ["the standard library `std`", "std", /reserved/],
    ["the standard library `core`", "core", /reserved/],
  ];
  for (const [what, name, problem] of cases) {
    test(`${what}: ${JSON.stringify(name)}`, async () => {
      await mustRefuse(
        reg,
        encodePublishBody(tinyMetadata(name, "0.1.0"), tinyCrate("liar", "0.1.0")),
        problem,
        400,
      );
    });
  }
});

describe("names and versions that collide with what is stored", () => {
  const cases: [string, () => Uint8Array, RegExp, number][] = [
    [
      "`Foo-Bar` after `foo_bar`",
      () => tinyPublishBody("Foo-Bar", "0.2.0"),
      /collides with the existing crate `foo_bar`/,
      409,
    ],
    ["`foo-bar` after `foo_bar`", () => tinyPublishBody("foo-bar", "0.2.0"), /`foo_bar`/, 409],
    [
      "`FOO_BAR` after `foo_bar`, same version",
      () => tinyPublishBody("FOO_BAR", "0.1.0"),
      /`foo_bar`|already uploaded/,
      409,
    ],
    ["an existing version", () => tinyPublishBody("foo_bar", "0.1.0"), /already uploaded/, 409],
    [
      "a version differing only in build metadata",
      () => tinyPublishBody("foo_bar", "0.1.0+build.5"),
      /build metadata|already uploaded/,
      409,
    ],
    ["a deleted version", () => tinyPublishBody("gone-ver", "0.1.0"), /deleted/, 409],
    [
      "a deleted version with build metadata",
      () => tinyPublishBody("gone-ver", "0.1.0+again"),
      /deleted/,
      409,
    ],
    ["a new version of a deleted crate", () => tinyPublishBody("gone-crate", "0.3.0"), /deleted/, 409],
    ["a deleted crate under another spelling", () => tinyPublishBody("Gone_Crate", "0.1.0"), /deleted/, 409],
    [
      "a non-semver version",
      () => encodePublishBody(tinyMetadata("liar", "1.0"), tinyCrate("liar", "1.0")),
      /version/,
      400,
    ],
    [
      "a version with a leading zero",
      () => encodePublishBody(tinyMetadata("liar", "01.0.0"), tinyCrate("liar", "01.0.0")),
      /version/,
      400,
    ],
  ];
  for (const [what, body, problem, status] of cases) {
    test(what, async () => {
      await mustRefuse(reg, body(), problem, status);
    });
  }
});

describe("tarballs that disagree with their metadata", () => {
  test("Cargo.toml names another crate", async () => {
    const body = encodePublishBody(
      tinyMetadata("liar", "0.1.0"),
      tinyCrate("liar", "0.1.0", { name: "honest" }),
    );
    await mustRefuse(reg, body, /names package `honest`/, 400);
  });
  test("Cargo.toml names another version", async () => {
    const body = encodePublishBody(
      tinyMetadata("liar", "0.1.0"),
      tinyCrate("liar", "0.1.0", { version: "0.2.0" }),
    );
    await mustRefuse(reg, body, /version `0\.2\.0`/, 400);
  });
  test("the archive is for another crate", async () => {
    const body = encodePublishBody(tinyMetadata("liar", "0.1.0"), tinyCrate("foo_bar", "0.1.0"));
    await mustRefuse(reg, body, /./, 400);
  });
  test("the archive is for another version", async () => {
    const body = encodePublishBody(tinyMetadata("liar", "0.1.0"), tinyCrate("liar", "0.1.1"));
    await mustRefuse(reg, body, /./, 400);
  });
});

describe("dependencies", () => {
  const other = "https://other.example/index";
  test("a missing normal dependency is refused", async () => {
    await mustRefuse(
      reg,
      withMeta(tinyMetadata("liar", "0.1.0", { deps: [tinyDependency("no-such-crate")] })),
      /no-such-crate/,
      400,
    );
  });
  test("a missing build dependency is refused", async () => {
    const deps = [tinyDependency("no-such-build", { kind: "build" })];
    await mustRefuse(reg, withMeta(tinyMetadata("liar", "0.1.0", { deps })), /no-such-build/, 400);
  });
  test("a normal dependency from a registry that is not allowed is refused", async () => {
    const deps = [tinyDependency("dep-here", { registry: other })];
    await mustRefuse(
      reg,
      withMeta(tinyMetadata("liar", "0.1.0", { deps })),
      /other\.example.*does not allow/,
      400,
    );
  });
  test("a missing optional dependency is accepted with a warning", async () => {
    const deps = [tinyDependency("dep-here"), tinyDependency("no-such-opt", { optional: true })];
    const r = await mustPublish(withMeta(tinyMetadata("dep-opt", "0.1.0", { deps })));
    assert.equal(r.warnings.other.length, 1);
    assert.match(r.warnings.other[0]!, /optional dependency `no-such-opt` does not exist/);
  });
  test("a missing dev-dependency is accepted with a warning", async () => {
    const deps = [tinyDependency("no-such-dev", { kind: "dev" })];
    const r = await mustPublish(withMeta(tinyMetadata("dep-dev", "0.1.0", { deps })));
    assert.match(r.warnings.other.join("\n"), /dev-dependency `no-such-dev` does not exist/);
  });
  test("an optional dependency from a registry that is not allowed only warns", async () => {
    const deps = [tinyDependency("x", { registry: other, optional: true })];
    const r = await mustPublish(withMeta(tinyMetadata("dep-reg-opt", "0.1.0", { deps })));
    assert.match(r.warnings.other.join("\n"), /other\.example/);
  });
  test("a dependency from crates.io (allowed by default) is accepted", async () => {
    const deps = [tinyDependency("serde", { registry: "https://github.com/rust-lang/crates.io-index" })];
    const r = await mustPublish(withMeta(tinyMetadata("dep-cio", "0.1.0", { deps })));
    assert.deepEqual(r.warnings.other, []);
  });
});

describe("oversized bodies (max-crate-bytes 256 KiB)", () => {
  let small: TestRegistry;
  const LIMIT = 256 * 1024;
  before(async () => {
    small = await startTestRegistry({
      dir: join(home.root, "small"),
      overrides: { rateLimits: RATE, maxCrateBytes: LIMIT, maxMetadataBytes: 64 * 1024 },
    });
  });
  after(async () => {
    await small?.close();
  });
  const json = () => enc.encode(JSON.stringify(tinyMetadata("big", "0.1.0")));
  const health = async () => {
    const h = await registryRequest(small, "GET", "/health");
    assert.equal(h.status, 200, "the server is down");
  };
  /** 413, or the server closing the connection; then it must still be up and have stored nothing */
  async function tooLarge(send: () => Promise<HttpAnswer>): Promise<void> {
    const before = await snapshotStorage(small);
    let answer: HttpAnswer | undefined;
    try {
      answer = await send();
    } catch (error) {
      assert.match(String((error as Error).message ?? error), /socket|closed|reset|EPIPE|other side/i);
    }
    if (answer !== undefined) {
      assert.equal(answer.status, 413, answer.text);
      assert.match(errorDetail(answer), /larger than|limit/);
    }
    await health();
    assert.deepEqual(await snapshotStorage(small), before);
  }
  test("a declared crate just over the limit, body read in full", async () => {
    await tooLarge(() =>
      publishRaw(small, small.adminToken, frameBody({ json: json(), crate: new Uint8Array(LIMIT + 1) })),
    );
  });
  test("a 4 MiB body with a Content-Length", async () => {
    await tooLarge(() =>
      publishRaw(
        small,
        small.adminToken,
        frameBody({ json: json(), crate: new Uint8Array(4 * 1024 * 1024) }),
      ),
    );
  });
  test("a 16 MiB body with a Content-Length (over the server's default body limit)", async () => {
    await tooLarge(() =>
      publishRaw(
        small,
        small.adminToken,
        frameBody({ json: json(), crate: new Uint8Array(16 * 1024 * 1024) }),
      ),
    );
  });
  test("a 4 MiB chunked body without a Content-Length", async () => {
    const chunk = new Uint8Array(64 * 1024);
    const stream = Readable.from(
      (function* () {
        for (let i = 0; i < 64; i++) yield chunk;
      })(),
    );
    await tooLarge(() => publishRaw(small, small.adminToken, stream));
  });
  test("a small crate still publishes afterwards", async () => {
    const r = await publishRaw(small, small.adminToken, tinyPublishBody("after-big", "0.1.0"));
    assert.equal(r.status, 200, r.text);
  });
});

describe("the server is healthy after all of it", () => {
  test("a valid publish works, is in the index and downloads", async () => {
    const before = await snapshotStorage(reg);
    await mustPublish(tinyPublishBody("still-fine", "1.0.0"));
    const after = await snapshotStorage(reg);
    assert.equal(after.rows.versions, (before.rows.versions ?? 0) + 1);
    assert.equal(after.rows.audit_log, (before.rows.audit_log ?? 0) + 1);
    assert.equal(after.blobFiles.length, before.blobFiles.length + 1);
    const index = await registryRequest(reg, "GET", "/index/st/il/still-fine");
    assert.equal(index.status, 200);
    assert.match(index.text, /"vers":"1\.0\.0"/);
    const dl = await registryRequest(reg, "GET", "/api/v1/crates/still-fine/1.0.0/download");
    assert.equal(dl.status, 200);
  });
});
