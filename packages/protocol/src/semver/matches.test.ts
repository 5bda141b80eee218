import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { filterSatisfying, matches, matchesComparator, maxSatisfying } from "./matches.js";
import { parseRequirement } from "./parse-requirement.js";
import { parseVersion } from "./parse-version.js";
import { formatVersion } from "./version.js";
import { STAR } from "./version-req.js";

interface MatchCase {
  req: string;
  match: readonly string[];
  reject: readonly string[];
}

// From the semver crate's tests/test_version_req.rs (assert_match_all / assert_match_none),
// with a few more derived by hand from the operator table in its lib.rs docs.
const CASES: readonly MatchCase[] = [
  {
    req: "1.0.0",
    match: ["1.0.0", "1.1.0", "1.0.1"],
    reject: ["0.9.9", "0.10.0", "0.1.0", "1.0.0-pre", "1.0.1-pre"],
  },
  { req: "=1.0.0", match: ["1.0.0"], reject: ["1.0.1", "0.9.9", "0.10.0", "0.1.0", "1.0.0-pre"] },
  { req: "=0.9.0", match: ["0.9.0"], reject: ["0.9.1", "1.9.0", "0.0.9", "0.9.0-pre"] },
  { req: "=0.0.2", match: ["0.0.2"], reject: ["0.0.1", "0.0.3", "0.0.2-pre"] },
  {
    req: "=0.1.0-beta2.a",
    match: ["0.1.0-beta2.a"],
    reject: ["0.9.1", "0.1.0", "0.1.1-beta2.a", "0.1.0-beta2"],
  },
  { req: "=0.1.0+meta", match: ["0.1.0", "0.1.0+meta", "0.1.0+any"], reject: [] },
  { req: ">= 1.0.0", match: ["1.0.0", "2.0.0"], reject: ["0.1.0", "0.0.1", "1.0.0-pre", "2.0.0-pre"] },
  {
    req: ">= 2.1.0-alpha2",
    match: ["2.1.0-alpha2", "2.1.0-alpha3", "2.1.0", "3.0.0"],
    reject: ["2.0.0", "2.1.0-alpha1", "2.0.0-alpha2", "3.0.0-alpha2"],
  },
  { req: "< 1.0.0", match: ["0.1.0", "0.0.1"], reject: ["1.0.0", "1.0.0-beta", "1.0.1", "0.9.9-alpha"] },
  {
    req: "<= 2.1.0-alpha2",
    match: ["2.1.0-alpha2", "2.1.0-alpha1", "2.0.0", "1.0.0"],
    reject: ["2.1.0", "2.2.0-alpha1", "2.0.0-alpha2", "1.0.0-alpha2"],
  },
  { req: ">1.0.0-alpha, <1.0.0", match: ["1.0.0-beta"], reject: [] },
  { req: ">1.0.0-alpha, <1.0", match: [], reject: ["1.0.0-beta"] },
  { req: ">1.0.0-alpha, <1", match: [], reject: ["1.0.0-beta"] },
  { req: "> 0.0.9, <= 2.5.3", match: ["0.0.10", "1.0.0", "2.5.3"], reject: ["0.0.8", "2.5.4"] },
  { req: "0.3.0, 0.4.0", match: [], reject: ["0.0.8", "0.3.0", "0.4.0"] },
  { req: "<= 0.2.0, >= 0.5.0", match: [], reject: ["0.0.8", "0.3.0", "0.5.1"] },
  { req: "0.1.0, 0.1.4, 0.1.6", match: ["0.1.6", "0.1.9"], reject: ["0.1.0", "0.1.4", "0.2.0"] },
  {
    req: ">=0.5.1-alpha3, <0.6",
    match: ["0.5.1-alpha3", "0.5.1-alpha4", "0.5.1-beta", "0.5.1", "0.5.5"],
    reject: ["0.5.1-alpha1", "0.5.2-alpha3", "0.5.5-pre", "0.5.0-pre", "0.6.0", "0.6.0-pre"],
  },
  { req: "~1", match: ["1.0.0", "1.0.1", "1.1.1"], reject: ["0.9.1", "2.9.0", "0.0.9"] },
  { req: "~1.2", match: ["1.2.0", "1.2.1"], reject: ["1.1.1", "1.3.0", "0.0.9"] },
  { req: "~1.2.2", match: ["1.2.2", "1.2.4"], reject: ["1.2.1", "1.9.0", "1.0.9", "2.0.1", "0.1.3"] },
  {
    req: "~1.2.3-beta.2",
    match: ["1.2.3", "1.2.4", "1.2.3-beta.2", "1.2.3-beta.4"],
    reject: ["1.3.3", "1.1.4", "1.2.3-beta.1", "1.2.4-beta.2"],
  },
  {
    req: "^1",
    match: ["1.1.2", "1.1.0", "1.2.1", "1.0.1"],
    reject: ["0.9.1", "2.9.0", "0.1.4", "1.0.0-beta1", "0.1.0-alpha", "1.0.1-pre"],
  },
  { req: "^1.1", match: ["1.1.2", "1.1.0", "1.2.1"], reject: ["0.9.1", "2.9.0", "1.0.1", "0.1.4"] },
  {
    req: "^1.1.2",
    match: ["1.1.2", "1.1.4", "1.2.1"],
    reject: ["0.9.1", "2.9.0", "1.1.1", "0.0.1", "1.1.2-alpha1", "1.1.3-alpha1", "2.9.0-alpha1"],
  },
  {
    req: "^0.1.2",
    match: ["0.1.2", "0.1.4"],
    reject: ["0.9.1", "2.9.0", "1.1.1", "0.0.1", "0.1.2-beta", "0.1.3-alpha", "0.2.0-pre"],
  },
  {
    req: "^0.5.1-alpha3",
    match: ["0.5.1-alpha3", "0.5.1-alpha4", "0.5.1-beta", "0.5.1", "0.5.5"],
    reject: ["0.5.1-alpha1", "0.5.2-alpha3", "0.5.5-pre", "0.5.0-pre", "0.6.0"],
  },
  { req: "^0.0.2", match: ["0.0.2"], reject: ["0.9.1", "2.9.0", "1.1.1", "0.0.1", "0.1.4", "0.0.3"] },
  { req: "^0.0", match: ["0.0.2", "0.0.0"], reject: ["0.9.1", "2.9.0", "1.1.1", "0.1.4"] },
  { req: "^0", match: ["0.9.1", "0.0.2", "0.0.0"], reject: ["2.9.0", "1.1.1"] },
  {
    req: "^1.4.2-beta.5",
    match: ["1.4.2", "1.4.3", "1.4.2-beta.5", "1.4.2-beta.6", "1.4.2-c"],
    reject: ["0.9.9", "2.0.0", "1.4.2-alpha", "1.4.2-beta.4", "1.4.3-beta.5"],
  },
  { req: "*", match: ["0.9.1", "2.9.0", "0.0.9", "1.0.1", "1.1.1"], reject: ["1.0.0-pre"] },
  { req: "1.*", match: ["1.2.0", "1.2.1", "1.1.1", "1.3.0"], reject: ["0.0.9", "1.2.0-pre"] },
  {
    req: "1.2.*",
    match: ["1.2.0", "1.2.2", "1.2.4"],
    reject: ["1.9.0", "1.0.9", "2.0.1", "0.1.3", "1.2.2-pre"],
  },
  { req: "0.*.*", match: ["0.5.0"], reject: ["1.0.0"] },
  { req: "=2.1.1-really.0", match: ["2.1.1-really.0"], reject: [] },
  // from the Op table: >I.J is >=I.(J+1).0, <=I.J is <I.(J+1).0, =I.J is I.J.*
  { req: ">1.2", match: ["1.3.0", "2.0.0"], reject: ["1.2.9", "1.2.0"] },
  { req: ">1", match: ["2.0.0"], reject: ["1.9.9"] },
  { req: "<=1.2", match: ["1.2.9", "0.1.0"], reject: ["1.3.0"] },
  { req: "<1.2", match: ["1.1.9"], reject: ["1.2.0"] },
  { req: "=1.2", match: ["1.2.0", "1.2.7"], reject: ["1.3.0", "1.1.0"] },
  { req: ">=1.*", match: ["1.0.0", "7.0.0"], reject: ["0.9.0"] },
  { req: "<1.*", match: ["0.9.0"], reject: ["1.0.0"] },
  // build metadata on the version is ignored by matching
  { req: "^1.2.3", match: ["1.2.3+x", "1.9.0+y"], reject: ["1.2.2+z"] },
  // u64 bounds
  {
    req: ">=18446744073709551615",
    match: ["18446744073709551615.0.0"],
    reject: ["18446744073709551614.9.9"],
  },
];

describe("matches", () => {
  for (const { req, match, reject } of CASES) {
    it(req, () => {
      const parsed = parseRequirement(req);
      for (const text of match)
        assert.equal(matches(parsed, parseVersion(text)), true, `${req} should match ${text}`);
      for (const text of reject) {
        assert.equal(matches(parsed, parseVersion(text)), false, `${req} should not match ${text}`);
      }
    });
  }

  it("STAR matches every release and no pre-release", () => {
    for (const text of ["0.0.1", "0.1.0", "1.0.0"]) assert.equal(matches(STAR, parseVersion(text)), true);
    assert.equal(matches(STAR, parseVersion("1.0.0-alpha")), false);
  });

  it("a single comparator applies the pre-release rule on its own", () => {
    const [cmp] = parseRequirement(">=1.0.0-alpha").comparators;
    assert.equal(matchesComparator(cmp!, parseVersion("1.0.0-beta")), true);
    assert.equal(matchesComparator(cmp!, parseVersion("1.0.1-beta")), false);
    assert.equal(matchesComparator(cmp!, parseVersion("1.0.1")), true);
  });
});

describe("maxSatisfying and filterSatisfying", () => {
  const available = ["0.9.0", "1.0.0", "1.4.1", "1.5.0-rc.1", "1.4.1+b", "2.0.0", "1.4.0"].map(parseVersion);

  it("picks the greatest matching release, build metadata breaking ties", () => {
    const best = maxSatisfying(available, parseRequirement("^1.0"));
    assert.equal(best && formatVersion(best), "1.4.1+b");
  });

  it("only picks a pre-release the requirement opts into", () => {
    const best = maxSatisfying(available, parseRequirement(">=1.5.0-rc.0"));
    assert.equal(best && formatVersion(best), "2.0.0");
    const pre = maxSatisfying(available, parseRequirement(">=1.5.0-rc.0, <1.5.0"));
    assert.equal(pre && formatVersion(pre), "1.5.0-rc.1");
  });

  it("returns undefined when nothing matches", () => {
    assert.equal(maxSatisfying(available, parseRequirement("^3")), undefined);
  });

  it("lists the matches lowest first", () => {
    const listed = filterSatisfying(available, parseRequirement("~1.4"));
    assert.deepEqual(listed.map(formatVersion), ["1.4.0", "1.4.1", "1.4.1+b"]);
  });
});
