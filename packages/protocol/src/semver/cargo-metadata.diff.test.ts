/**
 * Differential test against real cargo: requirements written into a Cargo.toml come back
 * from `cargo metadata` as `req` strings printed by the semver crate's Display, and bad ones
 * fail with the crate's reason under `Caused by:`. Skipped when cargo is not on PATH.
 * Runs in a temp dir with a temp CARGO_HOME, never the user's.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import { formatRequirement } from "./format-requirement.js";
import { parseRequirement, tryParseRequirement } from "./parse-requirement.js";

const cargoAvailable = spawnSync("cargo", ["--version"], { encoding: "utf8" }).status === 0;

const FIXED = [
  "1.0",
  ">= 1.0, < 2",
  "*",
  "x",
  "=1.0.152",
  "=1.0.152+build.7",
  "~1.2",
  ">= 1.0",
  "1.x",
  "1.*.*",
  "0.0.*",
  ">=1.*",
  "~1.X",
  "^0.0.x",
  "  ^  1.2.3-rc.1  ,  <  2  ",
  "0.3.0, 0.4.0",
  ">=0.5.1-alpha3, <0.6",
  "18446744073709551615",
  "1.2.3-1a-1a+1a-1a-1a",
];

const INVALID = ["", "1.2.3 || 2", "1.2.3 - 2.3.4", "v1.2.3", "*, 1.0", "1.*.1", ">=1.0 <2.0", "1.2.3-01"];

/** Random valid requirement texts in cargo's syntax, from a fixed seed. */
function sampledRequirements(): string[] {
  const num = fc.constantFrom("0", "1", "2", "10", "18446744073709551615");
  const star = fc.constantFrom("*", "x", "X");
  const pre = fc.constantFrom("", "", "-0", "-alpha.1", "-rc-1", "-1a");
  const build = fc.constantFrom("", "", "+b", "+001");
  const op = fc.constantFrom("", "=", ">", ">=", "<", "<=", "~", "^", ">= ", "~ ");
  const comparator = fc
    .tuple(op, num, fc.integer({ min: 1, max: 6 }), num, num, pre, build, star)
    .map(([o, major, shape, minor, patch, p, b, s]) => {
      const version = [
        `${major}`,
        `${major}.${minor}`,
        `${major}.${minor}.${patch}${p}${b}`,
        `${major}.${s}`,
        `${major}.${s}.${s}`,
        `${major}.${minor}.${s}`,
      ][shape - 1];
      return `${o}${version}`;
    });
  const req = fc
    .tuple(fc.array(comparator, { minLength: 1, maxLength: 4 }), fc.constantFrom(",", ", ", " , "))
    .map(([list, sep]) => list.join(sep));
  return fc.sample(req, { numRuns: 300, seed: 20260415 });
}

describe("requirements as cargo metadata prints them", {
  skip: !cargoAvailable && "cargo not on PATH",
}, () => {
  let root = "";

  before(() => {
    root = mkdtempSync(join(tmpdir(), "wharf-semver-diff-"));
    mkdirSync(join(root, "cargo-home"));
    mkdirSync(join(root, "a", "src"), { recursive: true });
    writeFileSync(
      join(root, "a", "Cargo.toml"),
      '[package]\nname = "a"\nversion = "0.1.0"\nedition = "2021"\n',
    );
    writeFileSync(join(root, "a", "src", "lib.rs"), "");
    mkdirSync(join(root, "p", "src"), { recursive: true });
    writeFileSync(join(root, "p", "src", "lib.rs"), "");
  });

  after(() => {
    if (root !== "") rmSync(root, { recursive: true, force: true });
  });

  /** Writes the manifest with one path dependency per requirement and runs cargo metadata. */
  function cargoMetadata(reqs: readonly string[]): { status: number | null; stdout: string; stderr: string } {
    const deps = reqs.map(
      (req, i) => `d${i} = { package = "a", path = "../a", version = ${JSON.stringify(req)} }`,
    );
    const manifest = `[package]\nname = "p"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n${deps.join("\n")}\n`;
    writeFileSync(join(root, "p", "Cargo.toml"), manifest);
    const result = spawnSync("cargo", ["metadata", "--no-deps", "--format-version", "1", "--offline"], {
      cwd: join(root, "p"),
      encoding: "utf8",
      env: { ...process.env, CARGO_HOME: join(root, "cargo-home"), CARGO_TERM_COLOR: "never" },
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  it("formatRequirement prints what cargo prints, for fixed and random requirements", () => {
    const reqs = [...FIXED, ...sampledRequirements()];
    const result = cargoMetadata(reqs);
    assert.equal(result.status, 0, result.stderr);
    const metadata = JSON.parse(result.stdout) as {
      packages: { dependencies: { rename: string | null; req: string }[] }[];
    };
    const printed = new Map<string, string>();
    for (const dep of metadata.packages[0]?.dependencies ?? []) printed.set(dep.rename ?? "", dep.req);
    assert.equal(printed.size, reqs.length);
    reqs.forEach((req, i) => {
      assert.equal(
        formatRequirement(parseRequirement(req)),
        printed.get(`d${i}`),
        `requirement ${JSON.stringify(req)}`,
      );
    });
  });

  for (const req of INVALID) {
    it(`cargo rejects ${JSON.stringify(req)} for the reason we give`, () => {
      const result = cargoMetadata([req]);
      assert.notEqual(result.status, 0);
      const parsed = tryParseRequirement(req);
      assert.equal(parsed.ok, false);
      if (!parsed.ok) {
        assert.ok(
          result.stderr.includes(`failed to parse the version requirement \`${req}\``),
          result.stderr,
        );
        assert.ok(
          result.stderr.includes(`Caused by:\n  ${parsed.reason}`),
          `${parsed.reason}\n---\n${result.stderr}`,
        );
      }
    });
  }
});
