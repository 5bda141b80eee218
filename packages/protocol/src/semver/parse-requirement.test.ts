import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isWharfError } from "../errors/index.js";
import { formatRequirement } from "./format-requirement.js";
import { parseRequirement, tryParseRequirement } from "./parse-requirement.js";
import { parseVersion } from "./parse-version.js";
import { isExactReq, STAR, versionToReq } from "./version-req.js";

// Input -> the crate's Display of the parsed requirement. From tests/test_version_req.rs
// (assert_to_string cases, test_comparator_parse, test_cargo3202) and the brief's cargo
// metadata examples, which tests/cargo-metadata.diff.test.ts checks against real cargo.
const DISPLAYED: ReadonlyArray<readonly [string, string]> = [
  ["1.0.0", "^1.0.0"],
  ["=1.0.0", "=1.0.0"],
  ["=0.9.0", "=0.9.0"],
  ["=0.1.0-beta2.a", "=0.1.0-beta2.a"],
  ["=0.1.0+meta", "=0.1.0"],
  [">= 1.0.0", ">=1.0.0"],
  [">= 2.1.0-alpha2", ">=2.1.0-alpha2"],
  ["< 1.0.0", "<1.0.0"],
  ["> 0.0.9, <= 2.5.3", ">0.0.9, <=2.5.3"],
  ["0.3.0, 0.4.0", "^0.3.0, ^0.4.0"],
  ["<= 0.2.0, >= 0.5.0", "<=0.2.0, >=0.5.0"],
  ["0.1.0, 0.1.4, 0.1.6", "^0.1.0, ^0.1.4, ^0.1.6"],
  [">=0.5.1-alpha3, <0.6", ">=0.5.1-alpha3, <0.6"],
  ["1.2.3-alpha", "^1.2.3-alpha"],
  ["2.X", "2.*"],
  ["2", "^2"],
  ["2.x.x", "2.*"],
  ["0.*.*", "0.*"],
  ["0.0.*", "0.0.*"],
  ["1.0", "^1.0"],
  ["*", "*"],
  ["x", "*"],
  ["X", "*"],
  ["  *  ", "*"],
  ["=1.0.152", "=1.0.152"],
  ["~1.2", "~1.2"],
  [">= 1.0", ">=1.0"],
  [">= 1.0, < 2", ">=1.0, <2"],
  [">=1.*", ">=1"],
  [">=1.2.*", ">=1.2"],
  ["~1.x", "~1"],
  ["^0.0.x", "^0.0"],
  ["1.2.X", "1.2.*"],
  ["1.*", "1.*"],
  ["  ^  1.2.3  ,  <  2  ", "^1.2.3, <2"],
  ["1.2.3+build.5", "^1.2.3"],
  ["1.2.3-1a-1a+1a-1a-1a", "^1.2.3-1a-1a"],
  ["=1.2.3-01a", "=1.2.3-01a"],
  ["<=1.2.3+01", "<=1.2.3"],
  ["18446744073709551615", "^18446744073709551615"],
];

// Input -> the crate's error reason. From test_version_req.rs (test_multiple, test_parse,
// test_comparator_parse, test_digit_after_wildcard, test_logical_or,
// test_whitespace_delimited_comparator_sets, test_wildcard_and_another) and parse.rs.
const REJECTED: ReadonlyArray<readonly [string, string]> = [
  ["", "unexpected end of input while parsing major version number"],
  ["   ", "unexpected end of input while parsing major version number"],
  ["> 0.1.0,", "unexpected end of input while parsing major version number"],
  ["> 0.3.0, ,", "unexpected character ',' while parsing major version number"],
  ["1.2.3 - 2.3.4", "expected comma after patch version number, found '-'"],
  ["> 0.0.9 <= 2.5.3", "expected comma after patch version number, found '<'"],
  ["=1.2.3 || =2.3.4", "expected comma after patch version number, found '|'"],
  ["1.1 || =1.2.3", "expected comma after minor version number, found '|'"],
  ["6.* || 8.* || >= 10.*", "expected comma after minor version number, found '|'"],
  ["\0", "unexpected character '\\0' while parsing major version number"],
  [">= >= 0.0.2", "unexpected character '>' while parsing major version number"],
  [">== 0.0.2", "unexpected character '=' while parsing major version number"],
  ["a.0.0", "unexpected character 'a' while parsing major version number"],
  ["1.0.0-", "empty identifier segment in pre-release identifier"],
  [">=", "unexpected end of input while parsing major version number"],
  [">", "unexpected end of input while parsing major version number"],
  ["1.2.3-01", "invalid leading zero in pre-release identifier"],
  ["1.2.3+4.", "empty identifier segment in build metadata"],
  ["1.", "unexpected end of input while parsing minor version number"],
  ["1.*.", "unexpected character after wildcard in version req"],
  ["1.2.3+4ÿ", "expected comma after build metadata, found 'ÿ'"],
  ["*.1", "unexpected character after wildcard in version req"],
  ["1.*.1", "unexpected character after wildcard in version req"],
  [">=1.*.1", "unexpected character after wildcard in version req"],
  ["*, 0.20.0-any", "wildcard req (*) must be the only comparator in the version req"],
  ["0.20.0-any, *", "wildcard req (*) must be the only comparator in the version req"],
  ["0.20.0-any, *, 1.0", "wildcard req (*) must be the only comparator in the version req"],
  ["1.0, x", "wildcard req (x) must be the only comparator in the version req"],
  ["v1.2.3", "unexpected character 'v' while parsing major version number"],
  ["1.2-beta", "expected comma after minor version number, found '-'"],
  ["01.2", "invalid leading zero in major version number"],
  [">=\t1.0", "unexpected character '\\t' while parsing major version number"],
  ["1.0\t", "expected comma after minor version number, found '\\t'"],
  [">=1.0 <2.0", "expected comma after minor version number, found '<'"],
  ["1.0.0 2.0.0", "expected comma after patch version number, found '2'"],
  ["^*", "unexpected character '*' while parsing major version number"],
  ["1.xyz", "expected comma after minor version number, found 'y'"],
  ["99999999999999999999", "value of major version number exceeds u64::MAX"],
  [
    ">1, >2, >3, >4, >5, >6, >7, >8, >9, >10, >11, >12, >13, >14, >15, >16, >17, >18, >19, >20, >21, >22, >23, >24, >25, >26, >27, >28, >29, >30, >31, >32, >33",
    "excessive number of version comparators",
  ],
];

describe("parseRequirement", () => {
  for (const [text, displayed] of DISPLAYED) {
    it(`${JSON.stringify(text)} displays as ${JSON.stringify(displayed)}`, () => {
      assert.equal(formatRequirement(parseRequirement(text)), displayed);
    });
  }

  for (const [text, reason] of REJECTED) {
    it(`rejects ${JSON.stringify(text)}`, () => {
      assert.deepEqual(tryParseRequirement(text), { ok: false, reason });
      assert.throws(
        () => parseRequirement(text),
        (error: unknown) =>
          isWharfError(error) &&
          error.code === "SEMVER_INVALID_REQUIREMENT" &&
          error.message.includes(`\`${text}\``) &&
          error.message.includes(reason),
      );
    });
  }

  it("accepts exactly 32 comparators", () => {
    const text = Array.from({ length: 32 }, (_, i) => `>${i + 1}`).join(", ");
    assert.equal(parseRequirement(text).comparators.length, 32);
    assert.equal(tryParseRequirement(`${text}, >33`).ok, false);
  });

  it("every operator takes pre-release and build with leading digits (test_leading_digit_in_pre_and_build)", () => {
    for (const op of ["=", ">", ">=", "<", "<=", "~", "^"]) {
      for (const rest of ["1.2.3-1a", "1.2.3+1a", "1.2.3-01a", "1.2.3+01", "1.2.3-1+1", "1.2.3-1-1+1-1-1"]) {
        assert.equal(tryParseRequirement(`${op} ${rest}`).ok, true, `${op} ${rest}`);
      }
    }
  });

  it("all wildcard spellings are the same requirement", () => {
    for (const text of ["*", "x", "X"]) assert.deepEqual(parseRequirement(text), STAR);
    const oneStar = parseRequirement("1.*");
    for (const text of ["1.x", "1.X", "1.*.*"]) assert.deepEqual(parseRequirement(text), oneStar);
    const twoStar = parseRequirement("1.2.*");
    for (const text of ["1.2.x", "1.2.X"]) assert.deepEqual(parseRequirement(text), twoStar);
  });

  it("keeps the parts of a comparator apart", () => {
    assert.deepEqual(parseRequirement(">=1.2.3-rc.1+b"), {
      comparators: [{ op: "greaterEq", major: 1n, minor: 2n, patch: 3n, pre: "rc.1" }],
    });
    assert.deepEqual(parseRequirement("~1"), {
      comparators: [{ op: "tilde", major: 1n, minor: undefined, patch: undefined, pre: "" }],
    });
    assert.deepEqual(parseRequirement("1.2.*"), {
      comparators: [{ op: "wildcard", major: 1n, minor: 2n, patch: undefined, pre: "" }],
    });
  });
});

describe("requirements from versions (cargo's VersionExt)", () => {
  it("builds exact and caret requirements", () => {
    const version = parseVersion("1.2.3-rc.1+meta");
    assert.equal(formatRequirement(versionToReq(version, "exact")), "=1.2.3-rc.1");
    assert.equal(formatRequirement(versionToReq(version, "caret")), "^1.2.3-rc.1");
    assert.equal(isExactReq(versionToReq(version, "exact")), true);
    assert.equal(isExactReq(parseRequirement("=1.2")), false);
    assert.equal(isExactReq(parseRequirement("=1.2.3, <2")), false);
    assert.equal(isExactReq(STAR), false);
  });
});
