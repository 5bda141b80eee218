/**
 * The sparse registry client and the verified cache against real parts: a real Wharf
 * registry over HTTPS with a test CA, loaded with the whole Debian crate corpus; a small
 * misbehaving HTTPS server (fault-server.ts) for what a real registry never does; and the
 * crafted hostile .crate corpus. Nothing is mocked: bytes travel over TLS, land in a real
 * cache directory and are extracted to disk.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, lstat, readdir, readFile, stat, utimes, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { sha256Hex, WharfError } from "@wharf/protocol";
import { importCrates } from "@wharf/registry";
// the client package's index does not re-export these folders yet: import the built files directly
import { removeTree, WharfCache } from "../../wharf/dist/cache/index.js";
import {
  type HttpEvent,
  SparseRegistryClient,
  type SparseRegistryClientOptions,
} from "../../wharf/dist/sources/index.js";
import { type FaultRoute, type FaultServer, startFaultServer } from "./fault-server.js";
import { HOSTILE_CRATE_NAME, HOSTILE_CRATE_VERSION, HOSTILE_CRATES } from "./hostile-crates.js";
import { makeTempHome } from "./run.js";
import { startTestRegistry, type TestRegistry } from "./test-registry.js";

const CORPUS = "/usr/share/cargo/registry";
const home = makeTempHome("wharf-client-e2e-");
let registry: TestRegistry;
let fault: FaultServer;
let imported: { name: string; version: string }[] = [];
let homeCounter = 0;

/** a fresh WHARF_HOME per test, so tests never see each other's cache */
async function freshCache(): Promise<WharfCache> {
  return new WharfCache({ wharfHome: join(home.root, `wharf-home-${++homeCounter}`) }).init();
}

function clientFor(
  cache: WharfCache,
  extra: Partial<SparseRegistryClientOptions> = {},
): { client: SparseRegistryClient; events: HttpEvent[] } {
  const events: HttpEvent[] = [];
  const client = new SparseRegistryClient({
    indexUrl: registry.indexUrl,
    caFile: registry.pki.ca.caCertPath,
    cache,
    onEvent: (e) => events.push(e),
    random: () => 0.5,
    retry: { baseDelayMs: 20, maxDelayMs: 200, maxTotalMs: 20_000, maxRetryAfterMs: 5_000 },
    ...extra,
  });
  return { client, events };
}

/** path -> (type, mode, size, sha256) of everything under root, without following links */
async function snapshot(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (dir: string): Promise<void> => {
    for (const name of (await readdir(dir)).sort()) {
      const path = join(dir, name);
      const st = await lstat(path);
      if (st.isDirectory()) {
        out.set(path, `dir ${st.mode.toString(8)}`);
        await walk(path);
      } else {
        const hash = st.isFile() ? sha256Hex(await readFile(path)) : "-";
        out.set(path, `${st.isFile() ? "file" : "other"} ${st.mode.toString(8)} ${st.size} ${hash}`);
      }
    }
  };
  await walk(root);
  return out;
}

async function withClient<T>(
  cache: WharfCache,
  extra: Partial<SparseRegistryClientOptions>,
  fn: (client: SparseRegistryClient, events: HttpEvent[]) => Promise<T>,
): Promise<T> {
  const { client, events } = clientFor(cache, extra);
  try {
    return await fn(client, events);
  } finally {
    await client.close();
  }
}

function route(body: string | Uint8Array, faults: FaultRoute["faults"] = [], headers = {}): FaultRoute {
  return { body, faults, headers };
}

before(async () => {
  assert.ok(existsSync(CORPUS), `${CORPUS} is missing: run scripts/setup.sh to install the crate corpus`);
  registry = await startTestRegistry({ dir: join(home.root, "registry") });
  const report = await importCrates({ data: registry.running.data, paths: [CORPUS], now: () => new Date() });
  imported = report.outcomes
    .filter((o) => o.result === "imported" && o.name !== undefined && o.version !== undefined)
    .map((o) => ({ name: o.name!, version: o.version! }));
  assert.ok(imported.length > 150, `only ${imported.length} corpus crates imported`);
  // reuses the registry's loopback certificate: no openssl run while the registry serves
  fault = await startFaultServer({
    certPath: registry.pki.server.certPath,
    keyPath: registry.pki.server.keyPath,
  });
});

after(async () => {
  await fault?.close();
  await registry?.close();
  // extracted trees are read-only (0555 dirs): a non-root rm cannot empty them without this
  for (let i = 1; i <= homeCounter; i++) await removeTree(join(home.root, `wharf-home-${i}`));
  home.cleanup();
});

describe("against a real Wharf registry", () => {
  test("config.json names the download and API URLs", async () => {
    await withClient(await freshCache(), {}, async (client) => {
      const config = await client.config();
      assert.equal(config.dl, `${registry.url}/api/v1/crates`);
      assert.equal(config.authRequired, false);
    });
  });

  test("an index file is fetched, cached, then revalidated with a 304", async () => {
    const cache = await freshCache();
    await withClient(cache, {}, async (client, events) => {
      const first = await client.indexFile("serde");
      assert.ok(first !== null && first.lines.length > 0);
      assert.equal(first.source, "network");
      assert.ok(first.lines.every((l) => l.name === "serde"));
      const cached = await cache.indexCache(registry.indexUrl).get("serde");
      assert.ok(cached?.etag, "the ETag is kept for revalidation");

      const second = await client.indexFile("serde");
      assert.equal(second?.source, "revalidated");
      assert.deepEqual(second?.lines, first.lines);
      const statuses = events.filter((e) => e.kind === "response" && e.url.endsWith("/se/rd/serde"));
      assert.deepEqual(
        statuses.map((e) => (e.kind === "response" ? e.status : 0)),
        [200, 304],
      );
    });
  });

  test("an unknown crate is null; the other -/_ spelling is tried once", async () => {
    await withClient(await freshCache(), {}, async (client, events) => {
      assert.equal(await client.indexFile("no-such-crate-here"), null);
      const found = await client.indexFile("clap-derive");
      assert.equal(found?.name, "clap_derive");
      assert.ok(found.lines.length > 0);
      const paths = events.filter((e) => e.kind === "response").map((e) => new URL(e.url).pathname);
      assert.ok(paths.includes("/index/cl/ap/clap-derive") && paths.includes("/index/cl/ap/clap_derive"));
    });
  });

  test("every corpus crate downloads, verifies, extracts read-only and passes verification", async () => {
    const cache = await freshCache();
    await withClient(cache, {}, async (client) => {
      const names = [...new Set(imported.map((c) => c.name))];
      const indexes = await Promise.all(names.map((n) => client.indexFile(n)));
      const lines = indexes.flatMap((f) => f?.lines ?? []);
      assert.equal(lines.length, imported.length);
      const downloads = await Promise.all(lines.map((l) => client.download(l.name, l.vers, l.cksum)));
      for (const d of downloads) assert.equal(d.fromCache, false);
      for (const d of downloads) {
        const ref = { name: d.name, version: d.version, sha256: d.sha256 };
        const extracted = await cache.extractCrate(ref);
        assert.ok(
          extracted.manifest.files.some((f) => f.path === "Cargo.toml"),
          d.name,
        );
        assert.equal((await stat(extracted.dir)).mode & 0o777, 0o555);
        const verified = await new WharfCache({ wharfHome: join(cache.paths.root, "..") }).verifiedSourceDir(
          ref,
        );
        assert.deepEqual(verified.diagnostics, [], `${d.name} ${d.version}`);
      }
      const again = await client.download(lines[0]!.name, lines[0]!.vers, lines[0]!.cksum);
      assert.equal(again.fromCache, true);
    });
  });
});

describe("tampering", () => {
  async function downloadSerde(client: SparseRegistryClient) {
    const index = await client.indexFile("serde");
    const line = index!.lines.at(-1)!;
    return client.download(line.name, line.vers, line.cksum);
  }

  test("a flipped byte in a cached .crate is detected on read and the crate downloaded again", async () => {
    const cache = await freshCache();
    await withClient(cache, {}, async (client) => {
      const d = await downloadSerde(client);
      const bytes = await readFile(d.path);
      bytes[100] = (bytes[100] ?? 0) ^ 0x01;
      await chmod(d.path, 0o600);
      await writeFile(d.path, bytes);
      await assert.rejects(cache.crates.read(d.sha256), { code: "CACHE_CRATE_CORRUPT" });

      await writeFile(d.path, bytes); // planted again; now the client meets it
      const again = await client.download(d.name, d.version, d.sha256);
      assert.equal(again.fromCache, false);
      assert.equal(again.diagnostics[0]?.code, "CACHE_CRATE_CORRUPT");
      assert.equal(sha256Hex(await readFile(again.path)), d.sha256);
    });
  });

  test("an edited source file with its mtime restored is detected and re-extracted with a warning", async () => {
    const cache = await freshCache();
    await withClient(cache, {}, async (client) => {
      const d = await downloadSerde(client);
      const ref = { name: d.name, version: d.version, sha256: d.sha256 };
      const { dir } = await cache.extractCrate(ref);
      const file = join(dir, "src", "lib.rs");
      const original = await readFile(file);
      const before = await stat(file);
      const edited = Buffer.from(original);
      edited[0] = edited[0] === 0x2f ? 0x20 : 0x2f; // same size, different content
      await chmod(file, 0o644);
      await writeFile(file, edited);
      await chmod(file, before.mode & 0o777);
      await utimes(file, before.atime, before.mtime);
      assert.ok(Math.abs((await stat(file)).mtimeMs - before.mtimeMs) < 1, "mtime restored");

      const nextProcess = new WharfCache({ wharfHome: join(cache.paths.root, "..") });
      const verified = await nextProcess.verifiedSourceDir(ref);
      assert.equal(verified.dir, dir);
      assert.equal(verified.diagnostics.length, 1);
      const warning = verified.diagnostics[0]!;
      assert.equal(warning.level, "warning");
      assert.match(warning.message, new RegExp(`serde v${d.version.replaceAll(".", "\\.")}`));
      assert.match(warning.message, /src\/lib\.rs/);
      assert.deepEqual(await readFile(file), original);
    });
  });

  test("an index line naming another crate is refused and not cached", async () => {
    const cache = await freshCache();
    const real = await withClient(cache, {}, (client) => client.indexFile("serde"));
    const line = JSON.stringify({ ...real!.lines[0], name: "serde_derive" });
    fault.setRoute("/swap1/config.json", route(JSON.stringify({ dl: `${fault.url}/swap1/dl` })));
    fault.setRoute("/swap1/se/rd/serde", route(`${line}\n`));
    const other = await freshCache();
    await withClient(other, { indexUrl: `sparse+${fault.url}/swap1/` }, async (client) => {
      await assert.rejects(client.indexFile("serde"), (e: unknown) => {
        assert.ok(e instanceof WharfError);
        assert.equal(e.code, "INDEX_LINE_NAME_MISMATCH");
        assert.match(e.message, /serde_derive/);
        return true;
      });
    });
    assert.equal(await other.indexCache(`sparse+${fault.url}/swap1/`).get("serde"), undefined);
  });

  test("a download whose bytes do not match the index cksum is refused before the cache", async () => {
    const cache = await freshCache();
    const real = await withClient(cache, {}, async (client) => {
      const index = await client.indexFile("hex");
      const l = index!.lines[0]!;
      await client.download(l.name, l.vers, l.cksum);
      return l;
    });
    const crateBytes = await readFile(cache.crates.pathOf(real.cksum));
    const wrong = createHash("sha256").update("not the crate").digest("hex");
    fault.setRoute("/cksum/config.json", route(JSON.stringify({ dl: `${fault.url}/cksum/dl` })));
    fault.setRoute("/cksum/3/h/hex", route(`${JSON.stringify({ ...real, cksum: wrong })}\n`));
    fault.setRoute(`/cksum/dl/hex/${real.vers}/download`, route(crateBytes));
    const other = await freshCache();
    const before = await snapshot(other.paths.root);
    await withClient(other, { indexUrl: `sparse+${fault.url}/cksum/` }, async (client) => {
      const index = await client.indexFile("hex");
      const l = index!.lines[0]!;
      await assert.rejects(client.download(l.name, l.vers, l.cksum), { code: "CRATE_CHECKSUM_MISMATCH" });
    });
    const afterSnap = await snapshot(other.paths.root);
    const added = [...afterSnap.keys()].filter((p) => !before.has(p) && !p.startsWith(other.paths.index));
    assert.deepEqual(added, [], "nothing but the index entry was written");
  });
});

describe("hostile archives", () => {
  test("each crafted .crate is refused at extraction and leaves the cache as it was", async () => {
    const cache = await freshCache();
    const wharfHome = join(cache.paths.root, "..");
    const refs = [];
    for (const hostile of HOSTILE_CRATES) {
      const sha256 = sha256Hex(hostile.bytes);
      await cache.crates.put(hostile.bytes, sha256);
      refs.push({ hostile, ref: { name: HOSTILE_CRATE_NAME, version: HOSTILE_CRATE_VERSION, sha256 } });
    }
    const before = await snapshot(home.root);
    for (const { hostile, ref } of refs) {
      await assert.rejects(cache.extractCrate(ref), (e: unknown) => {
        assert.ok(e instanceof WharfError, hostile.name);
        assert.equal(e.code, hostile.expectedCode, hostile.name);
        return true;
      });
      const v = await cache.verifiedSourceDir(ref).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(
        v instanceof WharfError && v.code === hostile.expectedCode,
        `${hostile.name} via verifiedSourceDir`,
      );
    }
    assert.deepEqual(await snapshot(home.root), before);
    assert.deepEqual(await readdir(cache.paths.src), []);
    assert.ok(existsSync(wharfHome));
  });
});

describe("transport policy", () => {
  test("a plain http registry is refused with a hint", async () => {
    const cache = await freshCache();
    assert.throws(
      () => new SparseRegistryClient({ indexUrl: "sparse+http://crates.example.com/index/", cache }),
      (e: unknown) =>
        e instanceof WharfError &&
        e.code === "REGISTRY_INSECURE_URL" &&
        (e.hint ?? "").includes("sparse+https://crates.example.com/index/"),
    );
    assert.throws(
      () =>
        new SparseRegistryClient({
          indexUrl: "sparse+http://crates.example.com/index/",
          cache,
          allowLoopbackHttp: true,
        }),
      { code: "REGISTRY_INSECURE_URL" },
    );
    assert.throws(() => new SparseRegistryClient({ indexUrl: `sparse+http://127.0.0.1:1/index/`, cache }), {
      code: "REGISTRY_INSECURE_URL",
    });
  });

  test("http on loopback works only with the explicit opt-in", async () => {
    const serdeIndex = (await withClient(await freshCache(), {}, (c) => c.indexFile("serde")))!;
    const body = `${serdeIndex.lines.map((l) => JSON.stringify(l)).join("\n")}\n`;
    const server = createServer((req, res) => {
      if (req.url === "/index/config.json") res.end(JSON.stringify({ dl: "http://127.0.0.1:1/dl" }));
      else if (req.url === "/index/se/rd/serde") res.end(body);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const cache = await freshCache();
      const client = new SparseRegistryClient({
        indexUrl: `sparse+http://127.0.0.1:${port}/index/`,
        cache,
        allowLoopbackHttp: true,
      });
      try {
        const found = await client.indexFile("serde");
        assert.equal(found?.lines.length, serdeIndex.lines.length);
      } finally {
        await client.close();
      }
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  test("a redirect from https to http is refused, even with the loopback opt-in", async () => {
    fault.setRoute("/redir/config.json", {
      status: 302,
      headers: { location: "http://127.0.0.1:1/index/config.json" },
      body: "",
    });
    await withClient(
      await freshCache(),
      { indexUrl: `sparse+${fault.url}/redir/`, allowLoopbackHttp: true },
      async (client) => {
        await assert.rejects(client.config(), { code: "REGISTRY_INSECURE_REDIRECT" });
      },
    );
  });

  test("a certificate from an unknown CA is refused without retrying", async () => {
    await withClient(
      await freshCache(),
      { caFile: registry.pki.otherCa.caCertPath },
      async (client, events) => {
        await assert.rejects(client.config(), (e: unknown) => {
          assert.ok(e instanceof WharfError);
          assert.equal(e.code, "REGISTRY_TLS_ERROR");
          assert.match(e.hint ?? "", /cainfo/);
          return true;
        });
        assert.equal(events.filter((e) => e.kind === "retry").length, 0);
      },
    );
  });
});

describe("faults", () => {
  const config = () => JSON.stringify({ dl: `${fault.url}/f/dl` });
  const fastTimeouts = { connectMs: 2_000, headersMs: 1_000, bodyIdleMs: 300, requestMs: 2_000 };

  function count(path: string): number {
    return fault.requests.filter((r) => r.path === path).length;
  }

  test("dropped connections and 500s are retried until the answer comes", async () => {
    fault.setRoute("/f1/config.json", route(config(), [{ kind: "drop" }, { kind: "status", status: 500 }]));
    await withClient(
      await freshCache(),
      { indexUrl: `sparse+${fault.url}/f1/`, timeouts: fastTimeouts },
      async (client, events) => {
        assert.equal((await client.config()).dl, `${fault.url}/f/dl`);
        assert.equal(count("/f1/config.json"), 3);
        assert.equal(events.filter((e) => e.kind === "retry").length, 2);
      },
    );
  });

  test("a registry that keeps failing gives a clear error after the bounded retries", async () => {
    const errors = Array.from({ length: 10 }, () => ({ kind: "status" as const, status: 503, body: "down" }));
    fault.setRoute("/f2/config.json", route(config(), errors));
    await withClient(
      await freshCache(),
      { indexUrl: `sparse+${fault.url}/f2/`, timeouts: fastTimeouts },
      async (client) => {
        await assert.rejects(client.config(), (e: unknown) => {
          assert.ok(e instanceof WharfError);
          assert.equal(e.code, "REGISTRY_HTTP_ERROR");
          assert.match(e.message, /503: down/);
          assert.match(e.notes.join(" "), /4 attempt/);
          return true;
        });
        assert.equal(count("/f2/config.json"), 4);
      },
    );
  });

  test("429 Retry-After is honoured; a wait beyond the bound fails at once", async () => {
    fault.setRoute(
      "/f3/config.json",
      route(config(), [{ kind: "status", status: 429, headers: { "retry-after": "1" } }]),
    );
    await withClient(
      await freshCache(),
      { indexUrl: `sparse+${fault.url}/f3/`, timeouts: fastTimeouts },
      async (client, events) => {
        await client.config();
        const retry = events.find((e) => e.kind === "retry");
        assert.equal(retry?.kind === "retry" ? retry.delayMs : -1, 1000);
      },
    );
    fault.setRoute(
      "/f4/config.json",
      route(config(), [{ kind: "status", status: 429, headers: { "retry-after": "3600" } }]),
    );
    await withClient(
      await freshCache(),
      { indexUrl: `sparse+${fault.url}/f4/`, timeouts: fastTimeouts },
      async (client) => {
        await assert.rejects(client.config(), (e: unknown) => {
          assert.ok(e instanceof WharfError);
          assert.equal(e.code, "REGISTRY_RATE_LIMITED");
          assert.match(e.message, /3600 s/);
          return true;
        });
        assert.equal(count("/f4/config.json"), 1);
      },
    );
  });

  test("a slow but steady body completes; a stalled or endless trickle fails within the timeouts", async () => {
    const body = config();
    fault.setRoute("/f5/config.json", route(body, [{ kind: "slow", chunkBytes: 8, intervalMs: 20 }]));
    await withClient(
      await freshCache(),
      { indexUrl: `sparse+${fault.url}/f5/`, timeouts: fastTimeouts },
      async (client) => {
        assert.equal((await client.config()).dl, `${fault.url}/f/dl`);
      },
    );

    const stalls = Array.from({ length: 4 }, () => ({ kind: "stall" as const, maxMs: 10_000 }));
    fault.setRoute("/f6/config.json", route(body, stalls));
    await withClient(
      await freshCache(),
      { indexUrl: `sparse+${fault.url}/f6/`, timeouts: fastTimeouts },
      async (client) => {
        await assert.rejects(client.config(), (e: unknown) => {
          assert.ok(e instanceof WharfError);
          assert.equal(e.code, "REGISTRY_NETWORK_ERROR");
          assert.match(e.message, /timeout/i);
          return true;
        });
        assert.equal(count("/f6/config.json"), 4);
      },
    );

    // each chunk arrives within the idle timeout, but the whole request takes too long
    const trickles = Array.from({ length: 4 }, () => ({
      kind: "slow" as const,
      chunkBytes: 1,
      intervalMs: 100,
    }));
    fault.setRoute("/f7/config.json", route(body, trickles));
    await withClient(
      await freshCache(),
      {
        indexUrl: `sparse+${fault.url}/f7/`,
        timeouts: { ...fastTimeouts, requestMs: 500 },
        retry: { maxRetries: 1 },
      },
      async (client) => {
        await assert.rejects(client.config(), { code: "REGISTRY_NETWORK_ERROR" });
        assert.equal(count("/f7/config.json"), 2);
      },
    );
  });

  test("a body above the size bound is refused while it streams", async () => {
    const big = new Uint8Array(64 * 1024);
    const cksum = sha256Hex(big);
    const line = {
      name: "big",
      vers: "1.0.0",
      deps: [],
      cksum,
      features: {},
      yanked: false,
    };
    fault.setRoute(
      "/f8/config.json",
      route(JSON.stringify({ dl: `${fault.url}/f8/dl/{crate}-{version}.crate` })),
    );
    fault.setRoute("/f8/3/b/big", route(`${JSON.stringify(line)}\n`));
    fault.setRoute("/f8/dl/big-1.0.0.crate", route(big));
    const cache = await freshCache();
    await withClient(
      cache,
      { indexUrl: `sparse+${fault.url}/f8/`, maxCrateBytes: 16 * 1024 },
      async (client) => {
        const index = await client.indexFile("big");
        await assert.rejects(client.download("big", "1.0.0", index!.lines[0]!.cksum), {
          code: "REGISTRY_RESPONSE_TOO_LARGE",
        });
        assert.equal(await cache.crates.has(cksum), false);
      },
    );
  });

  test("a token goes only to the registry's origin, not across redirects, and never into an error", async () => {
    // not a known token shape, so only the client's own scrubbing can keep it out of errors
    const token = "plain-registry-secret-7f3a9c";
    // localhost and 127.0.0.1 are different origins on the same test server
    const otherOrigin = fault.url.replace("127.0.0.1", "localhost");
    fault.setRoute(
      "/t/config.json",
      route(JSON.stringify({ dl: `${otherOrigin}/t/dl`, "auth-required": true })),
    );
    const serde = (await withClient(await freshCache(), {}, (c) => c.indexFile("serde")))!;
    const line = serde.lines.at(-1)!;
    const crateCache = await freshCache();
    await withClient(crateCache, {}, (c) => c.download(line.name, line.vers, line.cksum));
    fault.setRoute("/t/se/rd/serde", route(`${JSON.stringify(line)}\n`));
    fault.setRoute(
      `/t/dl/serde/${line.vers}/download`,
      route(await readFile(crateCache.crates.pathOf(line.cksum))),
    );
    fault.setRoute("/t/3/h/hex", {
      status: 302,
      headers: { location: `${otherOrigin}/t/moved/hex` },
      body: "",
    });
    fault.setRoute("/t/moved/hex", route(`${JSON.stringify({ ...line, name: "hex" })}\n`));
    const failing = Array.from({ length: 4 }, () => ({
      kind: "status" as const,
      status: 500,
      body: `you sent ${token}`,
    }));
    fault.setRoute("/t/2/ab", route("", failing));
    await withClient(await freshCache(), { indexUrl: `sparse+${fault.url}/t/`, token }, async (client) => {
      await client.indexFile("serde");
      await client.download(line.name, line.vers, line.cksum);
      assert.equal((await client.indexFile("hex"))?.lines.length, 1);
      const err = await client.indexFile("ab").then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(err instanceof WharfError);
      assert.match(err.message, /you sent <redacted>/);
      const printed = [err.message, err.hint ?? "", ...err.notes, String(err.cause ?? "")].join("\n");
      assert.ok(!printed.includes(token), printed);
    });
    const auth = (path: string) =>
      fault.requests.filter((r) => r.path === path).map((r) => r.headers.authorization);
    assert.deepEqual(auth("/t/se/rd/serde"), [token]);
    assert.deepEqual(auth("/t/3/h/hex"), [token]);
    assert.deepEqual(auth("/t/moved/hex"), [undefined], "no token after a redirect to another origin");
    assert.deepEqual(
      auth(`/t/dl/serde/${line.vers}/download`),
      [undefined],
      "no token to another download origin",
    );
  });

  test("no more requests are in flight than the concurrency bound", async () => {
    const slow = () =>
      Array.from({ length: 1 }, () => ({ kind: "slow" as const, chunkBytes: 64, intervalMs: 30 }));
    const names = Array.from({ length: 24 }, (_, i) => `conc${String(i).padStart(2, "0")}`);
    fault.setRoute("/c/config.json", route(JSON.stringify({ dl: `${fault.url}/c/dl` })));
    for (const name of names) {
      const line = { name, vers: "1.0.0", deps: [], cksum: "a".repeat(64), features: {}, yanked: false };
      fault.setRoute(
        `/c/${name.slice(0, 2)}/${name.slice(2, 4)}/${name}`,
        route(`${JSON.stringify(line)}\n`, slow()),
      );
    }
    fault.resetMaxInFlight();
    await withClient(
      await freshCache(),
      { indexUrl: `sparse+${fault.url}/c/`, maxConcurrency: 4 },
      async (client) => {
        const results = await Promise.all(names.map((n) => client.indexFile(n)));
        assert.ok(results.every((r) => r?.lines.length === 1));
      },
    );
    assert.ok(fault.maxInFlight <= 4, `max in flight was ${fault.maxInFlight}`);
    assert.ok(fault.maxInFlight >= 2, "the requests did overlap");
  });
});
