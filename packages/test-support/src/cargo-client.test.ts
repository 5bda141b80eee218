import assert from "node:assert/strict";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  cargoPackage,
  cargoRegistryConfigToml,
  cargoRegistryEnv,
  loopbackSparseIndexUrl,
  type PackagedCrate,
  registryTokenEnvVar,
  sparseIndexPath,
} from "./cargo-client.js";
import { makeTempHome, type RunResult } from "./run.js";
import { runAsync } from "./run-async.js";
import { makeTestPki, type TestPki } from "./tls.js";

const CRATE = "wharf-fixture-leaf";
const VERSION = "0.1.0";
const TOKEN = "wharf-test-token-0123456789";

interface SeenRequest {
  path: string;
  authorization: string | undefined;
}

interface StaticSparseRegistry {
  url: string;
  seen: SeenRequest[];
  close(): Promise<void>;
}

/**
 * A tiny sparse registry: config.json, one index file, one .crate, nothing else. With
 * `authRequired` every request without the token gets 401, as a private registry would.
 */
async function serveSparse(
  pki: TestPki,
  crate: PackagedCrate,
  options: { authRequired: boolean },
): Promise<StaticSparseRegistry> {
  const seen: SeenRequest[] = [];
  const files = new Map<string, Buffer>();
  const server: Server = createServer({ cert: pki.server.cert, key: pki.server.key }, (req, res) => {
    const path = new URL(req.url ?? "/", "https://127.0.0.1").pathname;
    seen.push({ path, authorization: req.headers.authorization });
    if (options.authRequired && req.headers.authorization !== TOKEN) {
      res.writeHead(401, { "content-type": "text/plain", "www-authenticate": 'Cargo login_url="https://x"' });
      res.end("unauthorized\n");
      return;
    }
    const body = files.get(path);
    if (body === undefined) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found\n");
      return;
    }
    res.writeHead(200, { "content-length": body.length });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config: Record<string, unknown> = { dl: `${url}/dl`, api: url };
  if (options.authRequired) config["auth-required"] = true;
  files.set("/index/config.json", Buffer.from(JSON.stringify(config)));
  const line = {
    name: CRATE,
    vers: VERSION,
    deps: [],
    cksum: crate.cksum,
    features: {},
    yanked: false,
  };
  files.set(`/index/${sparseIndexPath(CRATE)}`, Buffer.from(`${JSON.stringify(line)}\n`));
  files.set(`/dl/${CRATE}/${VERSION}/download`, crate.bytes);
  return {
    url,
    seen,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function writeProject(dir: string, dependency: string): void {
  mkdirSync(join(dir, "src"), { recursive: true });
  writeFileSync(
    join(dir, "Cargo.toml"),
    `[package]\nname = "consumer"\nversion = "0.0.0"\nedition = "2021"\n\n[dependencies]\n${dependency}\n`,
  );
  writeFileSync(join(dir, "src", "main.rs"), "fn main() {}\n");
}

function cargo(args: readonly string[], cwd: string, env: Record<string, string>): Promise<RunResult> {
  // async: the registry runs in this process, so cargo must not block the event loop
  return runAsync("cargo", args, { cwd, env, timeoutMs: 120_000 });
}

function cachedCrates(cargoHome: string): string[] {
  const cache = join(cargoHome, "registry", "cache");
  if (!existsSync(cache)) return [];
  return readdirSync(cache).flatMap((d) => readdirSync(join(cache, d)).map((f) => join(cache, d, f)));
}

describe("cargo-client helpers", () => {
  it("names index paths as cargo does", () => {
    assert.equal(sparseIndexPath("a"), "1/a");
    assert.equal(sparseIndexPath("ab"), "2/ab");
    assert.equal(sparseIndexPath("abc"), "3/a/abc");
    assert.equal(sparseIndexPath("Serde_JSON"), "se/rd/serde_json");
    assert.throws(() => sparseIndexPath("../x"));
  });

  it("accepts only https on loopback", () => {
    assert.equal(
      loopbackSparseIndexUrl("https://127.0.0.1:8443/index"),
      "sparse+https://127.0.0.1:8443/index/",
    );
    assert.equal(loopbackSparseIndexUrl("sparse+https://localhost:1/"), "sparse+https://localhost:1/");
    assert.equal(loopbackSparseIndexUrl("https://[::1]:9/i/"), "sparse+https://[::1]:9/i/");
    assert.throws(() => loopbackSparseIndexUrl("http://127.0.0.1:8443/index/"), /https/);
    assert.throws(() => loopbackSparseIndexUrl("https://example.com/index/"), /loopback/);
    assert.throws(() => loopbackSparseIndexUrl("https://user:pw@127.0.0.1/"), /credentials/);
  });

  it("writes the token only to the environment", () => {
    const sb = makeTempHome("wharf-cargo-client-");
    try {
      const client = cargoRegistryEnv({
        home: sb,
        caCertPath: "/nonexistent/ca.pem",
        registryName: "wharf-test",
        indexUrl: "https://127.0.0.1:1/index/",
        token: TOKEN,
        replaceCratesIo: true,
      });
      assert.equal(client.tokenEnvVar, "CARGO_REGISTRIES_WHARF_TEST_TOKEN");
      assert.equal(client.env[registryTokenEnvVar("wharf-test")], TOKEN);
      assert.equal(client.env.CARGO_HOME, sb.cargoHome);
      assert.equal(client.env.HOME, sb.home);
      assert.equal(client.env.RUSTUP_AUTO_INSTALL, "0");
      const text = readFileSync(client.configPath, "utf8");
      assert.ok(!text.includes(TOKEN));
      assert.match(text, /\[registries\.wharf-test\]\nindex = "sparse\+https:\/\/127\.0\.0\.1:1\/index\/"/);
      assert.match(text, /credential-provider = "cargo:token"/);
      assert.match(text, /\[source\.crates-io\]\nreplace-with = "wharf-test"/);
      assert.match(text, /\[net\]\nretry = 0/);
      const noAuth = cargoRegistryConfigToml({
        caCertPath: "/ca.pem",
        registryName: "r",
        indexUrl: "sparse+https://127.0.0.1:1/",
        authRequired: false,
      });
      assert.ok(!noAuth.includes("credential-provider ="));
      assert.throws(
        () =>
          cargoRegistryEnv({
            home: sb,
            caCertPath: "/ca.pem",
            registryName: "a]b",
            indexUrl: "https://127.0.0.1/",
          }),
        /invalid registry name/,
      );
    } finally {
      sb.cleanup();
    }
  });
});

describe("real cargo against a static sparse registry over HTTPS with a test CA", () => {
  let root: string;
  let pki: TestPki;
  let crate: PackagedCrate;

  before(() => {
    root = mkdtempSync(join(tmpdir(), "wharf-cargo-client-"));
    pki = makeTestPki(join(root, "pki"));
    const fixture = join(root, "fixture");
    mkdirSync(join(fixture, "src"), { recursive: true });
    writeFileSync(
      join(fixture, "Cargo.toml"),
      `[package]\nname = "${CRATE}"\nversion = "${VERSION}"\nedition = "2021"\n` +
        `description = "fixture for wharf tests"\nlicense = "MIT"\n`,
    );
    writeFileSync(join(fixture, "src", "lib.rs"), "pub fn leaf() -> u32 { 42 }\n");
    const sb = makeTempHome("wharf-package-");
    try {
      crate = cargoPackage({ dir: fixture, env: sb.env, name: CRATE, version: VERSION });
    } finally {
      sb.cleanup();
    }
  });

  after(() => rmSync(root, { recursive: true, force: true }));

  it("resolves and fetches a `registry =` dependency", async () => {
    const registry = await serveSparse(pki, crate, { authRequired: false });
    const sb = makeTempHome("wharf-cargo-client-");
    try {
      const client = cargoRegistryEnv({
        home: sb,
        caCertPath: pki.ca.caCertPath,
        registryName: "wharf-test",
        indexUrl: `${registry.url}/index/`,
      });
      const project = join(sb.root, "consumer");
      writeProject(project, `${CRATE} = { version = "0.1", registry = "wharf-test" }`);
      const lock = await cargo(["generate-lockfile"], project, client.env);
      assert.equal(lock.status, 0, lock.stderr);
      const lockText = readFileSync(join(project, "Cargo.lock"), "utf8");
      assert.ok(lockText.includes(`source = "${client.indexUrl}"`), lockText);
      assert.ok(lockText.includes(`checksum = "${crate.cksum}"`), lockText);
      const fetch = await cargo(["fetch"], project, client.env);
      assert.equal(fetch.status, 0, fetch.stderr);
      const cached = cachedCrates(sb.cargoHome);
      assert.equal(cached.length, 1, cached.join("\n"));
      assert.deepEqual(readFileSync(cached[0]!), crate.bytes);
      const paths = registry.seen.map((r) => r.path);
      assert.ok(paths.includes("/index/config.json"));
      assert.ok(paths.includes(`/index/${sparseIndexPath(CRATE)}`));
      assert.ok(paths.includes(`/dl/${CRATE}/${VERSION}/download`));
    } finally {
      sb.cleanup();
      await registry.close();
    }
  });

  it("with replace-with, a plain dependency resolves from the registry", async () => {
    const registry = await serveSparse(pki, crate, { authRequired: false });
    const sb = makeTempHome("wharf-cargo-client-");
    try {
      const client = cargoRegistryEnv({
        home: sb,
        caCertPath: pki.ca.caCertPath,
        registryName: "wharf-test",
        indexUrl: `${registry.url}/index/`,
        replaceCratesIo: true,
      });
      const project = join(sb.root, "consumer");
      writeProject(project, `${CRATE} = "0.1"`);
      const fetch = await cargo(["fetch"], project, client.env);
      assert.equal(fetch.status, 0, fetch.stderr);
      assert.equal(cachedCrates(sb.cargoHome).length, 1);
      assert.ok(registry.seen.some((r) => r.path === `/dl/${CRATE}/${VERSION}/download`));
    } finally {
      sb.cleanup();
      await registry.close();
    }
  });

  it("sends the token to an auth-required registry, and fails cleanly without one", async () => {
    const registry = await serveSparse(pki, crate, { authRequired: true });
    const sb = makeTempHome("wharf-cargo-client-");
    try {
      const base = {
        home: sb,
        caCertPath: pki.ca.caCertPath,
        registryName: "wharf-test",
        indexUrl: `${registry.url}/index/`,
      };
      const project = join(sb.root, "consumer");
      writeProject(project, `${CRATE} = { version = "0.1", registry = "wharf-test" }`);
      const without = await cargo(["generate-lockfile"], project, cargoRegistryEnv(base).env);
      assert.notEqual(without.status, 0);
      assert.match(without.stderr, /no token found for `wharf-test`/);

      const client = cargoRegistryEnv({ ...base, token: TOKEN, authRequired: true });
      const fetch = await cargo(["fetch"], project, client.env);
      assert.equal(fetch.status, 0, fetch.stderr);
      assert.ok(!fetch.stderr.includes(TOKEN), "cargo must not print the token");
      const download = registry.seen.filter((r) => r.path === `/dl/${CRATE}/${VERSION}/download`);
      assert.ok(download.length > 0 && download.every((r) => r.authorization === TOKEN));
    } finally {
      sb.cleanup();
      await registry.close();
    }
  });

  it("refuses the registry when cargo trusts only an unrelated CA", async () => {
    const registry = await serveSparse(pki, crate, { authRequired: false });
    const sb = makeTempHome("wharf-cargo-client-");
    try {
      const client = cargoRegistryEnv({
        home: sb,
        caCertPath: pki.otherCa.caCertPath,
        registryName: "wharf-test",
        indexUrl: `${registry.url}/index/`,
      });
      const project = join(sb.root, "consumer");
      writeProject(project, `${CRATE} = { version = "0.1", registry = "wharf-test" }`);
      const r = await cargo(["generate-lockfile"], project, client.env);
      assert.notEqual(r.status, 0);
      assert.match(r.stderr, /SSL certificate problem/);
      assert.equal(cachedCrates(sb.cargoHome).length, 0);
    } finally {
      sb.cleanup();
      await registry.close();
    }
  });
});
