import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { CREDENTIAL_PATTERNS, redactSecrets } from "@wharf/protocol";
import { isValidCratePattern, matchesCratePattern, patternsCoverCrate } from "./scopes.js";
import {
  generateToken,
  hashToken,
  isWellFormedToken,
  TOKEN_BODY_LENGTH,
  tokenDisplayPrefix,
} from "./token-format.js";

describe("token format", () => {
  it("is wharf_ plus 40 base62 characters, different every time", () => {
    const tokens = new Set(Array.from({ length: 200 }, () => generateToken()));
    assert.equal(tokens.size, 200);
    for (const token of tokens) {
      assert.match(token, /^wharf_[0-9A-Za-z]{40}$/);
      assert.ok(isWellFormedToken(token));
    }
  });

  it("throws away bytes >= 248 instead of folding them (no modulo bias)", () => {
    // 248..255 would map to 0..7 under a plain modulo; here they must be skipped.
    let calls = 0;
    const random = (size: number) => {
      calls++;
      return Buffer.from(Array.from({ length: size }, (_, i) => (calls === 1 && i % 2 === 0 ? 250 : 61)));
    };
    const token = generateToken(random);
    assert.equal(token, `wharf_${"z".repeat(TOKEN_BODY_LENGTH)}`);
    assert.equal(calls, 2, "half the first batch was rejected, so a second batch was drawn");
  });

  it("hashes with SHA-256 and shows only a short prefix", () => {
    const token = generateToken();
    assert.equal(hashToken(token), createHash("sha256").update(token).digest("hex"));
    assert.equal(tokenDisplayPrefix(token), token.slice(0, 10));
  });

  it("is recognised by the shared secret patterns, so leaks are redacted and scanned", () => {
    const token = generateToken();
    assert.ok(CREDENTIAL_PATTERNS.some((pattern) => new RegExp(pattern.source).test(token)));
    assert.equal(redactSecrets(`token ${token}`).includes(token), false);
  });

  it("rejects malformed tokens before any lookup", () => {
    for (const bad of [
      "",
      "wharf_",
      `wharf_${"a".repeat(39)}`,
      `wharf_${"a".repeat(41)}`,
      `cio${"a".repeat(32)}`,
      `wharf_${"a".repeat(39)}!`,
    ]) {
      assert.equal(isWellFormedToken(bad), false, bad);
    }
  });
});

describe("crate patterns", () => {
  it("match exact names and prefixes on canonical names", () => {
    assert.equal(matchesCratePattern("serde", "serde"), true);
    assert.equal(matchesCratePattern("serde", "serde_json"), false);
    assert.equal(matchesCratePattern("serde*", "serde_json"), true);
    assert.equal(matchesCratePattern("serde-*", "Serde_Json"), true);
    assert.equal(matchesCratePattern("my_crate", "My-Crate"), true);
    assert.equal(matchesCratePattern("*", "anything"), true);
    assert.equal(patternsCoverCrate(null, "anything"), true);
    assert.equal(patternsCoverCrate(["a*", "b"], "c"), false);
  });

  it("accept only names with an optional trailing *", () => {
    for (const good of ["serde", "serde*", "*", "a-b_c*"])
      assert.equal(isValidCratePattern(good), true, good);
    for (const bad of ["", "se*de", "**", "a b", "../x", "serde?"])
      assert.equal(isValidCratePattern(bad), false, bad);
  });
});
