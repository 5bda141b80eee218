/**
 * Property tests (fast-check): parse/format round trips, the version order, agreement with
 * npm's `semver.satisfies` on the syntax both accept, and the compatibility key.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import npmSemver from "semver";
import { comparePrecedence, compareVersions, sortVersions } from "./compare-versions.js";
import { formatRequirement } from "./format-requirement.js";
import { filterSatisfying, matches, maxSatisfying } from "./matches.js";
import { parseRequirement } from "./parse-requirement.js";
import { parseVersion } from "./parse-version.js";
import { compatibleRangeKey } from "./semver-compatibility.js";
import { formatVersion, U64_MAX, type Version } from "./version.js";
import { type Comparator, type Op, type VersionReq, versionToReq } from "./version-req.js";

/** How many random requirement/version pairs the npm agreement check runs. */
const NPM_AGREEMENT_RUNS = 100_000;
const RUNS = 20_000;

// ---- arbitraries over the full syntax ---------------------------------------------------

/** Versions from per-field arbitraries, as ordinary objects (fc.record's have no prototype). */
function versionOf(fields: { [K in keyof Version]: fc.Arbitrary<Version[K]> }): fc.Arbitrary<Version> {
  return fc
    .tuple(fields.major, fields.minor, fields.patch, fields.pre, fields.build)
    .map(([major, minor, patch, pre, build]) => ({ major, minor, patch, pre, build }));
}

const u64 = fc.oneof(
  { weight: 3, arbitrary: fc.bigInt({ min: 0n, max: 20n }) },
  { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: U64_MAX }) },
);
const numericIdent = fc.oneof(
  fc.constant("0"),
  fc.stringMatching(/^[1-9][0-9]{0,3}$/),
  fc.stringMatching(/^[1-9][0-9]{15,25}$/),
);
const alnumIdent = fc.stringMatching(/^[0-9A-Za-z-]{0,5}[A-Za-z-][0-9A-Za-z-]{0,5}$/);
const preText = fc.oneof(
  { weight: 2, arbitrary: fc.constant("") },
  {
    weight: 3,
    arbitrary: fc
      .array(fc.oneof(numericIdent, alnumIdent), { minLength: 1, maxLength: 4 })
      .map((ids) => ids.join(".")),
  },
);
const buildText = fc.oneof(
  { weight: 3, arbitrary: fc.constant("") },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.stringMatching(/^[0-9A-Za-z-]{1,6}$/), { minLength: 1, maxLength: 3 })
      .map((ids) => ids.join(".")),
  },
);
const anyVersion: fc.Arbitrary<Version> = versionOf({
  major: u64,
  minor: u64,
  patch: u64,
  pre: preText,
  build: buildText,
});

const OPS: readonly Op[] = ["exact", "greater", "greaterEq", "less", "lessEq", "tilde", "caret", "wildcard"];
const anyComparator: fc.Arbitrary<Comparator> = fc
  .record({
    op: fc.constantFrom(...OPS),
    major: u64,
    minor: u64,
    patch: u64,
    pre: preText,
    parts: fc.integer({ min: 1, max: 3 }),
  })
  .map(({ op, major, minor, patch, pre, parts }) => {
    // A wildcard comparator has at most two numbers; pre-release needs all three.
    const count = op === "wildcard" ? Math.min(parts, 2) : parts;
    return {
      op,
      major,
      minor: count >= 2 ? minor : undefined,
      patch: count >= 3 ? patch : undefined,
      pre: count >= 3 ? pre : "",
    };
  });
const anyRequirement: fc.Arbitrary<VersionReq> = fc
  .array(anyComparator, { minLength: 0, maxLength: 5 })
  .map((comparators) => ({ comparators }));

// ---- (1) round trips --------------------------------------------------------------------

describe("round trips", () => {
  it("parseVersion(formatVersion(v)) is v, and the text is canonical", () => {
    fc.assert(
      fc.property(anyVersion, (version) => {
        const text = formatVersion(version);
        const parsed = parseVersion(text);
        assert.deepEqual(parsed, version);
        assert.equal(formatVersion(parsed), text);
      }),
      { numRuns: RUNS },
    );
  });

  it("parseRequirement(formatRequirement(r)) is r", () => {
    fc.assert(
      fc.property(anyRequirement, (req) => {
        const text = formatRequirement(req);
        assert.deepEqual(parseRequirement(text), req);
        assert.equal(formatRequirement(parseRequirement(text)), text);
      }),
      { numRuns: RUNS },
    );
  });
});

// ---- (2) ordering -----------------------------------------------------------------------

/** npm's SemVer keeps numeric pre-release identifiers as numbers only below 2^53. */
function npmSafe(version: Version): boolean {
  const limit = BigInt(Number.MAX_SAFE_INTEGER);
  return (
    version.major < limit &&
    version.minor < limit &&
    version.patch < limit &&
    version.pre.split(".").every((id) => !/^[0-9]+$/.test(id) || BigInt(id) < limit)
  );
}

describe("version order", () => {
  it("is antisymmetric, and zero exactly for identical versions", () => {
    fc.assert(
      fc.property(anyVersion, anyVersion, (a, b) => {
        assert.equal(compareVersions(a, b), 0 - compareVersions(b, a));
        assert.equal(compareVersions(a, b) === 0, formatVersion(a) === formatVersion(b));
        assert.equal(compareVersions(a, a), 0);
      }),
      { numRuns: RUNS },
    );
  });

  it("is transitive (a sorted list is pairwise ordered)", () => {
    fc.assert(
      fc.property(fc.array(anyVersion, { minLength: 3, maxLength: 12 }), (versions) => {
        const sorted = sortVersions(versions);
        for (let i = 0; i < sorted.length; i++) {
          for (let j = i + 1; j < sorted.length; j++) assert.ok(compareVersions(sorted[i]!, sorted[j]!) <= 0);
        }
      }),
      { numRuns: RUNS / 10 },
    );
  });

  it("refines SemVer 2.0 precedence (npm's semver.compare as the reference)", () => {
    fc.assert(
      fc.property(anyVersion, anyVersion, (a, b) => {
        fc.pre(npmSafe(a) && npmSafe(b));
        const reference = npmSemver.compare(formatVersion(a), formatVersion(b));
        assert.equal(comparePrecedence(a, b), reference);
        if (reference !== 0) assert.equal(compareVersions(a, b), reference);
      }),
      { numRuns: RUNS },
    );
  });
});

// ---- (3) agreement with npm on the shared syntax ----------------------------------------

const small = fc.bigInt({ min: 0n, max: 3n });
const smallPre = fc.oneof(
  { weight: 5, arbitrary: fc.constant("") },
  {
    weight: 3,
    arbitrary: fc.constantFrom("0", "1", "alpha", "alpha.1", "alpha.beta", "beta", "beta.2", "rc.1"),
  },
);
const smallBuild = fc.oneof(
  { weight: 6, arbitrary: fc.constant("") },
  { weight: 1, arbitrary: fc.constantFrom("b", "001") },
);
const smallVersion: fc.Arbitrary<Version> = versionOf({
  major: small,
  minor: small,
  patch: small,
  pre: smallPre,
  build: smallBuild,
});

interface SharedComparator {
  /** cargo's text for the comparator */
  cargo: string;
  /** the same comparator in npm's range syntax */
  npm: string;
}

const OP_TEXT = ["", "=", ">", ">=", "<", "<=", "~", "^"] as const;
const sharedComparator: fc.Arbitrary<SharedComparator> = fc
  .record({
    op: fc.constantFrom(...OP_TEXT),
    major: small,
    minor: small,
    patch: small,
    pre: smallPre,
    build: smallBuild,
    // 1: `I`, 2: `I.J`, 3: `I.J.K`, 4: `I.*`, 5: `I.*.*`, 6: `I.J.*`
    shape: fc.integer({ min: 1, max: 6 }),
    star: fc.constantFrom("*", "x", "X"),
    space: fc.constantFrom("", " ", "  "),
  })
  .map(({ op, major, minor, patch, pre, build, shape, star, space }) => {
    let version: string;
    switch (shape) {
      case 1:
        version = `${major}`;
        break;
      case 2:
        version = `${major}.${minor}`;
        break;
      case 3:
        version = `${major}.${minor}.${patch}${pre ? `-${pre}` : ""}${build ? `+${build}` : ""}`;
        break;
      case 4:
        version = `${major}.${star}`;
        break;
      case 5:
        version = `${major}.${star}.${star}`;
        break;
      default:
        version = `${major}.${minor}.${star}`;
    }
    // A bare version is a caret requirement in cargo but an exact one in npm.
    const npmOp = op === "" && shape <= 3 ? "^" : op;
    return { cargo: `${op}${space}${version}`, npm: `${npmOp}${version}` };
  });

const sharedRequirement = fc.oneof(
  {
    weight: 1,
    arbitrary: fc.constantFrom<SharedComparator>({ cargo: "*", npm: "*" }, { cargo: " x ", npm: "x" }),
  },
  { weight: 20, arbitrary: fc.array(sharedComparator, { minLength: 1, maxLength: 3 }) },
);

/**
 * The one place cargo and npm disagree on this syntax. The crate tests a partial
 * comparator (`=1`, `1.*`, `>=1`, `<=1.2`, `~1.2`; not `^`, `>` or `<`) against a
 * pre-release whose leading numbers equal the comparator's by comparing pre-release tags
 * exactly, so it rejects `1.0.0-beta` even when another comparator (`>=1.0.0-alpha`) opts
 * that major.minor.patch into pre-releases; npm expands `<=1` to `<2.0.0-0` and accepts.
 */
function partialComparatorRejectsPrerelease(req: VersionReq, version: Version): boolean {
  if (version.pre === "") return false;
  return req.comparators.some(
    (cmp) =>
      cmp.patch === undefined &&
      ["exact", "wildcard", "greaterEq", "lessEq", "tilde"].includes(cmp.op) &&
      cmp.major === version.major &&
      (cmp.minor === undefined || cmp.minor === version.minor),
  );
}

describe("agreement with npm's semver.satisfies", () => {
  it("diverges on the documented case", () => {
    const req = parseRequirement(">=1.0.0-alpha, <=1");
    const version = parseVersion("1.0.0-beta");
    assert.equal(partialComparatorRejectsPrerelease(req, version), true);
    assert.equal(matches(req, version), false);
    assert.equal(npmSemver.satisfies("1.0.0-beta", ">=1.0.0-alpha <=1"), true);
  });

  it(`matches exactly when npm does, over ${NPM_AGREEMENT_RUNS} random cases`, (t) => {
    let matched = 0;
    let divergent = 0;
    fc.assert(
      fc.property(
        sharedRequirement,
        smallVersion,
        fc.constantFrom(",", ", ", " , "),
        (shared, version, comma) => {
          const list = Array.isArray(shared) ? shared : [shared];
          const cargoText = list.map((c) => c.cargo).join(comma);
          const npmText = list.map((c) => c.npm).join(" ");
          const versionText = formatVersion(version);
          const req = parseRequirement(cargoText);
          const ours = matches(req, version);
          const theirs = npmSemver.satisfies(versionText, npmText);
          const context = `cargo \`${cargoText}\` vs npm \`${npmText}\` on ${versionText}`;
          if (ours) matched++;
          if (partialComparatorRejectsPrerelease(req, version)) {
            assert.equal(ours, false, context);
            if (theirs) divergent++;
          } else {
            assert.equal(ours, theirs, context);
          }
        },
      ),
      { numRuns: NPM_AGREEMENT_RUNS },
    );
    t.diagnostic(
      `${matched} matched; ${divergent} where npm accepts and cargo's partial-comparator rule rejects`,
    );
    // the generator is only useful if a fair share of cases match
    assert.ok(matched > NPM_AGREEMENT_RUNS / 10, `only ${matched} matches`);
  });
});

// ---- (4) compatibility key --------------------------------------------------------------

const releaseVersion: fc.Arbitrary<Version> = versionOf({
  major: fc.bigInt({ min: 0n, max: 2n }),
  minor: fc.bigInt({ min: 0n, max: 2n }),
  patch: fc.bigInt({ min: 0n, max: 2n }),
  pre: fc.constant(""),
  build: smallBuild,
});

describe("compatible range key", () => {
  it("two releases a <= b share a key exactly when ^a accepts b", () => {
    fc.assert(
      fc.property(releaseVersion, releaseVersion, (x, y) => {
        const [a, b] = comparePrecedence(x, y) <= 0 ? [x, y] : [y, x];
        assert.equal(compatibleRangeKey(a) === compatibleRangeKey(b), matches(versionToReq(a, "caret"), b));
      }),
      { numRuns: RUNS },
    );
  });

  it("maxSatisfying is the last of filterSatisfying", () => {
    fc.assert(
      fc.property(
        fc.array(smallVersion, { maxLength: 10 }),
        fc.array(sharedComparator, { minLength: 1, maxLength: 2 }),
        (versions, list) => {
          const req = parseRequirement(list.map((c) => c.cargo).join(", "));
          const all = filterSatisfying(versions, req);
          assert.deepEqual(maxSatisfying(versions, req), all.at(-1));
        },
      ),
      { numRuns: RUNS / 10 },
    );
  });
});
