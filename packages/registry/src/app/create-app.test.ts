/**
 * The HTTP layer on its own, with a stub service (pure routing and framing logic): index
 * paths, conditional GETs, cargo's error JSON, and body limits counted by hand. The real
 * proof (real storage, real cargo over HTTPS) is in the registry's end-to-end tests.
 */
import assert from "node:assert/strict";
import { request } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { after, before, describe, test } from "node:test";
import { ApiError } from "./api-error.js";
import { createRegistryApp, nameFromIndexPath } from "./create-app.js";
import type { RegistryService } from "./service.js";

const modified = new Date("2026-01-02T03:04:05Z");
let published = 0;

const stub: RegistryService = {
  authRequired: false,
  indexConfig: () => ({ dl: "http://x/api/v1/crates", api: "http://x" }),
  indexFile: async (name) =>
    name === "serde" ? { body: '{"name":"serde"}\n', etag: '"abc"', lastModified: modified } : undefined,
  download: async () => ({ stream: Readable.from([Buffer.from("crate")]), size: 5, cksum: "00" }),
  publish: async (body) => {
    published += body.length;
    return { warnings: { invalid_categories: [], invalid_badges: [], other: [] } };
  },
  setYanked: async () => {
    throw new ApiError(401, "NO_TOKEN", "this action requires authentication");
  },
  listOwners: async () => ({ users: [] }),
  changeOwners: async () => "ok",
  search: async () => ({ crates: [], meta: { total: 0 } }),
  crateInfo: async () => undefined,
  versionInfo: async () => undefined,
  listTokens: async () => [],
  createToken: async () => ({}),
  revokeToken: async () => {},
  drain: async () => {},
};

const app = createRegistryApp({ service: stub, limits: { maxPublishBytes: 1000 } });
let port = 0;
before(async () => {
  await app.listen({ host: "127.0.0.1", port: 0 });
  port = (app.server.address() as AddressInfo).port;
});
after(() => app.close());

describe("index paths", () => {
  const cases: [string, string | undefined][] = [
    ["1/a", "a"],
    ["2/ab", "ab"],
    ["3/a/abc", "abc"],
    ["se/rd/serde", "serde"],
    ["se/rd/serde_json", "serde_json"],
    ["3/b/abc", undefined],
    ["xx/rd/serde", undefined],
    ["1/ab", undefined],
    ["2/abc", undefined],
    ["se/rd", undefined],
    ["../etc/passwd", undefined],
  ];
  for (const [path, name] of cases) {
    test(`${path} -> ${name}`, () => assert.equal(nameFromIndexPath(path), name));
  }
});

describe("routes", () => {
  test("index files carry ETag and Last-Modified and answer 304 when unchanged", async () => {
    const first = await app.inject({ method: "GET", url: "/index/se/rd/serde" });
    assert.equal(first.statusCode, 200);
    assert.equal(first.headers.etag, '"abc"');
    assert.equal(first.headers["last-modified"], modified.toUTCString());
    const byEtag = await app.inject({
      method: "GET",
      url: "/index/se/rd/serde",
      headers: { "if-none-match": '"abc"' },
    });
    assert.equal(byEtag.statusCode, 304);
    const byDate = await app.inject({
      method: "GET",
      url: "/index/se/rd/serde",
      headers: { "if-modified-since": modified.toUTCString() },
    });
    assert.equal(byDate.statusCode, 304);
    const stale = await app.inject({
      method: "GET",
      url: "/index/se/rd/serde",
      headers: { "if-none-match": '"old"' },
    });
    assert.equal(stale.statusCode, 200);
  });
  test("unknown crates are 404 with cargo's error JSON", async () => {
    const r = await app.inject({ method: "GET", url: "/index/no/pe/nope" });
    assert.equal(r.statusCode, 404);
    assert.deepEqual(Object.keys(r.json() as object), ["errors"]);
  });
  test("401 answers tell cargo how to log in", async () => {
    const r = await app.inject({ method: "DELETE", url: "/api/v1/crates/serde/1.0.0/yank" });
    assert.equal(r.statusCode, 401);
    assert.match(String(r.headers["www-authenticate"]), /^Cargo login_url=/);
    assert.deepEqual(r.json(), { errors: [{ detail: "this action requires authentication" }] });
  });
  test("a declared Content-Length over the limit is refused before reading", async () => {
    const r = await app.inject({ method: "PUT", url: "/api/v1/crates/new", payload: Buffer.alloc(2000) });
    assert.equal(r.statusCode, 413);
  });
  test("a chunked body that grows past the limit is cut off", async () => {
    const before = published;
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: "127.0.0.1", port, method: "PUT", path: "/api/v1/crates/new" }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", () => resolve(-1));
      for (let i = 0; i < 50; i++) req.write(Buffer.alloc(100));
      req.end();
      setTimeout(() => reject(new Error("no answer")), 10_000).unref();
    });
    assert.ok(status === 413 || status === -1, `expected 413 or a cut connection, got ${status}`);
    assert.equal(published, before, "the service must never see an oversized body");
  });
  test("a body within the limit reaches the service", async () => {
    const r = await app.inject({ method: "PUT", url: "/api/v1/crates/new", payload: Buffer.alloc(500) });
    assert.equal(r.statusCode, 200);
  });
});
