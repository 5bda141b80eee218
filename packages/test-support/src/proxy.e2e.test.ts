/**
 * HTTPS through a CONNECT proxy, end to end: a real Wharf registry over HTTPS behind a tiny
 * loopback CONNECT proxy (connect-proxy.ts). The built wharf CLI resolves and fetches through
 * it (HTTPS_PROXY, http.proxy), the proxy only ever sees tunnels, the registry's certificate
 * is still checked against its CA inside the tunnel, NO_PROXY bypasses it, and a proxy that
 * refuses CONNECT or wants credentials gives a clear error. Real cargo through the same
 * proxy writes the same Cargo.lock.
 */
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { importCrates } from "@wharf/registry";
import { type CargoRegistryClient, cargoRegistryEnv } from "./cargo-client.js";
import { type ConnectProxy, startConnectProxy } from "./connect-proxy.js";
import { CORPUS_DIR } from "./corpus-registry.js";
import { writeTree } from "./project.js";
import { makeTempHome, type RunResult, WHARF_BIN } from "./run.js";
import { runAsync } from "./run-async.js";
import { startTestRegistry, type TestRegistry } from "./test-registry.js";
import { makeTestPki } from "./tls.js";

const home = makeTempHome("wharf-proxy-e2e-");
let registry: TestRegistry;
let client: CargoRegistryClient;
let registryHost: string;
const app = join(home.root, "app");
const proxies: ConnectProxy[] = [];
let homes = 0;

before(async () => {
  registry = await startTestRegistry({ dir: join(home.root, "registry") });
  const report = await importCrates({
    data: registry.running.data,
    paths: [join(CORPUS_DIR, "itoa-1.0.1"), join(CORPUS_DIR, "hex-0.4.3")],
    now: () => new Date(),
  });
  assert.equal(report.outcomes.filter((o) => o.result === "imported").length, 2);
  registryHost = new URL(registry.url).host;
  client = cargoRegistryEnv({
    home,
    caCertPath: registry.pki.ca.caCertPath,
    registryName: "wharf",
    indexUrl: registry.indexUrl,
    replaceCratesIo: true,
  });
  writeTree(app, {
    "Cargo.toml": `[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n[dependencies]\nitoa = "1"\nhex = "0.4"\n`,
    "src/main.rs": "fn main() {}\n",
  });
});
after(async () => {
  await Promise.all(proxies.map((p) => p.close()));
  await registry?.close();
  home.cleanup();
});

async function proxy(options: Parameters<typeof startConnectProxy>[0] = {}): Promise<ConnectProxy> {
  const p = await startConnectProxy(options);
  proxies.push(p);
  return p;
}

function freshWharfHome(): string {
  const dir = join(home.root, `wharf-home-${homes++}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

function wharf(
  args: string[],
  env: Record<string, string>,
  wharfHome = freshWharfHome(),
): Promise<RunResult> {
  rmSync(join(app, "Cargo.lock"), { force: true });
  return runAsync(process.execPath, [WHARF_BIN, "-v", ...args], {
    cwd: app,
    env: { ...client.env, WHARF_HOME: wharfHome, ...env },
    timeoutMs: 120_000,
  });
}

describe("wharf through an HTTPS (CONNECT) proxy", () => {
  test("HTTPS_PROXY: generate-lockfile and fetch go through tunnels to the registry only", async () => {
    const p = await proxy();
    const wh = freshWharfHome();
    const gen = await wharf(["generate-lockfile"], { HTTPS_PROXY: p.url }, wh);
    assert.equal(gen.status, 0, gen.stderr);
    const afterGen = p.tunnels;
    assert.ok(afterGen >= 1, "the proxy saw the tunnel");
    const fetch = await runAsync(process.execPath, [WHARF_BIN, "fetch"], {
      cwd: app,
      env: { ...client.env, WHARF_HOME: wh, HTTPS_PROXY: p.url },
      timeoutMs: 120_000,
    });
    assert.equal(fetch.status, 0, fetch.stderr);
    assert.match(fetch.stderr, /Downloaded 2 crates/);
    assert.ok(p.tunnels > afterGen, "fetch tunnelled too");
    assert.deepEqual(new Set(p.targets), new Set([registryHost]), "every tunnel went to the registry");
  });

  test("http.proxy from --config works the same, and wins over HTTPS_PROXY", async () => {
    const used = await proxy();
    const ignored = await proxy();
    const r = await wharf(["--config", `http.proxy=${JSON.stringify(used.url)}`, "generate-lockfile"], {
      HTTPS_PROXY: ignored.url,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(used.tunnels >= 1);
    assert.equal(ignored.tunnels, 0);
  });

  test("NO_PROXY exempts the registry host", async () => {
    const p = await proxy();
    const r = await wharf(["generate-lockfile"], { HTTPS_PROXY: p.url, NO_PROXY: "localhost,127.0.0.1" });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(p.tunnels, 0);
    assert.equal(p.targets.length, 0);
  });

  test("TLS stays end to end: the registry certificate is checked against the CA inside the tunnel", async () => {
    const p = await proxy();
    const other = makeTestPki(join(home.root, "other-pki"));
    const r = await wharf(["generate-lockfile"], {
      HTTPS_PROXY: p.url,
      CARGO_HTTP_CAINFO: other.ca.caCertPath,
    });
    assert.notEqual(r.status, 0);
    assert.ok(p.tunnels >= 1, "the tunnel was opened");
    assert.match(
      r.stderr,
      /TLS certificate of https:\/\/127\.0\.0\.1:\d+\/index\/config\.json was not accepted/,
    );
  });

  test("a proxy that refuses CONNECT gives a clear error naming the proxy and where it was set", async () => {
    const p = await proxy({ refuseWith: 403 });
    const r = await wharf(["generate-lockfile"], { HTTPS_PROXY: p.url });
    assert.notEqual(r.status, 0);
    assert.ok(
      r.stderr.includes(
        `proxy http://127.0.0.1:${p.port} refused to open a tunnel to ${registryHost}: CONNECT answered HTTP 403`,
      ),
      r.stderr,
    );
    assert.match(r.stderr, /HTTPS_PROXY/);
    assert.match(r.stderr, /NO_PROXY=127\.0\.0\.1/);
  });

  test("a proxy that is not listening fails with the proxy named", async () => {
    const dead = await proxy();
    await dead.close();
    const r = await wharf(["generate-lockfile"], { HTTPS_PROXY: dead.url });
    assert.notEqual(r.status, 0);
    assert.match(
      r.stderr,
      new RegExp(`through proxy http://127\\.0\\.0\\.1:${dead.port}: connect ECONNREFUSED`),
    );
    assert.match(r.stderr, /the proxy is set by environment variable `HTTPS_PROXY`/);
  });

  test("proxy credentials come from the URL, are sent as Proxy-Authorization, and are never printed", async () => {
    const password = "pw-7c1d9e44b2";
    const p = await proxy({ requireAuth: `alice:${password}` });
    const withAuth = `http://alice:${password}@127.0.0.1:${p.port}`;
    const ok = await wharf(["generate-lockfile"], { HTTPS_PROXY: withAuth });
    assert.equal(ok.status, 0, ok.stderr);
    assert.ok(p.tunnels >= 1);
    assert.ok(!(ok.stdout + ok.stderr).includes(password), ok.stderr);
    assert.match(
      ok.stderr,
      /alice:<redacted>@127\.0\.0\.1/,
      "the cleartext-credentials warning shows no password",
    );
    const missing = await wharf(["generate-lockfile"], { HTTPS_PROXY: p.url });
    assert.notEqual(missing.status, 0);
    assert.match(missing.stderr, /CONNECT answered HTTP 407/);
    assert.match(missing.stderr, /the proxy needs credentials/);
  });

  test("a proxy URL that is not http(s) is refused clearly, with its credentials hidden", async () => {
    const r = await wharf(["generate-lockfile"], {
      HTTPS_PROXY: "socks5://bob:hunter2-secret@127.0.0.1:1080",
    });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /unsupported proxy scheme `socks5`/);
    assert.ok(!r.stderr.includes("hunter2-secret"), r.stderr);
  });

  test("real cargo through the same proxy writes the same Cargo.lock", async () => {
    const p = await proxy();
    const w = await wharf(["generate-lockfile"], { HTTPS_PROXY: p.url });
    assert.equal(w.status, 0, w.stderr);
    const ours = readFileSync(join(app, "Cargo.lock"), "utf8");
    const wharfTunnels = p.tunnels;
    rmSync(join(app, "Cargo.lock"));
    const c = await runAsync("cargo", ["generate-lockfile"], {
      cwd: app,
      env: { ...client.env, HTTPS_PROXY: p.url },
      timeoutMs: 120_000,
    });
    assert.equal(c.status, 0, c.stderr);
    assert.ok(p.tunnels > wharfTunnels, "cargo used the proxy too");
    assert.equal(ours, readFileSync(join(app, "Cargo.lock"), "utf8"));
  });
});
