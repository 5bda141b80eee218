/**
 * Registry credentials end to end: a private (auth-required) Wharf registry over HTTPS, and
 * the built wharf CLI running generate-lockfile and fetch with each way of giving the token
 * (WHARF_/CARGO_ env vars, WHARF_HOME and CARGO_HOME credentials files, an external provider
 * speaking cargo's credential protocol, cargo:token-from-stdout), failing clearly without
 * one, with a wrong one, or with a group-readable file, and never printing the token, even
 * with -v. Real cargo with the same token writes the same Cargo.lock.
 */
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { importCrates } from "@wharf/registry";
import { type CargoRegistryClient, cargoRegistryEnv } from "./cargo-client.js";
import { CORPUS_DIR } from "./corpus-registry.js";
import { writeTree } from "./project.js";
import { makeTempHome, type RunResult, WHARF_BIN } from "./run.js";
import { runAsync } from "./run-async.js";
import { startTestRegistry, type TestRegistry } from "./test-registry.js";

const home = makeTempHome("wharf-cred-e2e-");
let registry: TestRegistry;
let client: CargoRegistryClient;
let token: string;
const app = join(home.root, "app");
const scripts = join(home.root, "scripts");
let homes = 0;

before(async () => {
  registry = await startTestRegistry({ dir: join(home.root, "registry"), authRequired: true });
  const report = await importCrates({
    data: registry.running.data,
    paths: [join(CORPUS_DIR, "itoa-1.0.1"), join(CORPUS_DIR, "hex-0.4.3")],
    now: () => new Date(),
  });
  assert.equal(report.outcomes.filter((o) => o.result === "imported").length, 2);
  token = (await registry.addUser("reader")).token;
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
  mkdirSync(scripts, { recursive: true });
});
after(async () => {
  await registry?.close();
  home.cleanup();
});

/** A fresh WHARF_HOME (so fetch really downloads), optionally holding a credentials file. */
function freshWharfHome(credentials?: { text: string; mode: number }): string {
  const dir = join(home.root, `wharf-home-${homes++}`);
  mkdirSync(dir, { recursive: true });
  if (credentials) {
    writeFileSync(join(dir, "credentials.toml"), credentials.text);
    chmodSync(join(dir, "credentials.toml"), credentials.mode);
  }
  return dir;
}

function wharf(args: string[], env: Record<string, string>, wharfHome: string): Promise<RunResult> {
  return runAsync(process.execPath, [WHARF_BIN, "-v", ...args], {
    cwd: app,
    env: { ...client.env, WHARF_HOME: wharfHome, ...env },
    timeoutMs: 120_000,
  });
}

/** Neither the token nor its random part (a shape-based redaction would hide only the whole) shows. */
function assertNoToken(r: RunResult, secret: string): void {
  const printed = r.stdout + r.stderr;
  assert.ok(!printed.includes(secret), `token printed:\n${printed}`);
  const tail = secret.replace(/^wharf_/, "");
  assert.ok(!printed.includes(tail), `token body printed:\n${printed}`);
}

/** generate-lockfile then fetch into an empty cache; both must succeed without printing the token. */
async function lockAndFetch(
  env: Record<string, string>,
  wharfHome: string,
  extra: string[] = [],
): Promise<void> {
  rmSync(join(app, "Cargo.lock"), { force: true });
  const gen = await wharf([...extra, "generate-lockfile"], env, wharfHome);
  assert.equal(gen.status, 0, gen.stderr);
  assert.match(readFileSync(join(app, "Cargo.lock"), "utf8"), /name = "itoa"/);
  assertNoToken(gen, token);
  const fetch = await wharf([...extra, "fetch"], env, wharfHome);
  assert.equal(fetch.status, 0, fetch.stderr);
  assert.match(fetch.stderr, /Downloaded 2 crates/);
  assertNoToken(fetch, token);
}

function executable(name: string, body: string): string {
  const path = join(scripts, name);
  writeFileSync(path, `#!${process.execPath}\n${body}`);
  chmodSync(path, 0o755);
  return path;
}

describe("a private Wharf registry", () => {
  test("the registry really requires the token (config.json says auth-required, the index answers 401)", async () => {
    const r = await wharf(["generate-lockfile"], {}, freshWharfHome());
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /no token found for registry `wharf`/);
    assert.match(r.stderr, /WHARF_REGISTRIES_WHARF_TOKEN or CARGO_REGISTRIES_WHARF_TOKEN/);
    assert.match(r.stderr, /cargo login --registry wharf/);
    assert.match(r.stderr, /credentials\.toml \(mode 0600\)/);
  });

  test("fetch without a token fails the same clear way", async () => {
    const wh = freshWharfHome();
    const ok = await wharf(["generate-lockfile"], { WHARF_REGISTRIES_WHARF_TOKEN: token }, wh);
    assert.equal(ok.status, 0, ok.stderr);
    const r = await wharf(["fetch"], {}, freshWharfHome());
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /no token found for registry `wharf`/);
  });

  test("WHARF_REGISTRIES_WHARF_TOKEN", async () => {
    await lockAndFetch({ WHARF_REGISTRIES_WHARF_TOKEN: token }, freshWharfHome());
  });

  test("CARGO_REGISTRIES_WHARF_TOKEN, and the WHARF_ variable overrides it", async () => {
    await lockAndFetch({ CARGO_REGISTRIES_WHARF_TOKEN: token }, freshWharfHome());
    await lockAndFetch(
      { CARGO_REGISTRIES_WHARF_TOKEN: "wrong-token-from-cargo-env", WHARF_REGISTRIES_WHARF_TOKEN: token },
      freshWharfHome(),
    );
  });

  test("WHARF_HOME/credentials.toml (0600)", async () => {
    const text = `[registries.wharf]\ntoken = ${JSON.stringify(token)}\n`;
    await lockAndFetch({}, freshWharfHome({ text, mode: 0o600 }));
  });

  test("cargo's CARGO_HOME/credentials.toml (0600)", async () => {
    const path = join(client.cargoHome, "credentials.toml");
    writeFileSync(path, `[registries.wharf]\ntoken = ${JSON.stringify(token)}\n`);
    chmodSync(path, 0o600);
    try {
      await lockAndFetch({}, freshWharfHome());
    } finally {
      rmSync(path);
    }
  });

  test("an external provider speaking cargo's credential protocol", async () => {
    const tokenFile = join(scripts, "provider-token");
    writeFileSync(tokenFile, token, { mode: 0o600 });
    const log = join(scripts, "provider-requests.log");
    const provider = executable(
      "provider.mjs",
      `import { appendFileSync, readFileSync } from "node:fs";
import { createInterface } from "node:readline";
process.stdout.write('{"v":[1]}\\n');
for await (const line of createInterface({ input: process.stdin })) {
  appendFileSync(${JSON.stringify(log)}, JSON.stringify({ argv: process.argv.slice(2), request: JSON.parse(line) }) + "\\n");
  const token = readFileSync(${JSON.stringify(tokenFile)}, "utf8");
  process.stdout.write(JSON.stringify({ Ok: { kind: "get", token, cache: "session", operation_independent: true } }) + "\\n");
}
`,
    );
    await lockAndFetch({}, freshWharfHome(), [
      "--config",
      `registries.wharf.credential-provider=${JSON.stringify(provider)}`,
    ]);
    const requests = readFileSync(log, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    assert.ok(requests.length >= 1);
    for (const r of requests) {
      assert.deepEqual(r.argv, ["--cargo-plugin"], "the token never travels on argv");
      assert.equal(r.request.kind, "get");
      assert.equal(r.request.operation, "read");
      assert.equal(r.request.registry.name, "wharf");
      assert.equal(r.request.registry["index-url"], client.indexUrl);
    }
    assert.equal(requests.length, 2, "cache: session means once per wharf run (two runs)");
  });

  test("cargo:token-from-stdout", async () => {
    const tokenFile = join(scripts, "stdout-token");
    writeFileSync(tokenFile, token, { mode: 0o600 });
    const printer = executable(
      "print-token.mjs",
      `import { readFileSync } from "node:fs";\nprocess.stdout.write(readFileSync(${JSON.stringify(tokenFile)}, "utf8") + "\\n");\n`,
    );
    await lockAndFetch({}, freshWharfHome(), [
      "--config",
      // a string, as config.toml has one (cargo refuses to merge a string with an array)
      `registries.wharf.credential-provider=${JSON.stringify(`cargo:token-from-stdout ${printer}`)}`,
    ]);
  });

  test("a wrong token is reported as rejected for the registry, without showing it", async () => {
    const wrong = "plain-wrong-token-5e1f0c2a9b";
    const r = await wharf(["generate-lockfile"], { WHARF_REGISTRIES_WHARF_TOKEN: wrong }, freshWharfHome());
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /token rejected for registry `wharf`/);
    assertNoToken(r, wrong);
  });

  test("a group-readable credentials file is refused, naming the file and chmod 600", async () => {
    const text = `[registries.wharf]\ntoken = ${JSON.stringify(token)}\n`;
    const wh = freshWharfHome({ text, mode: 0o644 });
    const r = await wharf(["generate-lockfile"], {}, wh);
    assert.notEqual(r.status, 0);
    const file = join(wh, "credentials.toml");
    assert.ok(r.stderr.includes(`refusing to read credentials file \`${file}\``), r.stderr);
    assert.ok(r.stderr.includes(`chmod 600 ${file}`), r.stderr);
    assertNoToken(r, token);
  });

  test("real cargo with the same token writes the same Cargo.lock", async () => {
    rmSync(join(app, "Cargo.lock"), { force: true });
    const w = await wharf(["generate-lockfile"], { CARGO_REGISTRIES_WHARF_TOKEN: token }, freshWharfHome());
    assert.equal(w.status, 0, w.stderr);
    const ours = readFileSync(join(app, "Cargo.lock"), "utf8");
    rmSync(join(app, "Cargo.lock"));
    const c = await runAsync("cargo", ["generate-lockfile"], {
      cwd: app,
      env: { ...client.env, CARGO_REGISTRIES_WHARF_TOKEN: token },
      timeoutMs: 120_000,
    });
    assert.equal(c.status, 0, c.stderr);
    assert.equal(ours, readFileSync(join(app, "Cargo.lock"), "utf8"));
  });
});
