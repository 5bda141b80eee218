/**
 * The oracle for `wharf metadata` WITH dependencies: real `cargo metadata --format-version 1`
 * and the built wharf run on copies of the same project (same directory names, so package
 * ids agree) against the corpus registry, and the JSON must be equal as data once the project
 * directory and each tool's extracted-source directory (cargo's registry/src/<index>/name-ver,
 * wharf's cache/src/name-ver-<sha>) are mapped to placeholders. Both failing counts as equal.
 * Covers corpus crates as single dependencies, multi-dependency and workspace projects,
 * feature flags, renames, target-specific dependencies with --filter-platform, and seeded
 * random projects. WHARF_DIFF_FULL=1 takes every corpus crate and every random project.
 */
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
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

const FULL = process.env.WHARF_DIFF_FULL === "1";
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
/** how many random projects the normal run checks (all of them with WHARF_DIFF_FULL=1) */
const RANDOM_SAMPLE = 12;
const RANDOM_COUNT = 60;

const home = makeTempHome("wharf-metadata-resolve-diff-");
let registry: TestRegistry;
let client: CargoRegistryClient;

before(async () => {
  ({ registry, client } = await startCorpusRegistry(home));
});
after(async () => {
  await registry?.close();
  home.cleanup();
});

interface Case {
  project: LockfileProject;
  args: readonly string[];
  /** where to run, relative to the project root */
  cwd?: string;
}

interface Outcome {
  name: string;
  equal: boolean;
  /** both tools refused the project (counted as equal, and reported) */
  bothFailed?: boolean;
  detail?: string;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The JSON text with the project dir and both tools' source dirs replaced by placeholders. */
function normalize(text: string, projectDir: string): unknown {
  const cargoSrc = new RegExp(`${escapeRegExp(join(home.cargoHome, "registry", "src"))}/[^/"]+/`, "g");
  const wharfSrc = new RegExp(
    `${escapeRegExp(join(home.wharfHome, "cache", "src"))}/([^/"]+)-[0-9a-f]{12}/`,
    "g",
  );
  return JSON.parse(
    text.split(projectDir).join("<PROJECT>").replace(cargoSrc, "<SRC>/").replace(wharfSrc, "<SRC>/$1/"),
  );
}

function firstDifference(cargo: unknown, wharf: unknown, path = "$"): string | undefined {
  if (JSON.stringify(cargo) === JSON.stringify(wharf)) return undefined;
  if (
    typeof cargo !== "object" ||
    typeof wharf !== "object" ||
    cargo === null ||
    wharf === null ||
    Array.isArray(cargo) !== Array.isArray(wharf) ||
    (Array.isArray(cargo) && Array.isArray(wharf) && cargo.length !== wharf.length)
  ) {
    return `${path}: cargo ${JSON.stringify(cargo)?.slice(0, 300)} != wharf ${JSON.stringify(wharf)?.slice(0, 300)}`;
  }
  const keys = new Set([...Object.keys(cargo), ...Object.keys(wharf)]);
  for (const k of keys) {
    const d = firstDifference(
      (cargo as Record<string, unknown>)[k],
      (wharf as Record<string, unknown>)[k],
      `${path}.${k}`,
    );
    if (d) return d;
  }
  return undefined;
}

let counter = 0;

async function compare({ project, args, cwd = "" }: Case): Promise<Outcome> {
  const name = `${project.name}${cwd === "" ? "" : ` (in ${cwd})`} ${args.join(" ")}`.trim();
  const base = join(home.root, "projects", String(counter++));
  // the same last path component in both copies: a path package's id depends on it
  const cargoDir = join(base, "cargo", project.name);
  const wharfDir = join(base, "wharf", project.name);
  for (const d of [cargoDir, wharfDir]) {
    mkdirSync(d, { recursive: true });
    writeTree(d, project.files);
  }
  const env = { ...client.env, WHARF_HOME: home.wharfHome };
  const command = ["metadata", "--format-version", "1", ...args];
  const [cargo, wharf] = await Promise.all([
    runAsync("cargo", command, { cwd: join(cargoDir, cwd), env, timeoutMs: 300_000 }),
    runAsync(process.execPath, [WHARF_BIN, ...command], {
      cwd: join(wharfDir, cwd),
      env,
      timeoutMs: 300_000,
    }),
  ]);
  if (cargo.status !== 0 || wharf.status !== 0) {
    const both = cargo.status !== 0 && wharf.status !== 0;
    return {
      name,
      equal: both,
      bothFailed: both,
      detail: `cargo ${cargo.status}: ${cargo.stderr.slice(-400)} | wharf ${wharf.status}: ${wharf.stderr.slice(-600)}`,
    };
  }
  const diff = firstDifference(normalize(cargo.stdout, cargoDir), normalize(wharf.stdout, wharfDir));
  return diff === undefined ? { name, equal: true } : { name, equal: false, detail: diff };
}

async function check(t: { diagnostic: (m: string) => void }, label: string, cases: readonly Case[]) {
  const outcomes = await mapPool(cases, 2, compare);
  const bad = outcomes.filter((o) => !o.equal);
  const failed = outcomes.filter((o) => o.bothFailed).length;
  t.diagnostic(
    `${label}: ${outcomes.length - bad.length} equal of ${outcomes.length} (${failed} of them refused by both tools)`,
  );
  assert.deepEqual(bad, []);
}

const LIB = { "src/lib.rs": "" };

/** optional dependencies, features that enable them (`dep:`, `x/f`, `x?/f`), renames, platforms */
function featureProject(name: string, edition: string): LockfileProject {
  return {
    name,
    files: {
      "Cargo.toml": `[package]
name = "${name}"
version = "0.1.0"
edition = "${edition}"

[dependencies]
serde = { version = "1", optional = true, features = ["derive"] }
log = { version = "0.4", default-features = false }
rand = { version = "0.8", default-features = false, features = ["small_rng"] }
regex = { version = "1", optional = true, default-features = false, features = ["std"] }
json = { package = "serde_json", version = "1", optional = true }

[target.'cfg(windows)'.dependencies]
winapi = { version = "0.3", optional = true, features = ["winuser"] }

[target.'cfg(unix)'.dependencies]
libc = { version = "0.2", default-features = false }

[build-dependencies]
cc = { version = "1", optional = true }

[dev-dependencies]
tempfile = "3"

[features]
default = ["std"]
std = ["log/std", "rand/std", "serde?/std"]
serde = ["dep:serde", "json?/preserve_order"]
json = ["dep:json", "serde"]
re = ["regex/unicode"]
win = ["dep:winapi"]
build = ["dep:cc"]
`,
      ...LIB,
    },
  };
}

function memberFeatureWorkspace(): LockfileProject {
  const member = (name: string, deps: string, features: string) =>
    `[package]\nname = "${name}"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n${deps}\n\n[features]\n${features}\n`;
  return {
    name: "ws-member-features",
    files: {
      "Cargo.toml": `[workspace]\nmembers = ["a", "b"]\nresolver = "2"\n`,
      "a/Cargo.toml": member(
        "a",
        `b = { path = "../b", default-features = false }\nitoa = { version = "1", optional = true }`,
        `default = []\nfa = ["dep:itoa", "b/fb"]`,
      ),
      "a/src/lib.rs": "",
      "b/Cargo.toml": member(
        "b",
        `memchr = { version = "2", optional = true, default-features = false }`,
        `default = ["fb"]\nfb = ["memchr?/std"]\nmem = ["dep:memchr"]`,
      ),
      "b/src/lib.rs": "",
    },
  };
}

/** resolver 1 with a root package: the flags go to the root, `member/feat` to that member */
function rootV1Workspace(): LockfileProject {
  return {
    name: "ws-root-v1",
    files: {
      "Cargo.toml": `[package]\nname = "top"\nversion = "0.1.0"\nedition = "2018"\n\n[workspace]\nmembers = ["b"]\n\n[dependencies]\nb = { path = "b" }\nitoa = { version = "1", optional = true }\n\n[features]\nfa = ["itoa", "b/fb"]\n`,
      ...LIB,
      "b/Cargo.toml": `[package]\nname = "b"\nversion = "0.1.0"\nedition = "2018"\n\n[dependencies]\nmemchr = { version = "2", optional = true, default-features = false }\n\n[features]\nfb = []\nmem = ["memchr/std"]\n`,
      "b/src/lib.rs": "",
    },
  };
}

/** the same crate from crates.io (replaced by the corpus registry) and from the registry by name */
function twoSourcesProject(): LockfileProject {
  return {
    name: "two-sources",
    files: {
      "Cargo.toml": `[package]\nname = "two-sources"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\nitoa = "1"\nitoa_w = { package = "itoa", version = "1", registry = "wharf" }\nserde_json = { version = "1", registry = "wharf" }\n`,
      ...LIB,
    },
  };
}

/** one dependency under many kinds and platforms: the order of a node's `dep_kinds` */
function depKindsProject(): LockfileProject {
  const tables = [
    "dependencies",
    "build-dependencies",
    "dev-dependencies",
    "target.'cfg(windows)'.dependencies",
    "target.'cfg(unix)'.dependencies",
    "target.'cfg(not(windows))'.build-dependencies",
    "target.'cfg(all(unix, target_pointer_width = \"64\"))'.dependencies",
    "target.'cfg(any(windows, target_os = \"linux\"))'.dev-dependencies",
    "target.'cfg(target_os = \"linux\")'.dependencies",
    "target.'cfg(feature = \"x\")'.dependencies",
    "target.x86_64-unknown-linux-gnu.dependencies",
    "target.aarch64-apple-darwin.build-dependencies",
  ];
  return {
    name: "dep-kinds",
    files: {
      "Cargo.toml": `[package]\nname = "dep-kinds"\nversion = "0.1.0"\nedition = "2021"\n${tables.map((t) => `\n[${t}]\nitoa = "1"\nsemver = "1"\n`).join("")}`,
      ...LIB,
    },
  };
}

const FEATURE_ARGS: readonly (readonly string[])[] = [
  [],
  ["--all-features"],
  ["--no-default-features"],
  ["--features", "json"],
  ["--features", "re win"],
  ["--features", "build,serde"],
  ["--no-default-features", "--features", "serde"],
  ["--features", "no-such-feature"],
  ["--features", "regex/perf"],
  ["--all-features", "--filter-platform", "x86_64-pc-windows-msvc"],
  ["--all-features", "--filter-platform", "x86_64-unknown-linux-gnu"],
  ["--filter-platform", "aarch64-apple-darwin", "--filter-platform", "x86_64-pc-windows-gnu"],
];

describe("wharf metadata resolves dependencies as cargo metadata does", () => {
  test("corpus crates as the single dependency of a fresh project", async (t) => {
    const crates = corpusCrates(CORPUS_DIR);
    const chosen = FULL
      ? crates
      : SAMPLE.map((n) => crates.filter((c) => c.name === n).at(-1)!).filter(Boolean);
    assert.ok(chosen.length >= (FULL ? 150 : SAMPLE.length), `found ${chosen.length} crates`);
    await check(
      t,
      "single-dependency projects",
      chosen.map((c) => ({ project: { ...singleDependencyProject(c), name: "single" }, args: [] })),
    );
  });

  test("projects with several dependencies, with and without feature flags", async (t) => {
    // each project plain and with one of the flag sets, in turn
    const flags = [["--all-features"], ["--no-default-features", "--features", "extra"]];
    const cases = multiDependencyProjects().flatMap((project, i) => [
      { project, args: [] },
      { project, args: flags[i % flags.length]! },
    ]);
    await check(t, "multi-dependency projects", cases);
  });

  test("workspaces: members, renames, two majors of one crate, target-specific dependencies", async (t) => {
    const projects = workspaceProjects();
    const targets = projects.find((p) => p.name === "ws-targets")!;
    const virtual = projects.find((p) => p.name === "ws-virtual")!;
    await check(t, "workspace projects", [
      ...projects.map((project) => ({ project, args: [] })),
      { project: targets, args: ["--filter-platform", "x86_64-unknown-linux-gnu"] },
      { project: targets, args: ["--filter-platform", "x86_64-pc-windows-msvc"] },
      { project: virtual, args: [], cwd: "crates/two" },
      {
        project: virtual,
        args: ["--manifest-path", "crates/one/Cargo.toml", "--filter-platform", "wasm32-unknown-unknown"],
      },
      { project: twoSourcesProject(), args: [] },
      { project: depKindsProject(), args: [] },
      { project: depKindsProject(), args: ["--filter-platform", "aarch64-apple-darwin"] },
      { project: projects.find((p) => p.name === "ws-empty-member")!, args: ["--locked"] },
    ]);
  });

  test("feature flags: optional, weak and renamed dependencies, resolver 1 and 2, platforms", async (t) => {
    const cases: Case[] = [];
    for (const project of [featureProject("feat-v2", "2021"), featureProject("feat-v1", "2018")])
      for (const args of FEATURE_ARGS) cases.push({ project, args });
    const ws = memberFeatureWorkspace();
    for (const args of [
      [],
      ["--features", "fa"],
      ["--features", "fa,mem"],
      ["--features", "b/mem"],
      ["--features", "nope"],
      ["--all-features"],
      ["--no-default-features"],
    ])
      cases.push({ project: ws, args });
    const v1 = rootV1Workspace();
    for (const args of [
      [],
      ["--features", "fa"],
      ["--features", "b/mem"],
      ["--features", "fa,b/mem"],
      ["--all-features"],
    ])
      cases.push({ project: v1, args });
    cases.push({ project: v1, args: ["--features", "mem"], cwd: "b" });
    await check(t, "feature-flag cases", cases);
  });

  test("seeded random projects", async (t) => {
    const projects = randomProjects(corpusCrateInfos(CORPUS_DIR), RANDOM_COUNT);
    const chosen = FULL ? projects : projects.slice(0, RANDOM_SAMPLE);
    await check(
      t,
      "random projects",
      chosen.flatMap((project) => [
        { project, args: [] },
        ...(project.metadataArgs.length > 0 ? [{ project, args: project.metadataArgs }] : []),
      ]),
    );
  });
});
