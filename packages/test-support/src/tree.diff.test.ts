/**
 * The oracle for `wharf tree`: cargo generates Cargo.lock once against the corpus registry,
 * both directories get that lock, then real `cargo tree` and the built wharf print the tree
 * for the same arguments and stdout must be equal (project paths normalised, since the two
 * copies live in different directories). Both tools failing counts as equal.
 */
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { CargoRegistryClient } from "./cargo-client.js";
import { CORPUS_DIR, startCorpusRegistry } from "./corpus-registry.js";
import {
  corpusCrates,
  type LockfileProject,
  multiDependencyProjects,
  singleDependencyProject,
  workspaceProjects,
} from "./lockfile-projects.js";
import { writeTree } from "./project.js";
import { makeTempHome, WHARF_BIN } from "./run.js";
import { mapPool, runAsync } from "./run-async.js";
import type { TestRegistry } from "./test-registry.js";

const CORPUS = CORPUS_DIR;
const SAMPLE = [
  "anyhow",
  "clap",
  "env_logger",
  "futures",
  "regex",
  "serde_json",
  "syn",
  "tokio",
  "url",
  "chrono",
];

const home = makeTempHome("wharf-tree-diff-");
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

interface Case {
  project: LockfileProject;
  args: string[];
}

let counter = 0;

async function compare({ project, args }: Case): Promise<Outcome> {
  const name = `${project.name} ${args.join(" ")}`.trim();
  const base = join(home.root, "projects", `${project.name}-${counter++}`);
  const cargoDir = join(base, "cargo");
  const wharfDir = join(base, "wharf");
  for (const d of [cargoDir, wharfDir]) {
    mkdirSync(d, { recursive: true });
    writeTree(d, project.files);
  }
  const env = { ...client.env, WHARF_HOME: home.wharfHome };
  const lock = await runAsync("cargo", ["generate-lockfile"], { cwd: cargoDir, env, timeoutMs: 300_000 });
  if (lock.status !== 0)
    return { name, equal: false, detail: `cargo generate-lockfile: ${lock.stderr.slice(-400)}` };
  copyFileSync(join(cargoDir, "Cargo.lock"), join(wharfDir, "Cargo.lock"));
  const [cargo, wharf] = await Promise.all([
    runAsync("cargo", ["tree", ...args], { cwd: cargoDir, env, timeoutMs: 300_000 }),
    runAsync(process.execPath, [WHARF_BIN, "tree", ...args], { cwd: wharfDir, env, timeoutMs: 300_000 }),
  ]);
  if (cargo.status !== 0 || wharf.status !== 0) {
    const both = cargo.status !== 0 && wharf.status !== 0;
    return {
      name,
      equal: both,
      detail: `cargo ${cargo.status}: ${cargo.stderr.slice(-400)} | wharf ${wharf.status}: ${wharf.stderr.slice(-600)}`,
    };
  }
  const expected = cargo.stdout.replaceAll(cargoDir, "<ROOT>");
  const actual = wharf.stdout.replaceAll(wharfDir, "<ROOT>");
  if (expected === actual) return { name, equal: true };
  // TREE_DIFF_DUMP=<dir> keeps both outputs of a differing case for reading side by side
  const dump = process.env.TREE_DIFF_DUMP;
  if (dump) {
    mkdirSync(dump, { recursive: true });
    writeFileSync(join(dump, `${name.replace(/[^\w.-]+/g, "_")}.cargo`), expected);
    writeFileSync(join(dump, `${name.replace(/[^\w.-]+/g, "_")}.wharf`), actual);
  }
  const e = expected.split("\n");
  const a = actual.split("\n");
  const i = e.findIndex((line, k) => line !== a[k]);
  return {
    name,
    equal: false,
    detail: `first difference at line ${i + 1}: cargo ${JSON.stringify(e[i])} wharf ${JSON.stringify(a[i])}`,
  };
}

async function run(t: { diagnostic: (m: string) => void }, label: string, cases: Case[]): Promise<void> {
  const outcomes = await mapPool(cases, 2, compare);
  const bad = outcomes.filter((o) => !o.equal);
  t.diagnostic(`${label}: ${outcomes.length - bad.length} equal of ${outcomes.length}`);
  assert.deepEqual(bad, []);
}

describe("wharf tree prints cargo's tree", () => {
  test("corpus crates as the single dependency of a fresh project", async (t) => {
    const crates = corpusCrates(CORPUS);
    const chosen = SAMPLE.map((n) => crates.filter((c) => c.name === n).at(-1)!).filter(Boolean);
    assert.ok(chosen.length >= 10, `found ${chosen.length} crates`);
    await run(
      t,
      "single-dependency projects",
      chosen.map((c) => ({ project: singleDependencyProject(c), args: [] })),
    );
  });

  test("projects with several dependencies and features", async (t) => {
    await run(
      t,
      "multi-dependency projects",
      multiDependencyProjects().map((project) => ({ project, args: [] })),
    );
  });

  test("workspaces: path members, renames, target-specific, build and dev dependencies", async (t) => {
    await run(
      t,
      "workspace projects",
      workspaceProjects().map((project) => ({ project, args: [] })),
    );
  });

  test("options", async (t) => {
    const multi = multiDependencyProjects();
    const ws = workspaceProjects();
    const pick = (list: LockfileProject[], name: string) => list.find((p) => p.name === name)!;
    const cliApp = pick(multi, "multi-cli-app");
    const targets = pick(ws, "ws-targets");
    const twoVersions = pick(ws, "ws-two-versions");
    const variants: [LockfileProject, string[]][] = [];
    for (const project of [cliApp, targets, twoVersions]) {
      for (const args of [
        ["-e", "normal"],
        ["--depth", "1"],
        ["--prefix", "depth"],
        ["--charset", "ascii"],
        ["-d"],
        ["--no-dedupe"],
        ["--all-features"],
        ["--no-default-features"],
        ["--target", "all"],
        ["--prefix", "none"],
        ["-e", "no-dev"],
      ])
        variants.push([project, args]);
    }
    variants.push([cliApp, ["-i", "syn"]], [cliApp, ["-i", "log"]], [targets, ["-i", "libc"]]);
    variants.push(
      [twoVersions, ["-p", "legacy"]],
      [twoVersions, ["--workspace"]],
      [twoVersions, ["-i", "clap@2"]],
    );
    variants.push([pick(multi, "multi-crypto"), ["--features", "md5"]]);
    const procMacros = pick(multi, "multi-proc-macros");
    variants.push([procMacros, ["-i", "proc-macro2"]], [procMacros, ["-d"]], [procMacros, ["-e", "build"]]);
    variants.push([procMacros, ["--depth", "0"]], [procMacros, ["-i", "syn", "--prefix", "depth"]]);
    const virt = pick(ws, "ws-virtual");
    variants.push(
      [virt, ["-p", "three"]],
      [virt, ["-d"]],
      [virt, ["-i", "shared"]],
      [virt, ["--depth", "1"]],
    );
    variants.push([pick(ws, "ws-renamed"), ["-d"]], [pick(ws, "ws-renamed"), ["-e", "build"]]);
    variants.push(
      [pick(ws, "ws-empty-member"), ["--no-dedupe"]],
      [pick(ws, "ws-empty-member"), ["-p", "busy"]],
    );
    variants.push(
      [twoVersions, ["-i", "clap"]],
      [targets, ["-i", "winapi"]],
      [cliApp, ["--features", "nope"]],
    );
    variants.push([targets, ["-i", "winapi", "--target", "all"]], [cliApp, ["-d", "-e", "normal"]]);
    variants.push([targets, ["-e", "dev"]], [targets, ["-e", "dev", "--target", "all"]]);
    await run(
      t,
      "option variants",
      variants.map(([project, args]) => ({ project, args })),
    );
  });

  test("feature unification: resolver 2 splits host and target features, resolver 1 does not", async (t) => {
    const deps = `[dependencies]\nserde = { version = "1", features = ["derive"] }\nrand = { version = "0.8", default-features = false }\nregex = { version = "1", optional = true }\ntokio = { version = "1", features = ["rt"] }\nlog = { version = "0.4", optional = true }\n\n[build-dependencies]\nserde = "1"\nrand = "0.8"\n\n[dev-dependencies]\ntokio = { version = "1", features = ["full"] }\n\n[features]\ndefault = ["re"]\nre = ["dep:regex", "log?/std"]\nlogging = ["dep:log"]\n`;
    const project = (name: string, edition: string): LockfileProject => ({
      name,
      files: {
        "Cargo.toml": `[package]\nname = "${name}"\nversion = "0.1.0"\nedition = "${edition}"\n\n${deps}`,
        "src/lib.rs": "",
      },
    });
    const cases: Case[] = [];
    for (const p of [project("feat-v2", "2021"), project("feat-v1", "2018")]) {
      for (const args of [
        [],
        ["-e", "normal,build"],
        ["--no-default-features"],
        ["--all-features"],
        ["-d"],
        ["-i", "serde"],
        ["--features", "logging"],
        ["-e", "normal", "--all-features"],
      ])
        cases.push({ project: p, args });
    }
    await run(t, "feature unification", cases);
  });
});
