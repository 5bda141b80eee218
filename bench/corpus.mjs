#!/usr/bin/env node
// Client benchmark, a large real graph: a project depending on ~45 popular crates of the
// Debian corpus (/usr/share/cargo/registry), served by a real Wharf registry over HTTPS
// (startCorpusRegistry, in this process: the tools are spawned asynchronously), with real
// cargo and wharf each running
//   generate-lockfile   cold (fresh CARGO_HOME / WHARF_HOME) and warm (index cached)
//   fetch               cold (fresh homes, the Cargo.lock given) and warm (all cached)
//
//   node bench/run.mjs corpus [--runs 3] [--tools cargo,wharf] [--baseline DIR]
//
// Both tools' Cargo.lock files are compared byte for byte; the fetch step starts from
// cargo's. Medians of --runs runs; JSON goes to bench/results/client-corpus.json.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, release } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { makeTempHome, startCorpusRegistry } from "@wharf/test-support";
import { baselineWharf, realCargo, wharfCommand } from "./lib/timed-run.mjs";
import { coldAndWarm, renderToolTable, toolRatios } from "./lib/tool-runs.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const { values: opts } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    tools: { type: "string", default: "cargo,wharf" },
    baseline: { type: "string" },
    steps: { type: "string", default: "generate-lockfile,fetch" },
    out: { type: "string", default: join(here, "results", "client-corpus.json") },
  },
});
const runs = Number(opts.runs);
if (!Number.isInteger(runs) || runs < 1) {
  console.error("bench corpus: --runs must be >= 1");
  process.exit(2);
}

/** the differential test's SAMPLE plus more everyday crates; `*` takes the corpus's newest */
export const CORPUS_DEPENDENCIES = [
  // packages/test-support/src/generate-lockfile.diff.test.ts SAMPLE
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
  // more
  "base64",
  "bitflags",
  "byteorder",
  "bytes",
  "crossbeam-channel",
  "flate2",
  "glob",
  "heck",
  "hex",
  "humantime",
  "indexmap",
  "itertools",
  "lazy_static",
  "libc",
  "log",
  "memchr",
  "num-traits",
  "once_cell",
  "parking_lot",
  "petgraph",
  "rand",
  "semver",
  "serde",
  "serde_yaml",
  "sha2",
  "smallvec",
  "tempfile",
  "termcolor",
  "thiserror",
  "toml",
  "walkdir",
];

function projectFiles() {
  const deps = CORPUS_DEPENDENCIES.map((n) =>
    n === "serde" ? `serde = { version = "*", features = ["derive"] }` : `"${n}" = "*"`,
  );
  return {
    "Cargo.toml": `[package]\nname = "bench-corpus"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n${deps.join("\n")}\n`,
    "src/lib.rs": "",
  };
}

// spawnSync-based: before the in-process registry starts
const cargo = realCargo(process.env);
const tools = [
  { name: "cargo", cmd: cargo.cmd, pre: [], version: cargo.version },
  { name: "wharf", ...wharfCommand() },
].filter((t) => opts.tools.split(",").includes(t.name));
if (opts.baseline) tools.push(baselineWharf(opts.baseline));
const steps = opts.steps.split(",");

const home = makeTempHome("wharf-bench-corpus-");
let registry;
const entries = [];
const checks = {};
try {
  const t0 = performance.now();
  ({ registry } = await startCorpusRegistry(home));
  console.log(
    `bench corpus: registry with the corpus ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  const target = { caCertPath: registry.pki.ca.caCertPath, indexUrl: registry.indexUrl };
  const files = projectFiles();

  const gen = await coldAndWarm({
    label: "corpus generate-lockfile",
    tools,
    registry: target,
    step: {
      args: ["generate-lockfile"],
      files,
      after: (d) => rmSync(join(d, "Cargo.lock"), { force: true }),
    },
    runs: steps.includes("generate-lockfile") ? runs : 1,
    modes: steps.includes("generate-lockfile") ? ["cold", "warm"] : ["cold"],
    log: console.log,
  });
  const lock = gen.locks.cargo;
  const packages = lock ? lock.split("[[package]]").length - 1 : null;
  checks.dependencies = CORPUS_DEPENDENCIES.length;
  checks.lockPackages = packages;
  checks.lockEqual = gen.locks.wharf ? gen.locks.wharf === lock : null;
  if (gen.locks["wharf-base"]) checks.baseLockEqual = gen.locks["wharf-base"] === lock;
  console.log(
    `bench corpus: ${CORPUS_DEPENDENCIES.length} dependencies, ${packages} packages locked; Cargo.lock cargo == wharf: ${checks.lockEqual}`,
  );
  if (steps.includes("generate-lockfile")) {
    for (const e of gen.entries) entries.push({ what: `generate-lockfile (${packages} pkgs)`, ...e });
  }

  if (steps.includes("fetch")) {
    if (!lock) throw new Error("bench corpus: fetch needs cargo's Cargo.lock from generate-lockfile");
    const fetched = await coldAndWarm({
      label: "corpus fetch",
      tools,
      registry: target,
      step: {
        args: ["fetch"],
        files: { ...files, "Cargo.lock": lock },
      },
      runs,
      log: console.log,
    });
    for (const e of fetched.entries) entries.push({ what: `fetch (${packages} pkgs)`, ...e });
  }

  const report = {
    what: "cargo vs wharf on a project with many real crates, served by a Wharf registry holding the Debian corpus",
    date: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? null,
      kernel: release(),
      node: process.version,
      loadAvgAtEnd: loadavg().map((x) => Math.round(x * 100) / 100),
      note: "shared machine; the registry runs in the benchmark's own process",
    },
    tools: tools.map((t) => ({ name: t.name, cmd: [t.cmd, ...t.pre].join(" "), version: t.version })),
    settings: {
      runs,
      dependencies: CORPUS_DEPENDENCIES,
      cold: "fresh CARGO_HOME / WHARF_HOME and project per run",
      warm: "one home per tool primed by an unrecorded run",
      fetch: "starts from cargo's Cargo.lock; both tools download and unpack every package",
    },
    checks,
    entries,
    ratios: toolRatios(entries),
  };
  mkdirSync(dirname(resolve(opts.out)), { recursive: true });
  writeFileSync(opts.out, `${JSON.stringify(report, null, 2)}\n`);
  console.log("");
  console.log(
    renderToolTable(
      entries,
      tools.map((t) => t.name),
    ),
  );
  console.log("(medians of the runs; x = this tool / cargo; RSS = peak resident set; cpu = user + system)");
  console.log(`bench corpus: wrote ${opts.out}`);
} finally {
  await registry?.close();
  home.cleanup();
}
