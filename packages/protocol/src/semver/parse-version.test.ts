import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isWharfError } from "../errors/index.js";
import { parseVersion, tryParseVersion } from "./parse-version.js";
import { formatVersion, isPrerelease, makeVersion, U64_MAX } from "./version.js";

// Cases from the semver crate's tests/test_version.rs (test_parse), plus a few edges of
// its parse.rs; the expected reasons are the crate's Display texts.
const REJECTED: ReadonlyArray<readonly [string, string]> = [
  ["", "empty string, expected a semver version"],
  ["  ", "unexpected character ' ' while parsing major version number"],
  ["1", "unexpected end of input while parsing major version number"],
  ["1.2", "unexpected end of input while parsing minor version number"],
  ["1.2.3-", "empty identifier segment in pre-release identifier"],
  ["a.b.c", "unexpected character 'a' while parsing major version number"],
  ["1.2.3 abc", "unexpected character ' ' after patch version number"],
  ["1.2.3-01", "invalid leading zero in pre-release identifier"],
  ["1.2.3++", "empty identifier segment in build metadata"],
  ["07", "invalid leading zero in major version number"],
  ["111111111111111111111.0.0", "value of major version number exceeds u64::MAX"],
  ["8\0", "unexpected character '\\0' after major version number"],
  ["1.2.3-a..b", "empty identifier segment in pre-release identifier"],
  ["1.2.3-a.", "empty identifier segment in pre-release identifier"],
  ["1.2.3+", "empty identifier segment in build metadata"],
  ["1.2.3-a+b_c", "unexpected character '_' after build metadata"],
  ["1.2.3-a_c", "unexpected character '_' after pre-release identifier"],
  ["v1.2.3", "unexpected character 'v' while parsing major version number"],
  ["1.2.3 ", "unexpected character ' ' after patch version number"],
  ["1.01.0", "invalid leading zero in minor version number"],
  ["1.0.00", "invalid leading zero in patch version number"],
  ["1.2.", "unexpected end of input while parsing patch version number"],
  ["1.2.x", "unexpected character 'x' while parsing patch version number"],
  ["1.2.3\n", "unexpected character '\\n' after patch version number"],
  ["18446744073709551616.0.0", "value of major version number exceeds u64::MAX"],
  ["1.18446744073709551616.0", "value of minor version number exceeds u64::MAX"],
  ["1.2.3é", "unexpected character 'é' after patch version number"],
  ["1.2.3\u200b", "unexpected character '\\u{200b}' after patch version number"],
];

describe("parseVersion", () => {
  for (const [text, reason] of REJECTED) {
    it(`rejects ${JSON.stringify(text)} with the crate's reason`, () => {
      assert.deepEqual(tryParseVersion(text), { ok: false, reason });
      assert.throws(
        () => parseVersion(text),
        (error: unknown) =>
          isWharfError(error) &&
          error.code === "SEMVER_INVALID_VERSION" &&
          error.message.includes(`\`${text}\``) &&
          error.message.includes(reason),
      );
    });
  }

  const ACCEPTED: ReadonlyArray<readonly [string, bigint, bigint, bigint, string, string]> = [
    ["1.2.3", 1n, 2n, 3n, "", ""],
    ["1.2.3-alpha1", 1n, 2n, 3n, "alpha1", ""],
    ["1.2.3+build5", 1n, 2n, 3n, "", "build5"],
    ["1.2.3+5build", 1n, 2n, 3n, "", "5build"],
    ["1.2.3-alpha1+build5", 1n, 2n, 3n, "alpha1", "build5"],
    ["1.2.3-1.alpha1.9+build5.7.3aedf", 1n, 2n, 3n, "1.alpha1.9", "build5.7.3aedf"],
    ["1.2.3-0a.alpha1.9+05build.7.3aedf", 1n, 2n, 3n, "0a.alpha1.9", "05build.7.3aedf"],
    ["0.4.0-beta.1+0851523", 0n, 4n, 0n, "beta.1", "0851523"],
    ["1.1.0-beta-10", 1n, 1n, 0n, "beta-10", ""],
    ["0.0.0", 0n, 0n, 0n, "", ""],
    ["1.2.3-0", 1n, 2n, 3n, "0", ""],
    ["1.2.3+00", 1n, 2n, 3n, "", "00"],
    ["1.2.3---", 1n, 2n, 3n, "--", ""],
    ["18446744073709551615.18446744073709551615.18446744073709551615", U64_MAX, U64_MAX, U64_MAX, "", ""],
  ];
  for (const [text, major, minor, patch, pre, build] of ACCEPTED) {
    it(`parses ${text} and prints it back unchanged`, () => {
      const version = parseVersion(text);
      assert.deepEqual(version, { major, minor, patch, pre, build });
      assert.equal(formatVersion(version), text);
    });
  }
});

describe("version values", () => {
  it("isPrerelease looks only at the pre-release part", () => {
    assert.equal(isPrerelease(parseVersion("1.0.0-rc.1")), true);
    assert.equal(isPrerelease(parseVersion("1.0.0+rc.1")), false);
  });

  it("makeVersion takes numbers or bigints and refuses values outside u64", () => {
    assert.deepEqual(makeVersion(1, 2n, 3), parseVersion("1.2.3"));
    assert.throws(() => makeVersion(-1, 0, 0), RangeError);
    assert.throws(() => makeVersion(U64_MAX + 1n, 0, 0), RangeError);
    assert.throws(() => makeVersion(2 ** 60, 0, 0), RangeError);
  });
});
