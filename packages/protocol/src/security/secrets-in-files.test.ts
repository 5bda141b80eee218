/**
 * The packaged-file secret scan: planted secrets are found with file and line and block;
 * test keys warn; `.env.example` and other templates pass; and on every file of every
 * Debian corpus crate nothing blocks (the corpus is real published crates).
 */
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { existsSync, lstatSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { isTestPath, scanPackagedFile } from "./secrets-in-files.js";

const enc = (s: string) => new TextEncoder().encode(s);
// generated at test time: no key material is committed
const KEY = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();

test("planted secrets block with file and line", () => {
  const aws = scanPackagedFile("src/config.rs", enc('\n\npub const K: &str = "AKIAZ7Q3MXK2PLR5VN4T";\n'));
  assert.deepEqual(
    aws.map((f) => [f.rule, f.line, f.verdict]),
    [["aws-access-key-id", 3, "block"]],
  );
  const idRsa = scanPackagedFile("id_rsa", enc(KEY));
  assert.deepEqual(
    idRsa.map((f) => [f.rule, f.line, f.verdict]),
    [["private-key", 1, "block"]],
  );
  const env = scanPackagedFile(".env", enc("# local\nAPI_KEY=abc\n"));
  assert.deepEqual(
    env.map((f) => [f.rule, f.line, f.verdict]),
    [["env-file", 2, "block"]],
  );
  const token = scanPackagedFile("tests/api.rs", enc('let t = "wharf_Q7mZ2xK9pL4vR8nT3wY6cB1dF5gH0jS2";\n'));
  assert.deepEqual(
    token.map((f) => [f.rule, f.line, f.verdict]),
    [["wharf-token", 1, "block"]],
  );
  // a key file with nothing to parse still is one
  assert.equal(scanPackagedFile("keys/id_ed25519", new Uint8Array([0, 1, 2]))[0]?.rule, "private-key-file");
  assert.equal(scanPackagedFile("deploy/.netrc", enc("machine x login a password b\n"))[0]?.verdict, "block");
});

test("test keys warn, templates and public keys pass", () => {
  assert.deepEqual(
    scanPackagedFile("tests/data/server.key", enc(KEY)).map((f) => f.verdict),
    ["warn"],
  );
  assert.deepEqual(
    scanPackagedFile("examples/fixtures/id_rsa", enc(KEY)).map((f) => f.verdict),
    ["warn"],
  );
  assert.deepEqual(scanPackagedFile(".env.example", enc("API_KEY=\n")), []);
  assert.deepEqual(scanPackagedFile("id_rsa.pub", enc("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq x@y\n")), []);
  assert.equal(isTestPath("tests/a.rs"), true);
  assert.equal(isTestPath("src/test_util.rs"), false);
  assert.equal(isTestPath("benches/fixtures/k.pem"), true);
});

const CORPUS = "/usr/share/cargo/registry";

test("nothing in the Debian corpus blocks", () => {
  assert.ok(existsSync(CORPUS), `${CORPUS} is missing: run scripts/setup.sh to install the crate corpus`);
  let files = 0;
  const blocking: string[] = [];
  const walk = (root: string, rel: string) => {
    for (const name of readdirSync(join(root, rel))) {
      const r = rel === "" ? name : `${rel}/${name}`;
      const st = lstatSync(join(root, r));
      if (st.isDirectory()) walk(root, r);
      else if (st.isFile()) {
        files++;
        for (const f of scanPackagedFile(r, readFileSync(join(root, r)))) {
          if (f.verdict === "block") blocking.push(`${root}/${f.file}:${f.line} ${f.rule}`);
        }
      }
    }
  };
  for (const crate of readdirSync(CORPUS)) walk(join(CORPUS, crate), "");
  assert.ok(files > 5000, `scanned ${files} files`);
  assert.deepEqual(blocking, []);
});
