#!/usr/bin/env node
// Sandbox overhead: clean builds of the sample applications (packages/test-support's
// SAMPLE_APPS: serde derive, clap derive, regex, rand, tokio, anyhow + thiserror) against
// the corpus registry, by
//   cargo            real cargo
//   wharf            wharf build (bubblewrap sandbox on: the default)
//   wharf-nosandbox  wharf build --no-sandbox
// alternating (the order rotates each run), --runs runs each. Dependencies are downloaded
// once beforehand by an unrecorded build, so every recorded run compiles from scratch with
// warm caches.
//
//   node bench/run.mjs sandbox [--runs 5] [--apps serde-app,errors-app] [--jobs N]
//
// Medians; JSON goes to bench/results/sandbox.json.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, release } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { makeTempHome, startCorpusRegistry, writeTree } from "@wharf/test-support";
import { SAMPLE_APPS } from "../packages/test-support/dist/build-samples.js";
import { median, realCargo, timedRun, wharfCommand } from "./lib/timed-run.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const { values: opts } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    apps: { type: "string", default: SAMPLE_APPS.map((a) => a.name).join(",") },
    jobs: { type: "string" },
    out: { type: "string", default: join(here, "results", "sandbox.json") },
  },
});
const runs = Number(opts.runs);
if (!Number.isInteger(runs) || runs < 1) {
  console.error("bench sandbox: --runs must be >= 1");
  process.exit(2);
}
const apps = opts.apps.split(",").map((n) => {
  const app = SAMPLE_APPS.find((a) => a.name === n);
  if (!app) {
    console.error(`bench sandbox: unknown app ${n} (known: ${SAMPLE_APPS.map((a) => a.name).join(", ")})`);
    process.exit(2);
  }
  return app;
});
const jobArgs = opts.jobs ? ["-j", opts.jobs] : [];

// spawnSync-based: before the in-process registry starts
const cargo = realCargo(process.env);
const wharf = wharfCommand();
const MODES = [
  { name: "cargo", cmd: cargo.cmd, args: ["build", ...jobArgs] },
  { name: "wharf", cmd: wharf.cmd, args: [...wharf.pre, "build", ...jobArgs] },
  { name: "wharf-nosandbox", cmd: wharf.cmd, args: [...wharf.pre, "build", "--no-sandbox", ...jobArgs] },
];

const home = makeTempHome("wharf-bench-sandbox-");
let registry;
try {
  let client;
  ({ registry, client } = await startCorpusRegistry(home));
  const env = { ...client.env, WHARF_HOME: home.wharfHome, CARGO_TERM_COLOR: "never" };
  const entries = [];
  for (const app of apps) {
    const dirs = {};
    for (const m of MODES) {
      dirs[m.name] = join(home.root, m.name, app.name);
      mkdirSync(dirs[m.name], { recursive: true });
      writeTree(dirs[m.name], app.files);
      // unrecorded: resolve, download, unpack
      const warm = await timedRun(m.cmd, m.args, { cwd: dirs[m.name], env });
      if (warm.status !== 0) throw new Error(`${m.name} ${app.name}: ${warm.stderr.slice(-2000)}`);
    }
    const times = Object.fromEntries(MODES.map((m) => [m.name, { wall: [], cpu: [] }]));
    for (let run = 0; run < runs; run++) {
      const order = MODES.map((_, i) => MODES[(i + run) % MODES.length]);
      for (const m of order) {
        rmSync(join(dirs[m.name], "target"), { recursive: true, force: true });
        const r = await timedRun(m.cmd, m.args, { cwd: dirs[m.name], env });
        if (r.status !== 0) throw new Error(`${m.name} ${app.name}: ${r.stderr.slice(-2000)}`);
        times[m.name].wall.push(r.wallMs);
        times[m.name].cpu.push(r.cpuMs);
        console.log(`bench sandbox: ${app.name} run ${run + 1} ${m.name}: ${(r.wallMs / 1000).toFixed(2)} s`);
      }
    }
    const med = Object.fromEntries(
      MODES.map((m) => [m.name, { wallMs: median(times[m.name].wall), cpuMs: median(times[m.name].cpu) }]),
    );
    const on = med.wharf.wallMs;
    const off = med["wharf-nosandbox"].wallMs;
    const overhead = on && off ? Math.round(((on - off) / off) * 1000) / 10 : null;
    entries.push({ app: app.name, runs, medians: med, samples: times, sandboxOverheadPct: overhead });
  }
  const sum = (mode) => entries.reduce((s, e) => s + (e.medians[mode].wallMs ?? 0), 0);
  const total = {
    cargo: sum("cargo"),
    wharf: sum("wharf"),
    "wharf-nosandbox": sum("wharf-nosandbox"),
  };
  const report = {
    what: "clean builds of the sample applications: cargo, wharf with the bubblewrap sandbox, wharf --no-sandbox",
    date: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? null,
      kernel: release(),
      node: process.version,
      loadAvgAtEnd: loadavg().map((x) => Math.round(x * 100) / 100),
      note: "shared machine; the registry runs in the benchmark's own process",
    },
    tools: { cargo: cargo.version, wharf: wharf.version },
    settings: {
      runs,
      apps: apps.map((a) => a.name),
      order: "rotating per run",
      jobs: opts.jobs ?? "default",
    },
    entries,
    totalMedianWallMs: total,
    sandboxOverheadPct:
      Math.round(((total.wharf - total["wharf-nosandbox"]) / total["wharf-nosandbox"]) * 1000) / 10,
  };
  mkdirSync(dirname(resolve(opts.out)), { recursive: true });
  writeFileSync(opts.out, `${JSON.stringify(report, null, 2)}\n`);
  console.log("");
  console.log("app              cargo s   wharf s   no-sandbox s   sandbox overhead");
  for (const e of entries) {
    const s = (m) => ((e.medians[m].wallMs ?? 0) / 1000).toFixed(2).padStart(8);
    console.log(
      `${e.app.padEnd(16)} ${s("cargo")}  ${s("wharf")}  ${s("wharf-nosandbox")}       ${e.sandboxOverheadPct}%`,
    );
  }
  console.log(`total overhead (sum of medians): ${report.sandboxOverheadPct}%`);
  console.log(`bench sandbox: wrote ${opts.out}`);
} finally {
  await registry?.close();
  home.cleanup();
}
