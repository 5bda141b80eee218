import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Agent, request } from "undici";
import { nginxStaticConfig, type StaticServer, startNginxStaticServer } from "./static-server.js";
import { makeTestPki, type TestPki } from "./tls.js";

const hasNginx = spawnSync("nginx", ["-v"], { stdio: "ignore" }).status === 0;

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, "127.0.0.1");
    s.once("connect", () => {
      s.destroy();
      resolve(false);
    });
    s.once("error", () => resolve(true));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("nginx static HTTPS server", { skip: hasNginx ? false : "nginx is not installed" }, () => {
  let dir: string;
  let root: string;
  let pki: TestPki;
  let agent: Agent;
  let server: StaticServer;
  const big = randomBytes(1024 * 1024 + 17);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "wharf-static-"));
    pki = makeTestPki(join(dir, "pki"));
    root = join(dir, "root");
    mkdirSync(join(root, "se", "rd"), { recursive: true });
    writeFileSync(join(root, "config.json"), '{"dl":"https://127.0.0.1/dl"}');
    writeFileSync(join(root, "se", "rd", "serde"), '{"name":"serde","vers":"1.0.0"}\n');
    writeFileSync(join(root, "big.crate"), big);
    agent = new Agent({ connect: { ca: pki.ca.caCert } });
    server = await startNginxStaticServer({
      root,
      certPath: pki.server.certPath,
      keyPath: pki.server.keyPath,
      cpus: "0",
    });
  });

  after(async () => {
    await server?.stop();
    await agent?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("serves files over TLS trusted by the test CA, on 127.0.0.1 only", async () => {
    assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const r = await request(`${server.url}/se/rd/serde`, { dispatcher: agent });
    assert.equal(r.statusCode, 200);
    assert.equal(r.headers["content-type"], "text/plain");
    assert.equal(await r.body.text(), '{"name":"serde","vers":"1.0.0"}\n');
    const cfg = await request(`${server.url}/config.json`, { dispatcher: agent });
    assert.equal(cfg.headers["content-type"], "application/json");
    assert.deepEqual(JSON.parse(await cfg.body.text()), { dl: "https://127.0.0.1/dl" });
    const b = await request(`${server.url}/big.crate`, { dispatcher: agent });
    assert.deepEqual(Buffer.from(await b.body.arrayBuffer()), big);
    assert.match(
      readFileSync(server.configPath, "utf8"),
      new RegExp(`listen 127\\.0\\.0\\.1:${server.port} ssl;`),
    );
  });

  it("answers 404 for missing files and directories, and never lists or escapes root", async () => {
    for (const path of ["/nope", "/se/", "/se/rd", "/../pki/ca/ca.key", "/%2e%2e/pki/ca/ca.key"]) {
      const r = await request(`${server.url}${path}`, { dispatcher: agent });
      const body = await r.body.text();
      assert.ok(r.statusCode === 404 || r.statusCode === 400, `${path}: ${r.statusCode}`);
      assert.ok(!body.includes("PRIVATE KEY"), path);
    }
  });

  it("supports conditional requests as cargo sends them", async () => {
    const first = await request(`${server.url}/se/rd/serde`, { dispatcher: agent });
    await first.body.text();
    const etag = first.headers.etag;
    assert.equal(typeof etag, "string");
    const again = await request(`${server.url}/se/rd/serde`, {
      dispatcher: agent,
      headers: { "if-none-match": String(etag) },
    });
    await again.body.text();
    assert.equal(again.statusCode, 304);
  });

  it("runs pinned to the requested CPU, with its own pid file and error log", () => {
    const status = readFileSync(`/proc/${server.pid}/status`, "utf8");
    assert.match(status, /Cpus_allowed_list:\s*0\n/);
    assert.equal(readFileSync(join(server.prefix, "nginx.pid"), "utf8").trim(), String(server.pid));
    assert.ok(existsSync(server.errorLogPath));
  });

  it("stops: the process is gone and the port refuses connections", async () => {
    const extra = await startNginxStaticServer({
      root,
      certPath: pki.server.certPath,
      keyPath: pki.server.keyPath,
    });
    assert.notEqual(extra.port, server.port);
    const r = await request(`${extra.url}/config.json`, { dispatcher: agent });
    await r.body.text();
    assert.equal(r.statusCode, 200);
    await extra.stop();
    assert.equal(alive(extra.pid), false);
    assert.equal(await refused(extra.port), true);
    assert.equal(existsSync(extra.prefix), false);
    await extra.stop(); // idempotent
  });

  it("reports a clear error when nginx cannot start", async () => {
    await assert.rejects(
      startNginxStaticServer({ root, certPath: pki.server.certPath, keyPath: pki.ca.caKeyPath }),
      /nginx failed to start:[\s\S]*(key|certificate)/i,
    );
    await assert.rejects(
      startNginxStaticServer({
        root,
        certPath: pki.server.certPath,
        keyPath: pki.server.keyPath,
        port: server.port,
      }),
      /Address already in use/,
    );
  });
});

describe("nginxStaticConfig", () => {
  it("refuses values that could change the config's meaning", () => {
    const base = {
      root: "/srv/index",
      certPath: "/c.pem",
      keyPath: "/k.pem",
      prefix: "/tmp/p",
      port: 8443,
      workerProcesses: 1,
      http2: false,
      defaultType: "text/plain",
      accessLog: false,
    };
    assert.match(nginxStaticConfig(base), /root "\/srv\/index";/);
    assert.throws(() => nginxStaticConfig({ ...base, root: '/srv"; include /etc/x; "' }), /refusing/);
    assert.throws(() => nginxStaticConfig({ ...base, root: "/srv/$uri" }), /refusing/);
    assert.throws(() => nginxStaticConfig({ ...base, port: 0 }), /invalid port/);
    assert.match(nginxStaticConfig({ ...base, http2: true }), /listen 127\.0\.0\.1:8443 ssl http2;/);
  });
});
