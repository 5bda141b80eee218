/**
 * The oracle for `wharf metadata --no-deps`: real cargo and the built wharf read the same
 * manifests and their JSON must be equal as data. Inputs: every crate of the Debian corpus
 * (/usr/share/cargo/registry) and the workspace fixtures in metadata-fixtures.ts; for the
 * error fixtures, both tools must fail.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { METADATA_ERROR_FIXTURES, METADATA_FIXTURES, type MetadataFixture } from "./metadata-fixtures.js";
import { writeTree } from "./project.js";
import { makeTempHome, WHARF_BIN } from "./run.js";
import { mapPool, runAsync } from "./run-async.js";

const CORPUS = "/usr/share/cargo/registry";
const home = makeTempHome("wharf-metadata-diff-");
after(() => home.cleanup());

const ARGS = ["metadata", "--no-deps", "--format-version", "1"];

function firstDifference(a: unknown, b: unknown, path = "$"): string | undefined {
  if (JSON.stringify(a) === JSON.stringify(b)) return undefined;
  if (
    typeof a !== "object" ||
    typeof b !== "object" ||
    a === null ||
    b === null ||
    Array.isArray(a) !== Array.isArray(b)
  ) {
    return `${path}: wharf ${JSON.stringify(a)?.slice(0, 300)} != cargo ${JSON.stringify(b)?.slice(0, 300)}`;
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    const d = firstDifference(
      (a as Record<string, unknown>)[k],
      (b as Record<string, unknown>)[k],
      `${path}.${k}`,
    );
    if (d) return d;
  }
  return undefined;
}

async function runBoth(cwd: string, env: Record<string, string>, args: string[]) {
  const fullEnv = { ...home.env, ...env };
  const [cargo, wharf] = await Promise.all([
    runAsync("cargo", [...args, "--offline"], { cwd, env: fullEnv }),
    runAsync(process.execPath, [WHARF_BIN, ...args], { cwd, env: fullEnv }),
  ]);
  return { cargo, wharf };
}

function materialize(fixture: MetadataFixture): string {
  const root = join(home.root, "fixtures", fixture.name);
  mkdirSync(root, { recursive: true });
  writeTree(root, fixture.files);
  return join(root, fixture.cwd ?? "");
}

describe("wharf metadata --no-deps equals cargo metadata", () => {
  test("every crate of the Debian corpus", async (t) => {
    assert.ok(existsSync(CORPUS), `${CORPUS} is missing: run scripts/setup.sh to install the crate corpus`);
    const crates = readdirSync(CORPUS).sort();
    assert.ok(crates.length >= 150, `expected the full corpus, found ${crates.length} crates`);
    const outcomes = await mapPool(crates, 4, async (crate) => {
      const { cargo, wharf } = await runBoth(join(CORPUS, crate), {}, ARGS);
      if (cargo.status !== 0) return { crate, ok: wharf.status !== 0, why: "cargo failed; wharf must too" };
      if (wharf.status !== 0) return { crate, ok: false, why: `wharf failed: ${wharf.stderr.slice(0, 500)}` };
      const diff = firstDifference(JSON.parse(wharf.stdout), JSON.parse(cargo.stdout));
      return { crate, ok: diff === undefined, why: diff };
    });
    const failed = outcomes.filter((o) => !o.ok);
    t.diagnostic(`corpus: ${outcomes.length - failed.length} equal of ${outcomes.length}`);
    assert.deepEqual(failed, [], `crates whose metadata differs from cargo's`);
  });

  for (const fixture of METADATA_FIXTURES) {
    test(`fixture ${fixture.name}`, async () => {
      const cwd = materialize(fixture);
      const { cargo, wharf } = await runBoth(cwd, fixture.env ?? {}, [...ARGS, ...(fixture.args ?? [])]);
      assert.equal(cargo.status, 0, `cargo failed on the fixture itself: ${cargo.stderr}`);
      assert.equal(wharf.status, 0, `wharf failed where cargo succeeded: ${wharf.stderr}`);
      const diff = firstDifference(JSON.parse(wharf.stdout), JSON.parse(cargo.stdout));
      assert.equal(diff, undefined, diff);
    });
  }

  for (const fixture of METADATA_ERROR_FIXTURES) {
    test(`error fixture ${fixture.name}: both tools refuse it`, async () => {
      const cwd = materialize(fixture);
      const { cargo, wharf } = await runBoth(cwd, fixture.env ?? {}, ARGS);
      assert.notEqual(cargo.status, 0, `cargo accepted the fixture: ${cargo.stdout.slice(0, 200)}`);
      assert.equal(
        wharf.status,
        101,
        `wharf should fail with status 101: ${wharf.stdout.slice(0, 200)} ${wharf.stderr}`,
      );
      assert.match(wharf.stderr, /^error: /m);
      assert.doesNotMatch(wharf.stderr, /internal error/);
    });
  }
});
