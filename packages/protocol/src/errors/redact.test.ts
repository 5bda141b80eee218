import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CREDENTIAL_PATTERNS, CREDENTIAL_SHAPES, REDACTED, redactSecrets } from "./redact.js";

// assembled at run time so the repository holds no text that scanners take for a real key
const PRIVATE_KEY = ["PRIVATE", "KEY"].join(" ");

// Assembled from pieces so this file holds no token shape of its own.
const GHP = ["gh", "p_", "u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d"].join("");
const CIO = ["c", "io", "SQedUStPKR0CsTy4Qwb8DwkNhFdnXsiV"].join("");
const WHARF = ["wh", "arf_", "pzz63FfkCzJr4i0B3JrTAwR4y9ojfljoQoaF1Llq"].join("");
const AKIA = ["AK", "IA", "ZDOC9IS0J8HT9LGM"].join("");
const GLPAT = ["gl", "pat-", "D53X83RZJzzzzgEOzdme"].join("");
const GITHUB_PAT = ["github", "_pat_", "11ABCDEFG0sajAIxNKu8iS2G8NPRVd"].join("");
const SLACK = ["xo", "xp-", "1234567890-9876543210-", "aZUPgHV7iB3m03nbqnsGpWLu"].join("");
const KEY_BODY = "tP3fS2qHx6kwXoIIXGvOoNZYW2mZp0zVZomHFwUbbYrEqmSM9wCZ7Uw9xfogoEmv";

describe("redactSecrets", () => {
  it("hides every token shape and keeps the text around it", () => {
    for (const token of [GHP, CIO, WHARF, AKIA, GLPAT, GITHUB_PAT, SLACK]) {
      assert.equal(
        redactSecrets(`failed to publish with token ${token}: 403`),
        `failed to publish with token ${REDACTED}: 403`,
        token.slice(0, 4),
      );
    }
  });

  it("hides the password of a URL but keeps the user and host", () => {
    assert.equal(
      redactSecrets("failed to fetch https://deploy:hunter22@crates.corp.internal/index/"),
      `failed to fetch https://deploy:${REDACTED}@crates.corp.internal/index/`,
    );
  });

  it("hides Authorization header values, keeping the scheme word", () => {
    assert.equal(redactSecrets("Authorization: Bearer abc.def.ghi"), `Authorization: Bearer ${REDACTED}`);
    assert.equal(redactSecrets("proxy-authorization = s3cr3t"), `proxy-authorization = ${REDACTED}`);
  });

  it("hides a whole private key block, or all of a cut-off one", () => {
    const block = `-----BEGIN RSA ${PRIVATE_KEY}-----\n${KEY_BODY}\n-----END RSA ${PRIVATE_KEY}-----`;
    assert.equal(redactSecrets(`key:\n${block}\ndone`), `key:\n${REDACTED}\ndone`);
    assert.equal(redactSecrets(`key: -----BEGIN ${PRIVATE_KEY}-----\n${KEY_BODY}`), `key: ${REDACTED}`);
    const two = `${block}\nand\n${block}`;
    assert.equal(redactSecrets(two), `${REDACTED}\nand\n${REDACTED}`);
  });

  it("leaves ordinary text alone", () => {
    const text = "error: failed to parse manifest at `/src/password-hash/Cargo.toml` (see https://docs.rs/x)";
    assert.equal(redactSecrets(text), text);
  });

  it("is repeatable: the shared global regexes keep no state between calls", () => {
    const text = `a ${GHP} b ${GHP}`;
    assert.equal(redactSecrets(text), `a ${REDACTED} b ${REDACTED}`);
    assert.equal(redactSecrets(text), `a ${REDACTED} b ${REDACTED}`);
  });
});

describe("CREDENTIAL_SHAPES", () => {
  it("has stable kebab-case ids and global patterns, mirrored by CREDENTIAL_PATTERNS", () => {
    for (const shape of CREDENTIAL_SHAPES) {
      assert.match(shape.id, /^[a-z0-9]+(?:-[a-z0-9]+)*$/);
      assert.ok(shape.pattern.global, `${shape.id} must be a global regex`);
    }
    assert.deepEqual(
      CREDENTIAL_PATTERNS,
      CREDENTIAL_SHAPES.map((shape) => shape.pattern),
    );
  });
});
