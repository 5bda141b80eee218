import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Agent, request } from "undici";
import type { RunResult } from "./run.js";
import { runAsync } from "./run-async.js";
import { issueServerCert, makeTestCa, makeTestPki, subjectAltNames, type TestPki } from "./tls.js";

function hasCurl(): boolean {
  const r = spawnSync("curl", ["--version"], { stdio: "ignore" });
  return r.status === 0;
}

/** async: the server under test lives in this process, so the event loop must keep running */
function curl(args: readonly string[]): Promise<RunResult> {
  return runAsync("curl", ["--silent", "--show-error", "--max-time", "10", "--noproxy", "*", ...args], {
    cwd: tmpdir(),
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
    timeoutMs: 20_000,
  });
}

async function get(url: string, ca: string): Promise<string> {
  const agent = new Agent({ connect: { ca } });
  try {
    const res = await request(url, { dispatcher: agent });
    return await res.body.text();
  } finally {
    await agent.close();
  }
}

describe("test TLS material", () => {
  let dir: string;
  let pki: TestPki;
  let server: Server;
  let port: number;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "wharf-tls-"));
    pki = makeTestPki(dir);
    server = createServer({ cert: pki.server.cert, key: pki.server.key }, (_req, res) => {
      res.end("hello over tls\n");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  it("has the extensions a strict client checks", () => {
    const ca = new X509Certificate(pki.ca.caCert);
    const leaf = new X509Certificate(pki.server.cert);
    assert.equal(ca.ca, true);
    assert.equal(leaf.ca, false);
    assert.ok(leaf.checkIssued(ca));
    assert.ok(leaf.verify(ca.publicKey));
    assert.equal(leaf.checkHost("localhost"), "localhost");
    assert.equal(leaf.checkIP("127.0.0.1"), "127.0.0.1");
    assert.equal(leaf.checkIP("::1"), "::1");
    assert.equal(leaf.checkHost("example.com"), undefined);
    assert.deepEqual(leaf.keyUsage, ["1.3.6.1.5.5.7.3.1"]); // serverAuth EKU
    const other = new X509Certificate(pki.otherCa.caCert);
    assert.equal(leaf.checkIssued(other), false);
    assert.notEqual(ca.subject, other.subject);
  });

  it("is trusted by undici given the CA", async () => {
    assert.equal(await get(`https://127.0.0.1:${port}/`, pki.ca.caCert), "hello over tls\n");
  });

  it("is refused by undici given an unrelated CA", async () => {
    await assert.rejects(get(`https://127.0.0.1:${port}/`, pki.otherCa.caCert), (e: unknown) => {
      const code = (e as { code?: string }).code ?? "";
      return /SELF_SIGNED|UNABLE_TO|CERT/i.test(code);
    });
  });

  it("is refused when the name is not in subjectAltName", async () => {
    const agent = new Agent({ connect: { ca: pki.ca.caCert, servername: "not-in-the-cert.test" } });
    try {
      await assert.rejects(request(`https://127.0.0.1:${port}/`, { dispatcher: agent }), (e: unknown) => {
        const code = (e as { code?: string }).code ?? "";
        return code === "ERR_TLS_CERT_ALTNAME_INVALID";
      });
    } finally {
      await agent.close();
    }
  });

  it("curl agrees: trusted with --cacert CA, for the IP and for localhost", {
    skip: !hasCurl(),
  }, async () => {
    const ip = await curl(["--cacert", pki.ca.caCertPath, `https://127.0.0.1:${port}/`]);
    assert.equal(ip.status, 0, ip.stderr);
    assert.equal(ip.stdout, "hello over tls\n");
    const name = await curl([
      "--cacert",
      pki.ca.caCertPath,
      "--resolve",
      `localhost:${port}:127.0.0.1`,
      `https://localhost:${port}/`,
    ]);
    assert.equal(name.status, 0, name.stderr);
  });

  it("curl agrees: refused with the unrelated CA and for a name outside the cert", {
    skip: !hasCurl(),
  }, async () => {
    const wrongCa = await curl(["--cacert", pki.otherCa.caCertPath, `https://127.0.0.1:${port}/`]);
    assert.equal(wrongCa.status, 60, wrongCa.stderr); // CURLE_PEER_FAILED_VERIFICATION
    const wrongName = await curl([
      "--cacert",
      pki.ca.caCertPath,
      "--resolve",
      `wrong.test:${port}:127.0.0.1`,
      `https://wrong.test:${port}/`,
    ]);
    assert.equal(wrongName.status, 60, wrongName.stderr);
  });

  it("issues certificates for custom hosts and rejects odd names", () => {
    const sub = join(dir, "custom");
    const ca = makeTestCa(sub, { name: "ca2" });
    const cert = issueServerCert(ca, sub, { hosts: ["registry.localhost"], name: "reg" });
    assert.equal(new X509Certificate(cert.cert).checkHost("registry.localhost"), "registry.localhost");
    assert.equal(subjectAltNames(["localhost", "::1"]), "DNS:localhost,IP:::1");
    assert.throws(() => subjectAltNames(["a,DNS:evil.com"]), /not a DNS name/);
    assert.throws(() => subjectAltNames([]), /at least one/);
    assert.throws(() => issueServerCert(ca, sub, { name: "../x" }), /invalid file name/);
  });
});
