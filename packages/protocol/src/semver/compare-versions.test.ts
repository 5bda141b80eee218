import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { comparePrecedence, compareVersions, sortVersions, versionsEqual } from "./compare-versions.js";
import { compareBuildMetadata, comparePrerelease } from "./identifier-order.js";
import { parseVersion as v } from "./parse-version.js";
import { formatVersion } from "./version.js";

// Pairs (lower, higher) from the crate's test_version.rs (test_lt, test_gt, test_spec_order)
// and from the SemVer 2.0 spec, section 11.
const ASCENDING: ReadonlyArray<readonly [string, string]> = [
  ["0.0.0", "1.2.3-alpha2"],
  ["1.0.0", "1.2.3-alpha2"],
  ["1.2.0", "1.2.3-alpha2"],
  ["1.2.3-alpha1", "1.2.3"],
  ["1.2.3-alpha1", "1.2.3-alpha2"],
  ["1.2.3+23", "1.2.3+42"],
  ["1.0.0", "2.0.0"],
  ["2.0.0", "2.1.0"],
  ["2.1.0", "2.1.1"],
  ["1.0.0-alpha", "1.0.0-alpha.1"],
  ["1.0.0-alpha.1", "1.0.0-alpha.beta"],
  ["1.0.0-alpha.beta", "1.0.0-beta"],
  ["1.0.0-beta", "1.0.0-beta.2"],
  ["1.0.0-beta.2", "1.0.0-beta.11"],
  ["1.0.0-beta.11", "1.0.0-rc.1"],
  ["1.0.0-rc.1", "1.0.0"],
  // numeric identifiers compare as numbers, past 2^64 too
  ["1.0.0-99", "1.0.0-100"],
  ["1.0.0-18446744073709551616", "1.0.0-18446744073709551617"],
  ["1.0.0-9", "1.0.0-a"],
  // alphanumeric identifiers compare in ASCII order, so pre12 < pre8 and Z < a
  ["1.0.0-pre12", "1.0.0-pre8"],
  ["1.0.0-Z", "1.0.0-a"],
  ["1.0.0--", "1.0.0-0a"],
  ["1.0.0-1a", "1.0.0-a"],
  // build metadata only breaks ties
  ["1.0.0-alpha+zzz", "1.0.0-beta"],
  ["1.0.0", "1.0.0+0"],
  ["1.0.0+0", "1.0.0+00"],
  ["1.0.0+00", "1.0.0+1"],
  ["1.0.0+1", "1.0.0+01"],
  ["1.0.0+01", "1.0.0+001"],
  ["1.0.0+001", "1.0.0+2"],
  ["1.0.0+2", "1.0.0+10"],
  ["1.0.0+10", "1.0.0+a"],
  ["1.0.0+a", "1.0.0+a.0"],
  ["9999999999999999999.0.0", "10000000000000000000.0.0"],
];

describe("compareVersions", () => {
  for (const [low, high] of ASCENDING) {
    it(`${low} < ${high}`, () => {
      assert.equal(compareVersions(v(low), v(high)), -1);
      assert.equal(compareVersions(v(high), v(low)), 1);
    });
  }

  it("equal versions compare equal, build metadata included", () => {
    for (const text of ["1.2.3", "1.2.3-alpha1", "1.2.3+build.42", "1.2.3-alpha1+42"]) {
      assert.equal(compareVersions(v(text), v(text)), 0);
      assert.equal(versionsEqual(v(text), v(text)), true);
    }
    assert.equal(versionsEqual(v("1.2.3+23"), v("1.2.3+42")), false);
  });

  it("precedence ignores build metadata, the total order does not", () => {
    assert.equal(comparePrecedence(v("1.2.3+23"), v("1.2.3+42")), 0);
    assert.equal(compareVersions(v("1.2.3+23"), v("1.2.3+42")), -1);
  });

  it("sorts the spec's example list into the spec's order", () => {
    const expected = [
      "1.0.0-alpha",
      "1.0.0-alpha.1",
      "1.0.0-alpha.beta",
      "1.0.0-beta",
      "1.0.0-beta.2",
      "1.0.0-beta.11",
      "1.0.0-rc.1",
      "1.0.0",
      "1.0.0+build",
    ];
    const shuffled = [5, 2, 8, 0, 7, 3, 1, 6, 4].map((i) => v(expected[i]!));
    assert.deepEqual(sortVersions(shuffled).map(formatVersion), expected);
  });
});

describe("identifier order", () => {
  it("a release is above every pre-release of it", () => {
    assert.equal(comparePrerelease("", "alpha"), 1);
    assert.equal(comparePrerelease("0", ""), -1);
    assert.equal(comparePrerelease("", ""), 0);
  });
  it("no build metadata is below any build metadata", () => {
    assert.equal(compareBuildMetadata("", "0"), -1);
    assert.equal(compareBuildMetadata("a", ""), 1);
  });
});
