import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { isWharfError, WharfError } from "@wharf/protocol";
import { loadCargoConfig } from "../config/index.js";
import { Shell } from "../util/shell.js";
import { type CredentialSettings, RegistryCredentials, registryNameFor } from "./credentials.js";
import { readCredentialsFile } from "./credentials-file.js";

const root = mkdtempSync(join(tmpdir(), "wharf-cred-unit-"));
after(() => rmSync(root, { recursive: true, force: true }));
const INDEX = "sparse+https://127.0.0.1:1/index/";
let n = 0;

function dir(): string {
  const d = join(root, `d${n++}`);
  mkdirSync(d, { recursive: true });
  return d;
}

function writeSecret(path: string, text: string, mode = 0o600): string {
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

/** Settings from a real .cargo/config.toml, read the way wharf reads it. */
function settings(toml: string, env: Record<string, string> = {}): CredentialSettings {
  const d = dir();
  const wharfHome = join(d, "wharf");
  const cargoHome = join(d, "cargo");
  mkdirSync(wharfHome);
  mkdirSync(cargoHome);
  mkdirSync(join(d, ".cargo"));
  writeFileSync(join(d, ".cargo", "config.toml"), toml);
  const loaded = loadCargoConfig({ cwd: d, cargoHome, env });
  return { config: loaded.config, env, cwd: d, wharfHome, cargoHome };
}

const q = JSON.stringify;
const WHARF_REG = `[registries.wharf]\nindex = ${q(INDEX)}\n`;

/** A node script made executable, started by its shebang like any provider. */
function script(body: string): string {
  const path = join(dir(), "provider.mjs");
  writeFileSync(path, `#!${process.execPath}\n${body}`);
  chmodSync(path, 0o755);
  return path;
}

describe("credentials files", () => {
  test("a group- or world-readable file is refused with its path and chmod 600", () => {
    const path = writeSecret(join(dir(), "credentials.toml"), '[registries.wharf]\ntoken = "t0k"\n', 0o644);
    assert.throws(
      () => readCredentialsFile(path),
      (e: unknown) =>
        isWharfError(e) &&
        e.code === "CREDENTIALS_FILE_PERMISSIONS" &&
        e.message.includes(path) &&
        e.message.includes("0644") &&
        (e.hint ?? "").includes(`chmod 600 ${path}`),
    );
    chmodSync(path, 0o640);
    assert.throws(() => readCredentialsFile(path), { code: "CREDENTIALS_FILE_PERMISSIONS" });
    chmodSync(path, 0o600);
    assert.equal(readCredentialsFile(path)?.tokens.get("wharf")?.expose(), "t0k");
  });

  test("cargo's layout: [registry] and the legacy top-level token are crates-io", () => {
    const d = dir();
    const a = writeSecret(join(d, "a"), '[registry]\ntoken = "cio"\n[registries.x]\ntoken = "xt"\n');
    assert.equal(readCredentialsFile(a)?.tokens.get("crates-io")?.expose(), "cio");
    assert.equal(readCredentialsFile(a)?.tokens.get("x")?.expose(), "xt");
    const legacy = writeSecret(join(d, "b"), 'token = "old"\n');
    assert.equal(readCredentialsFile(legacy)?.tokens.get("crates-io")?.expose(), "old");
    assert.equal(readCredentialsFile(join(d, "missing")), undefined);
  });

  test("a syntax error names the file and position but never shows the text", () => {
    const path = writeSecret(join(dir(), "credentials.toml"), '[registries.wharf]\ntoken = "s3cret-value\n');
    assert.throws(
      () => readCredentialsFile(path),
      (e: unknown) =>
        isWharfError(e) &&
        e.message.includes(`${path}:2`) &&
        !JSON.stringify([e.message, e.notes, e.hint, String(e.cause)]).includes("s3cret"),
    );
  });
});

describe("cargo:token precedence", () => {
  test("WHARF_ env, then CARGO_ env, then WHARF_HOME, then CARGO_HOME, then config", async () => {
    const env = { WHARF_REGISTRIES_WHARF_TOKEN: "w-env", CARGO_REGISTRIES_WHARF_TOKEN: "c-env" };
    const s = settings(`${WHARF_REG}token = "cfg"\n`, env);
    writeSecret(join(s.wharfHome, "credentials.toml"), '[registries.wharf]\ntoken = "w-file"\n');
    writeSecret(join(s.cargoHome, "credentials.toml"), '[registries.wharf]\ntoken = "c-file"\n');
    const seen: string[] = [];
    const token = (o: Partial<CredentialSettings>) =>
      new RegistryCredentials({ ...s, ...o, onSecret: (t) => seen.push(t) }, { indexUrl: INDEX }).token();
    assert.equal(await token({}), "w-env");
    assert.equal(await token({ env: { CARGO_REGISTRIES_WHARF_TOKEN: "c-env" } }), "c-env");
    assert.equal(await token({ env: {} }), "w-file");
    rmSync(join(s.wharfHome, "credentials.toml"));
    assert.equal(await token({ env: {} }), "c-file");
    // cargo prefers the extension-less legacy file when both exist
    writeSecret(join(s.cargoHome, "credentials"), '[registries.wharf]\ntoken = "c-legacy"\n');
    assert.equal(await token({ env: {} }), "c-legacy");
    rmSync(join(s.cargoHome, "credentials"));
    rmSync(join(s.cargoHome, "credentials.toml"));
    // (the config was loaded with the env variables, which cargo folds into `registries.wharf.token`)
    assert.equal(await token({ env: {} }), "c-env");
    const plain = settings(`${WHARF_REG}token = "cfg"\n`);
    assert.equal(await token({ ...plain, env: {} }), "cfg");
    assert.deepEqual(seen, ["w-env", "c-env", "w-file", "c-file", "c-legacy", "c-env", "cfg"]);
  });

  test("a token found earlier means a later, badly protected file is never read", async () => {
    const s = settings(WHARF_REG);
    writeSecret(join(s.wharfHome, "credentials.toml"), '[registries.wharf]\ntoken = "w-file"\n');
    writeSecret(join(s.cargoHome, "credentials.toml"), '[registries.wharf]\ntoken = "c"\n', 0o644);
    assert.equal(await new RegistryCredentials(s, { indexUrl: INDEX }).token(), "w-file");
    rmSync(join(s.wharfHome, "credentials.toml"));
    await assert.rejects(new RegistryCredentials(s, { indexUrl: INDEX }).token(), {
      code: "CREDENTIALS_FILE_PERMISSIONS",
    });
  });

  test("crates-io reads CARGO_REGISTRY_TOKEN and [registry] token", async () => {
    const cratesIo = "https://github.com/rust-lang/crates.io-index";
    const s = settings("", { CARGO_REGISTRY_TOKEN: "cio-env" });
    assert.equal(await new RegistryCredentials(s, { indexUrl: cratesIo }).token(), "cio-env");
    const s2 = settings("");
    writeSecret(join(s2.cargoHome, "credentials.toml"), '[registry]\ntoken = "cio-file"\n');
    assert.equal(await new RegistryCredentials(s2, { indexUrl: cratesIo }).token(), "cio-file");
  });

  test("no token: the error names the registry, the variables and how to log in", async () => {
    const s = settings(WHARF_REG);
    await assert.rejects(
      new RegistryCredentials(s, { indexUrl: INDEX }).token(),
      (e: unknown) =>
        isWharfError(e) &&
        e.code === "REGISTRY_TOKEN_MISSING" &&
        e.message.includes("`wharf`") &&
        (e.hint ?? "").includes("WHARF_REGISTRIES_WHARF_TOKEN or CARGO_REGISTRIES_WHARF_TOKEN") &&
        (e.hint ?? "").includes("cargo login --registry wharf"),
    );
  });

  test("registry names come from CARGO_REGISTRIES_<NAME>_INDEX before config", () => {
    const s = settings(WHARF_REG, { CARGO_REGISTRIES_MY_REG_INDEX: INDEX });
    assert.equal(registryNameFor(INDEX, s.config, s.env), "my_reg");
    assert.equal(registryNameFor(INDEX, s.config, {}), "wharf");
    assert.equal(registryNameFor("sparse+https://elsewhere/", s.config, {}), undefined);
  });
});

describe("credential providers", () => {
  const requestLog = () => join(dir(), "log.json");

  test("cargo's protocol v1: hello, one get/read request with args, one answer; token never on argv", async () => {
    const log = requestLog();
    const provider = script(`
import { writeFileSync } from "node:fs";
import { createInterface } from "node:readline";
process.stdout.write(JSON.stringify({ v: [1] }) + "\\n");
const rl = createInterface({ input: process.stdin });
for await (const line of rl) {
  writeFileSync(${JSON.stringify(log)}, JSON.stringify({ argv: process.argv.slice(2), request: JSON.parse(line),
    envTokens: Object.keys(process.env).filter((k) => k.endsWith("_TOKEN")) }));
  process.stdout.write(JSON.stringify({ Ok: { kind: "get", token: "from-provider", cache: "session", operation_independent: true } }) + "\\n");
}
`);
    const s = settings(`${WHARF_REG}credential-provider = ${q([provider, "--flag", "two"])}\n`, {
      CARGO_REGISTRIES_OTHER_TOKEN: "other",
      PATH: process.env.PATH ?? "",
    });
    const creds = new RegistryCredentials(s, { indexUrl: INDEX });
    assert.equal(await creds.token(['www-authenticate: Cargo login_url="https://x/me"']), "from-provider");
    assert.equal(await creds.token(), "from-provider", "session cache: the provider runs once");
    const seen = JSON.parse(readFileSync(log, "utf8"));
    assert.deepEqual(seen.argv, ["--cargo-plugin"]);
    assert.deepEqual(seen.request, {
      v: 1,
      registry: {
        "index-url": INDEX,
        name: "wharf",
        headers: ['www-authenticate: Cargo login_url="https://x/me"'],
      },
      kind: "get",
      operation: "read",
      args: ["--flag", "two"],
    });
    assert.deepEqual(seen.envTokens, [], "other registries' tokens are not passed to a provider");
  });

  test("global providers are tried last-first; not-found falls through, other errors stop", async () => {
    const notFound = script(
      `process.stdout.write('{"v":[1]}\\n'); process.stdin.once("data", () => process.stdout.write('{"Err":{"kind":"not-found"}}\\n'));`,
    );
    const failing = script(
      `process.stdout.write('{"v":[1]}\\n'); process.stdin.once("data", () => process.stdout.write(JSON.stringify({Err:{kind:"other",message:"vault is sealed","caused-by":["timeout"]}})+"\\n"));`,
    );
    const s = settings(
      `${WHARF_REG}[registry]\nglobal-credential-providers = ${q(["cargo:token", notFound])}\n`,
      { CARGO_REGISTRIES_WHARF_TOKEN: "env-token" },
    );
    assert.equal(await new RegistryCredentials(s, { indexUrl: INDEX }).token(), "env-token");
    const s2 = settings(
      `${WHARF_REG}[registry]\nglobal-credential-providers = ${q(["cargo:token", failing])}\n`,
    );
    await assert.rejects(
      new RegistryCredentials(s2, { indexUrl: INDEX }).token(),
      (e: unknown) =>
        isWharfError(e) &&
        e.code === "CREDENTIAL_PROVIDER_FAILED" &&
        e.message.includes(failing) &&
        e.message.includes("vault is sealed") &&
        e.notes.includes("caused by: timeout"),
    );
    const s3 = settings(`${WHARF_REG}[registry]\nglobal-credential-providers = ${q([notFound])}\n`);
    await assert.rejects(new RegistryCredentials(s3, { indexUrl: INDEX }).token(), {
      code: "REGISTRY_TOKEN_MISSING",
    });
  });

  test("a provider offering only other protocol versions is refused", async () => {
    const v2 = script(`process.stdout.write('{"v":[2]}\\n'); process.stdin.resume();`);
    const s = settings(`${WHARF_REG}credential-provider = ${q(v2)}\n`);
    await assert.rejects(
      new RegistryCredentials(s, { indexUrl: INDEX }).token(),
      /supports protocol versions \[2\]/,
    );
  });

  test("cargo:token-from-stdout: {index_url} and CARGO_REGISTRY_* reach the command; one line only", async () => {
    const log = requestLog();
    const cmd = script(
      `import { writeFileSync } from "node:fs";
writeFileSync(${JSON.stringify(log)}, JSON.stringify({ argv: process.argv.slice(2), url: process.env.CARGO_REGISTRY_INDEX_URL, name: process.env.CARGO_REGISTRY_NAME_OPT }));
process.stdout.write("stdout-token\\r\\n");`,
    );
    const s = settings(
      `${WHARF_REG}credential-provider = ${q(["cargo:token-from-stdout", cmd, "{index_url}"])}\n`,
    );
    assert.equal(await new RegistryCredentials(s, { indexUrl: INDEX }).token(), "stdout-token");
    assert.deepEqual(JSON.parse(readFileSync(log, "utf8")), { argv: [INDEX], url: INDEX, name: "wharf" });
    const two = script(`process.stdout.write("a\\nb\\n");`);
    const s2 = settings(`${WHARF_REG}credential-provider = ${q(["cargo:token-from-stdout", two])}\n`);
    await assert.rejects(new RegistryCredentials(s2, { indexUrl: INDEX }).token(), /more than one line/);
  });

  test("a token with a line break is refused without being shown", async () => {
    const bad = script(
      `process.stdout.write('{"v":[1]}\\n'); process.stdin.once("data", () => process.stdout.write(JSON.stringify({Ok:{kind:"get",token:"abc\\r\\nX-Evil: 1",cache:"never",operation_independent:true}})+"\\n"));`,
    );
    const s = settings(`${WHARF_REG}credential-provider = ${q(bad)}\n`);
    await assert.rejects(
      new RegistryCredentials(s, { indexUrl: INDEX }).token(),
      (e: unknown) =>
        isWharfError(e) && e.code === "CREDENTIAL_TOKEN_INVALID" && !e.message.includes("X-Evil"),
    );
  });
});

describe("redaction", () => {
  test("a token the credentials found is hidden from every shell line, whatever its shape", async () => {
    const plain = "plainvalue-no-known-shape-4417";
    const s = settings(WHARF_REG, { WHARF_REGISTRIES_WHARF_TOKEN: plain });
    let out = "";
    let err = "";
    const shell = new Shell({
      stdout: { write: (c: string) => (out += c) },
      stderr: { write: (c: string) => (err += c) },
      verbosity: "verbose",
    });
    const creds = new RegistryCredentials({ ...s, onSecret: (t) => shell.addSecret(t) }, { indexUrl: INDEX });
    assert.equal(await creds.token(), plain);
    shell.status("Sending", `Authorization ${plain}`);
    shell.verbose("Debug", plain);
    shell.warn(`the server said ${plain}`);
    shell.note(plain);
    shell.error(new WharfError({ code: "X", message: `failed with ${plain}`, hint: plain, notes: [plain] }));
    shell.out(`{"echo":"${plain}"}\n`);
    assert.ok(!(out + err).includes(plain), out + err);
    assert.equal((err.match(/<redacted>/g) ?? []).length, 7);
  });
});
