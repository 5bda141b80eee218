#!/usr/bin/env node
// Builder benchmark: real cargo and wharf build the largest sample application of
// packages/test-support/src/build-samples.ts (the one whose Cargo.lock holds the most
// packages, unless --app names one) against a real Wharf registry holding the Debian corpus
// (startCorpusRegistry, in this process: the tools are spawned asynchronously):
//   clean-debug    `build` with the target dir removed (downloads cached beforehand)
//   noop           `build` again, nothing changed
//   touch          `build` after touching src/main.rs (mtime moved forward)
//   clean-release  `build --release` with target/release removed
//
//   node bench/run.mjs build [--runs 5] [--app clap-app] [--scenarios clean-debug,noop,touch,clean-release]
//                            [--jobs N] [--cpu-prof DIR]   # one extra profiled wharf run per scenario
//
// Both tools build the same Cargo.lock (cargo's), each in its own project and target dir;
// every run of a scenario runs both tools back to back, the first tool alternating run by
// run, so a burst of load on this shared machine hits both. Each run records wall time, CPU
// (user + system of the tool and its children: rustc), peak RSS, the number of `Compiling`
// lines and the 1-minute load average before it. Medians and wharf/cargo ratios are printed
// against the targets (clean builds within 5% of cargo, no-op within 2x); JSON goes to
// bench/results/build.json.
import { mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { cpus, loadavg, release } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { makeTempHome, startCorpusRegistry, writeTree } from "@wharf/test-support";
import { SAMPLE_APPS } from "../packages/test-support/dist/build-samples.js";
import { renderProfile, summarizeProfile } from "./lib/cpuprofile.mjs";
import { median, realCargo, timedRun, wharfCommand } from "./lib/timed-run.mjs";
import { fmtMb, fmtS, renderToolTable, toolRatios } from "./lib/tool-runs.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const SCENARIOS = ["clean-debug", "noop", "touch", "clean-release"];
const TARGETS = { "clean-debug": 1.05, "clean-release": 1.05, noop: 2, touch: null };
const { values: opts } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    app: { type: "string" },
    scenarios: { type: "string", default: SCENARIOS.join(",") },
    jobs: { type: "string" },
    "cpu-prof": { type: "string" },
    out: { type: "string", default: join(here, "results", "build.json") },
  },
});
const runs = Number(opts.runs);
const scenarios = opts.scenarios.split(",");
if (!Number.isInteger(runs) || runs < 1 || scenarios.some((s) => !SCENARIOS.includes(s))) {
  console.error(`bench build: --runs must be >= 1 and --scenarios a subset of ${SCENARIOS.join(",")}`);
  process.exit(2);
}
const log = (m) => console.log(`bench build: ${m}`);

// spawnSync-based: before the in-process registry starts
const cargo = realCargo(process.env);
const tools = [
  { name: "cargo", cmd: cargo.cmd, pre: [], version: cargo.version },
  { name: "wharf", ...wharfCommand() },
];

const home = makeTempHome("wharf-bench-build-");
let registry;
try {
  const t0 = performance.now();
  let client;
  ({ registry, client } = await startCorpusRegistry(home));
  log(`registry with the corpus ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const env = { ...client.env, WHARF_HOME: home.wharfHome, CARGO_TERM_COLOR: "never" };
  const jobsArgs = opts.jobs ? ["-j", opts.jobs] : [];

  // the app: the one with the most locked packages (cargo's lock), or --app
  const locks = new Map();
  for (const app of SAMPLE_APPS) {
    if (opts.app && app.name !== opts.app) continue;
    const dir = join(home.root, "lock", app.name);
    mkdirSync(dir, { recursive: true });
    writeTree(dir, app.files);
    const r = await timedRun(cargo.cmd, ["generate-lockfile"], { cwd: dir, env });
    if (r.status !== 0) throw new Error(`cargo generate-lockfile for ${app.name}: ${r.stderr.slice(-2000)}`);
    const lock = readFileSync(join(dir, "Cargo.lock"), "utf8");
    locks.set(app.name, { app, lock, packages: lock.split("[[package]]").length - 1 });
  }
  if (locks.size === 0) throw new Error(`bench build: no sample app named ${opts.app}`);
  const chosen = [...locks.values()].sort((a, b) => b.packages - a.packages)[0];
  log(
    `sample apps by locked packages: ${[...locks.values()].map((l) => `${l.app.name} ${l.packages}`).join(", ")}; building ${chosen.app.name}`,
  );

  const projects = new Map();
  for (const tool of tools) {
    const dir = join(home.root, `project-${tool.name}`);
    writeTree(dir, { ...chosen.app.files, "Cargo.lock": chosen.lock });
    projects.set(tool.name, dir);
  }
  const run = async (tool, args, what) => {
    const dir = projects.get(tool.name);
    const loadBefore = Math.round(loadavg()[0] * 100) / 100;
    const r = await timedRun(tool.cmd, [...tool.pre, ...args], { cwd: dir, env, timeoutMs: 3_600_000 });
    if (r.status !== 0)
      throw new Error(
        `${tool.name} ${args.join(" ")} (${what}) exited ${r.status}:\n${r.stderr.slice(-3000)}`,
      );
    const compiled = r.stderr.split("\n").filter((l) => /^\s*Compiling /.test(l)).length;
    return { wallMs: r.wallMs, cpuMs: r.cpuMs, maxRssKb: r.maxRssKb, compiled, loadAvg1mBefore: loadBefore };
  };
  // downloads and unpacking are not what is measured: each tool fetches once first
  for (const tool of tools) await run(tool, ["fetch"], "warm-up fetch");

  const target = (tool) => join(projects.get(tool.name), "target");
  const steps = {
    "clean-debug": {
      before: (tool) => rmSync(target(tool), { recursive: true, force: true }),
      args: ["build", ...jobsArgs],
    },
    noop: { before: () => {}, args: ["build", ...jobsArgs] },
    touch: {
      before: (tool) => {
        const main = join(projects.get(tool.name), "src", "main.rs");
        const later = new Date(Date.now() + 1000);
        utimesSync(main, later, later);
      },
      args: ["build", ...jobsArgs],
    },
    "clean-release": {
      before: (tool) => rmSync(join(target(tool), "release"), { recursive: true, force: true }),
      args: ["build", "--release", ...jobsArgs],
    },
  };
  // noop and touch need a built debug tree: clean-debug runs first in every run when selected,
  // else one unrecorded debug build per tool
  if (!scenarios.includes("clean-debug") && scenarios.some((s) => s === "noop" || s === "touch")) {
    for (const tool of tools) await run(tool, ["build", ...jobsArgs], "setup build");
  }
  const per = new Map(scenarios.map((s) => [s, Object.fromEntries(tools.map((t) => [t.name, []]))]));
  for (let i = 0; i < runs; i++) {
    const order = i % 2 === 0 ? tools : [...tools].reverse();
    for (const s of SCENARIOS.filter((x) => scenarios.includes(x))) {
      for (const tool of order) {
        steps[s].before(tool);
        const got = await run(tool, steps[s].args, `${s} run ${i + 1}`);
        per.get(s)[tool.name].push(got);
        log(
          `${s} ${tool.name} #${i + 1}: ${fmtS(got.wallMs)} s (cpu ${fmtS(got.cpuMs)} s), ${fmtMb(got.maxRssKb)} MB, ${got.compiled} compiled, load ${got.loadAvg1mBefore}`,
        );
      }
    }
  }

  const entries = [];
  for (const s of scenarios) {
    for (const tool of tools) {
      const list = per.get(s)[tool.name];
      entries.push({
        what: `${s} (${chosen.app.name})`,
        scenario: s,
        mode: "-",
        tool: tool.name,
        runs: list,
        medianWallMs: median(list.map((r) => r.wallMs)),
        medianCpuMs: median(list.map((r) => r.cpuMs)),
        medianMaxRssKb: median(list.map((r) => r.maxRssKb)),
        medianCompiled: median(list.map((r) => r.compiled)),
      });
    }
  }
  const ratios = toolRatios(entries).map((r) => {
    const scenario = entries.find((e) => e.what === r.what)?.scenario;
    const limit = TARGETS[scenario] ?? null;
    return { ...r, target: limit, met: limit === null || r.wall === null ? null : r.wall <= limit };
  });

  const profiles = [];
  if (opts["cpu-prof"]) {
    const dir = resolve(opts["cpu-prof"]);
    mkdirSync(dir, { recursive: true });
    const wharf = tools.find((t) => t.name === "wharf");
    for (const s of SCENARIOS.filter((x) => scenarios.includes(x))) {
      const sub = join(dir, s);
      rmSync(sub, { recursive: true, force: true });
      steps[s].before(wharf);
      const profiled = { ...wharf, pre: ["--cpu-prof", "--cpu-prof-dir", sub, ...wharf.pre] };
      const got = await run(profiled, steps[s].args, `${s} profiled`);
      const file = readdirSync(sub).find((f) => f.endsWith(".cpuprofile"));
      const summary = summarizeProfile(JSON.parse(readFileSync(join(sub, file), "utf8")), { top: 15 });
      profiles.push({ scenario: s, wallMs: got.wallMs, cpuMs: got.cpuMs, file: join(sub, file), summary });
      console.log(`\n== wharf ${s}, profiled: ${fmtS(got.wallMs)} s wall, ${fmtS(got.cpuMs)} s cpu`);
      console.log(renderProfile(summary));
    }
  }

  const report = {
    what: "cargo vs wharf building the largest sample application against a Wharf registry holding the Debian corpus",
    date: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? null,
      kernel: release(),
      node: process.version,
      loadAvgAtEnd: loadavg().map((x) => Math.round(x * 100) / 100),
      note: "shared machine: other processes run alongside; see loadAvg1mBefore per run",
    },
    tools: tools.map((t) => ({ name: t.name, cmd: [t.cmd, ...t.pre].join(" "), version: t.version })),
    settings: {
      runs,
      app: chosen.app.name,
      lockPackages: chosen.packages,
      jobs: opts.jobs ?? "default (both tools: available parallelism)",
      statistic: "median of runs; cpu = user + system of the tool and its children; RSS is GNU time %M",
      order: "per run and scenario both tools back to back, the first tool alternating",
      targets: TARGETS,
    },
    entries,
    ratios,
    profiles: profiles.map(({ summary, ...p }) => ({ ...p, top: summary.inclusive.slice(0, 10) })),
  };
  mkdirSync(dirname(resolve(opts.out)), { recursive: true });
  writeFileSync(opts.out, `${JSON.stringify(report, null, 2)}\n`);
  console.log("");
  console.log(renderToolTable(entries, ["cargo", "wharf"]));
  console.log("(medians of the runs; x = wharf / cargo; RSS = peak resident set; cpu = user + system)");
  for (const r of ratios) {
    if (r.target === null) continue;
    console.log(`target ${r.what}: wall x ${r.wall} (target <= ${r.target}): ${r.met ? "met" : "NOT met"}`);
  }
  const loads = entries.flatMap((e) => e.runs.map((r) => r.loadAvg1mBefore));
  console.log(
    `load average (1 min) before runs: min ${Math.min(...loads)}, median ${median(loads.map((x) => Math.round(x * 100))) / 100}, max ${Math.max(...loads)}; at end ${loadavg()
      .map((x) => x.toFixed(2))
      .join(" ")} on ${cpus().length} CPUs`,
  );
  log(`wrote ${opts.out}`);
} finally {
  await registry?.close();
  home.cleanup();
}
