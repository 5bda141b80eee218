/**
 * The oracle for `wharf generate-lockfile`: real cargo and the built wharf resolve the same
 * projects against a Wharf registry holding the Debian corpus (crates-io replaced by it), and
 * the Cargo.lock files must be equal byte for byte. Both tools failing counts as equal.
 * Seeded random projects (several corpus dependencies with features, optional, dev, build,
 * target-specific and renamed dependencies) add breadth. WHARF_DIFF_FULL=1 takes every corpus
 * crate as a single dependency and every random project instead of a sample.
 */
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { CargoRegistryClient } from "./cargo-client.js";
import { CORPUS_DIR, startCorpusRegistry } from "./corpus-registry.js";
import {
  corpusCrateInfos,
  corpusCrates,
  type LockfileProject,
  multiDependencyProjects,
  randomProjects,
  singleDependencyProject,
  workspaceProjects,
} from "./lockfile-projects.js";
import { writeTree } from "./project.js";
import { makeTempHome, WHARF_BIN } from "./run.js";
import { mapPool, runAsync } from "./run-async.js";
import type { TestRegistry } from "./test-registry.js";

const CORPUS = CORPUS_DIR;
const FULL = process.env.WHARF_DIFF_FULL === "1";
const SAMPLE = [
  "anyhow",
  "clap",
  "env_logger",
  "futures",
  "rayon",
  "regex",
  "serde_json",
  "syn",
  "tokio",
  "url",
  "uuid",
  "nom",
  "tracing",
  "rkyv",
  "chrono",
];

/** how many seeded random projects the normal run checks (all of them with WHARF_DIFF_FULL=1) */
const RANDOM_SAMPLE = 12;
const RANDOM_COUNT = 60;

const home = makeTempHome("wharf-genlock-diff-");
let registry: TestRegistry;
let client: CargoRegistryClient;

before(async () => {
  ({ registry, client } = await startCorpusRegistry(home));
});
after(async () => {
  await registry?.close();
  home.cleanup();
});

interface Outcome {
  name: string;
  equal: boolean;
  detail?: string;
}

async function compare(project: LockfileProject): Promise<Outcome> {
  const base = join(home.root, "projects", project.name);
  const cargoDir = join(base, "cargo");
  const wharfDir = join(base, "wharf");
  for (const d of [cargoDir, wharfDir]) {
    mkdirSync(d, { recursive: true });
    writeTree(d, project.files);
  }
  const env = { ...client.env, WHARF_HOME: home.wharfHome };
  const [cargo, wharf] = await Promise.all([
    runAsync("cargo", ["generate-lockfile"], { cwd: cargoDir, env, timeoutMs: 300_000 }),
    runAsync(process.execPath, [WHARF_BIN, "generate-lockfile"], { cwd: wharfDir, env, timeoutMs: 300_000 }),
  ]);
  if (cargo.status !== 0 || wharf.status !== 0) {
    const both = cargo.status !== 0 && wharf.status !== 0;
    return {
      name: project.name,
      equal: both,
      detail: `cargo ${cargo.status}: ${cargo.stderr.slice(-400)} | wharf ${wharf.status}: ${wharf.stderr.slice(-600)}`,
    };
  }
  const expected = readFileSync(join(cargoDir, "Cargo.lock"), "utf8");
  const actual = readFileSync(join(wharfDir, "Cargo.lock"), "utf8");
  if (expected === actual) return { name: project.name, equal: true };
  const e = expected.split("\n");
  const a = actual.split("\n");
  const i = e.findIndex((line, k) => line !== a[k]);
  return {
    name: project.name,
    equal: false,
    detail: `first difference at line ${i + 1}: cargo ${JSON.stringify(e[i])} wharf ${JSON.stringify(a[i])}`,
  };
}

describe("wharf generate-lockfile writes cargo's Cargo.lock", () => {
  test("corpus crates as the single dependency of a fresh project", async (t) => {
    const crates = corpusCrates(CORPUS);
    const chosen = FULL
      ? crates
      : SAMPLE.map((n) => crates.filter((c) => c.name === n).at(-1)!).filter(Boolean);
    assert.ok(chosen.length >= (FULL ? 150 : 15), `found ${chosen.length} crates`);
    const outcomes = await mapPool(chosen, 2, (c) => compare(singleDependencyProject(c)));
    const bad = outcomes.filter((o) => !o.equal);
    t.diagnostic(`single-dependency projects: ${outcomes.length - bad.length} equal of ${outcomes.length}`);
    assert.deepEqual(bad, []);
  });

  test("projects with several dependencies and features, v4 and v3 encodings", async (t) => {
    const projects = [
      ...multiDependencyProjects(),
      ...multiDependencyProjects("1.70").map((p) => ({ ...p, name: `${p.name}-v3` })),
    ];
    const outcomes = await mapPool(projects, 2, compare);
    const bad = outcomes.filter((o) => !o.equal);
    t.diagnostic(`multi-dependency projects: ${outcomes.length - bad.length} equal of ${outcomes.length}`);
    assert.deepEqual(bad, []);
  });

  test("workspaces: path members, renames, two majors of one crate, target-specific dependencies", async (t) => {
    const outcomes = await mapPool(workspaceProjects(), 2, compare);
    const bad = outcomes.filter((o) => !o.equal);
    t.diagnostic(`workspace projects: ${outcomes.length - bad.length} equal of ${outcomes.length}`);
    assert.deepEqual(bad, []);
  });

  test("seeded random projects with several corpus dependencies", async (t) => {
    const projects = randomProjects(corpusCrateInfos(CORPUS), RANDOM_COUNT);
    assert.ok(projects.length >= 50);
    const outcomes = await mapPool(FULL ? projects : projects.slice(0, RANDOM_SAMPLE), 2, compare);
    const bad = outcomes.filter((o) => !o.equal);
    const failed = outcomes.filter((o) => o.equal && o.detail !== undefined).length;
    t.diagnostic(
      `random projects: ${outcomes.length - bad.length} equal of ${outcomes.length} (${failed} of them refused by both tools)`,
    );
    assert.deepEqual(bad, []);
  });
});
