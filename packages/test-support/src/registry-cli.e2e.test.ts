/**
 * `wharf registry` as an operator runs it, as child processes of the built CLI: users and
 * tokens (shown once, stored hashed), `serve` over HTTPS, killing the server in the middle
 * of publishes (afterwards every version has its blob and index line, and every publish a
 * client saw succeed is there), graceful shutdown finishing an in-flight publish, token
 * revocation, the audit log, and takedown with a tombstone.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { openRegistryData } from "@wharf/registry";
import { Agent, request } from "undici";
import { tinyPublishBody } from "./registry-http.js";
import { makeTempHome, WHARF_BIN } from "./run.js";
import { runAsync } from "./run-async.js";
import { makeTestPki, type TestPki } from "./tls.js";

const home = makeTempHome("wharf-registry-cli-");
const dataDir = join(home.root, "data");
let pki: TestPki;
let agent: Agent;
let token = "";

before(() => {
  pki = makeTestPki(join(home.root, "pki"));
  agent = new Agent({ connect: { ca: readFileSync(pki.ca.caCertPath) }, keepAliveTimeout: 10 });
});
after(async () => {
  await agent.close();
  home.cleanup();
});

function wharf(args: string[]) {
  return runAsync(process.execPath, [WHARF_BIN, ...args], {
    cwd: home.root,
    env: home.env,
    timeoutMs: 120_000,
  });
}

interface Server {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
}

async function serve(): Promise<Server> {
  const child = spawn(
    process.execPath,
    [
      WHARF_BIN,
      "registry",
      "serve",
      "--data",
      dataDir,
      "--port",
      "0",
      "--tls-cert",
      pki.server.certPath,
      "--tls-key",
      pki.server.keyPath,
      "--log-level",
      "warn",
    ],
    { cwd: home.root, env: home.env, stdio: ["ignore", "pipe", "pipe"] },
  );
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let err = "";
    const timer = setTimeout(() => reject(new Error(`server did not start: ${err}`)), 30_000);
    child.stderr!.on("data", (d: Buffer) => {
      err += d.toString();
      const m = /Listening\s+on (https:\/\/127\.0\.0\.1:\d+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on("exit", () => reject(new Error(`server exited early: ${err}`)));
  });
  child.stdout!.resume();
  return { child, url, exited };
}

const publishBody = tinyPublishBody;

async function publish(server: Server, body: Uint8Array, auth = token): Promise<number> {
  const r = await request(`${server.url}/api/v1/crates/new`, {
    method: "PUT",
    body,
    headers: { authorization: auth },
    dispatcher: agent,
  });
  await r.body.text();
  return r.statusCode;
}

describe("wharf registry, run as an operator would", () => {
  test("user add and token create: the token is printed once, on stdout only", async () => {
    const add = await wharf(["registry", "user", "add", "alice", "--admin", "--data", dataDir]);
    assert.equal(add.status, 0, add.stderr);
    const created = await wharf([
      "registry",
      "token",
      "create",
      "--user",
      "alice",
      "--scope",
      "publish-new,publish-update,yank",
      "--expires",
      "30d",
      "--data",
      dataDir,
    ]);
    assert.equal(created.status, 0, created.stderr);
    token = created.stdout.trim();
    assert.match(token, /^wharf_[A-Za-z0-9]{40}$/);
    assert.ok(!created.stderr.includes(token));
    const listed = await wharf(["registry", "token", "list", "--user", "alice", "--data", dataDir]);
    assert.ok(!listed.stdout.includes(token.slice(10)), "token list must not show the secret");
    const db = readFileSync(join(dataDir, "registry.sqlite"));
    assert.ok(!db.includes(Buffer.from(token)), "the database stores only a hash");
  });

  test("killing the server in the middle of publishes loses nothing a client saw succeed", async () => {
    const acknowledged: string[] = [];
    for (let round = 0; round < 3; round++) {
      const server = await serve();
      const inflight: Promise<void>[] = [];
      for (let i = 0; i < 12; i++) {
        const name = `crash-${round}-${i}`;
        inflight.push(
          publish(server, publishBody(name, "1.0.0")).then(
            (status) => {
              if (status === 200) acknowledged.push(name);
            },
            () => {},
          ),
        );
        if (i === 6) setTimeout(() => server.child.kill("SIGKILL"), 5 + round * 10);
      }
      await Promise.all(inflight);
      await server.exited;
    }
    const data = await openRegistryData(dataDir);
    try {
      for (const name of acknowledged)
        assert.ok(await data.store.getVersion(name, "1.0.0"), `${name} was acknowledged but is missing`);
      for (let round = 0; round < 3; round++) {
        for (let i = 0; i < 12; i++) {
          const v = await data.store.getVersion(`crash-${round}-${i}`, "1.0.0");
          if (!v) continue;
          const blob = await data.blobs.get(v.blobHash);
          assert.ok(blob, `blob of crash-${round}-${i}`);
          assert.equal(createHash("sha256").update(blob).digest("hex"), v.cksum);
          const index = await data.store.indexFile(`crash-${round}-${i}`);
          assert.equal(JSON.parse(index!.content.trim()).cksum, v.cksum);
        }
      }
    } finally {
      await data.close();
    }
  });

  test("SIGTERM lets an in-flight publish finish, then the server exits cleanly", async () => {
    const server = await serve();
    const body = publishBody("graceful", "1.0.0");
    // send half the body, ask the server to stop, then send the rest
    const { Readable } = await import("node:stream");
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const stream = Readable.from(
      (async function* () {
        yield body.subarray(0, 100);
        await gate;
        yield body.subarray(100);
      })(),
    );
    const pending = request(`${server.url}/api/v1/crates/new`, {
      method: "PUT",
      body: stream,
      headers: { authorization: token, "content-length": String(body.length) },
      dispatcher: agent,
    });
    await new Promise((r) => setTimeout(r, 300));
    server.child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 300));
    release();
    const r = await pending;
    const text = await r.body.text();
    assert.equal(r.statusCode, 200, text);
    assert.equal(await server.exited, 0);
  });

  test("revoked tokens stop working; the audit log records who did what", async () => {
    const server = await serve();
    try {
      assert.equal(await publish(server, publishBody("audited", "1.0.0")), 200);
      const list = await wharf(["registry", "token", "list", "--user", "alice", "--data", dataDir]);
      const id = list.stdout.split("\n")[0]!.split("\t")[0]!;
      const revoke = await wharf(["registry", "token", "revoke", id, "--data", dataDir]);
      assert.equal(revoke.status, 0, revoke.stderr);
      assert.equal(await publish(server, publishBody("audited", "1.0.1")), 401);
    } finally {
      server.child.kill("SIGTERM");
      await server.exited;
    }
    const log = await wharf(["registry", "audit-log", "--json", "--data", dataDir]);
    assert.equal(log.status, 0, log.stderr);
    const entries = log.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { action: string; crateName: string | null; remoteAddr: string | null });
    const pub = entries.find((e) => e.action === "publish" && e.crateName === "audited");
    assert.ok(pub, "publish recorded");
    assert.equal(pub.remoteAddr, "127.0.0.1");
    assert.ok(entries.some((e) => e.action === "token-revoke"));
    assert.ok(entries.some((e) => e.action === "token-create"));
    assert.ok(!log.stdout.includes(token));
  });

  test("delete leaves a tombstone: the name can never be published again", async () => {
    const del = await wharf(["registry", "delete", "audited", "--reason", "malware", "--data", dataDir]);
    assert.equal(del.status, 0, del.stderr);
    const created = await wharf([
      "registry",
      "token",
      "create",
      "--user",
      "alice",
      "--scope",
      "publish-new,publish-update",
      "--data",
      dataDir,
    ]);
    const fresh = created.stdout.trim();
    const server = await serve();
    try {
      const r = await request(`${server.url}/api/v1/crates/new`, {
        method: "PUT",
        body: publishBody("audited", "2.0.0"),
        headers: { authorization: fresh },
        dispatcher: agent,
      });
      const text = await r.body.text();
      assert.equal(r.statusCode, 409, text);
      const index = await request(`${server.url}/index/au/di/audited`, { dispatcher: agent });
      await index.body.text();
      assert.equal(index.statusCode, 404);
    } finally {
      server.child.kill("SIGTERM");
      await server.exited;
    }
  });
});
