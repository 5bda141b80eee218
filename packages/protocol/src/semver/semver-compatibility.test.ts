import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseVersion } from "./parse-version.js";
import {
  compareSemverCompatibility,
  compatibleRangeKey,
  semverCompatibility,
} from "./semver-compatibility.js";

// Hand-derived from cargo's `impl From<&Version> for SemverCompatibility`
// (the resolver's types.rs): the left-most non-zero part decides.
const KEYS: ReadonlyArray<readonly [string, string]> = [
  ["1.0.0", "1"],
  ["1.9.3", "1"],
  ["2.0.0-rc.1", "2"],
  ["0.1.0", "0.1"],
  ["0.1.9+build", "0.1"],
  ["0.10.0", "0.10"],
  ["0.0.3", "0.0.3"],
  ["0.0.0", "0.0.0"],
  ["0.0.3-alpha", "0.0.3"],
  ["18446744073709551615.0.0", "18446744073709551615"],
];

describe("compatibleRangeKey", () => {
  for (const [version, key] of KEYS) {
    it(`${version} -> ${key}`, () => assert.equal(compatibleRangeKey(parseVersion(version)), key));
  }

  it("orders like cargo's derived Ord: majors, then minors, then patches", () => {
    const order = ["1.0.0", "2.0.0", "0.1.0", "0.2.0", "0.0.0", "0.0.1"].map((v) =>
      semverCompatibility(parseVersion(v)),
    );
    for (let i = 1; i < order.length; i++) {
      assert.equal(compareSemverCompatibility(order[i - 1]!, order[i]!), -1);
      assert.equal(compareSemverCompatibility(order[i]!, order[i - 1]!), 1);
    }
    assert.equal(compareSemverCompatibility(order[0]!, semverCompatibility(parseVersion("1.5.0"))), 0);
  });
});
