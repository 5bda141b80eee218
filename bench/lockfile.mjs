#!/usr/bin/env node
// Client benchmark, synthetic registries: real cargo and wharf run `generate-lockfile` for
// the same root project against the same generated sparse index, served by nginx over
// HTTPS (HTTP/2 offered; both tools trust the same throwaway test CA), cold (fresh homes)
// and warm (index cached, so every index file is revalidated with a conditional GET).
//
//   node bench/run.mjs lockfile [--sizes 2000,10000] [--runs 3] [--seed 1] [--tools cargo,wharf]
//                               [--baseline DIR]   # also run DIR/packages/wharf/dist as "wharf-base"
//
// The registries come from lib/layered-gen.mjs (layers, ten versions a crate, optional
// deps behind features, yanked versions); the root depends on every top-layer crate. The
// two tools' Cargo.lock files are compared byte for byte and the result is reported: a
// faster wrong answer would not count. Each tool's wall time and peak RSS (GNU time %M) is
// the median of --runs runs; JSON goes to bench/results/client-lockfile.json.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, release, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { makeTestPki, startNginxStaticServer } from "@wharf/test-support";
import { generateLayeredRegistry, rootProjectFiles } from "./lib/layered-gen.mjs";
import { baselineWharf, realCargo, wharfCommand } from "./lib/timed-run.mjs";
import { coldAndWarm, renderToolTable, toolRatios } from "./lib/tool-runs.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const { values: opts } = parseArgs({
  options: {
    sizes: { type: "string", default: "2000,10000" },
    runs: { type: "string", default: "3" },
    seed: { type: "string", default: "1" },
    tools: { type: "string", default: "cargo,wharf" },
    baseline: { type: "string" },
    out: { type: "string", default: join(here, "results", "client-lockfile.json") },
    keep: { type: "boolean", default: false },
  },
});
const sizes = opts.sizes.split(",").map(Number);
const runs = Number(opts.runs);
const seed = Number(opts.seed);
if (sizes.some((n) => !Number.isInteger(n) || n < 100) || !Number.isInteger(runs) || runs < 1) {
  console.error("bench lockfile: --sizes must be integers >= 100 and --runs >= 1");
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), "wharf-bench-lockfile-"));
const cargo = realCargo(process.env);
const wharf = wharfCommand();
const allTools = [
  { name: "cargo", cmd: cargo.cmd, pre: [], version: cargo.version },
  { name: "wharf", ...wharf },
];
const tools = allTools.filter((t) => opts.tools.split(",").includes(t.name));
if (opts.baseline) tools.push(baselineWharf(opts.baseline));

const entries = [];
const registries = [];
try {
  const pki = makeTestPki(join(work, "pki"));
  for (const crates of sizes) {
    const dir = join(work, `index-${crates}`);
    const t0 = performance.now();
    const gen = generateLayeredRegistry({ dir, crates, seed });
    console.log(
      `bench lockfile: ${crates} crates in layers ${gen.stats.layers.join("/")}, ${gen.stats.lines} versions ` +
        `(${gen.stats.yanked} yanked), ${(gen.stats.bytes / 1e6).toFixed(1)} MB, generated in ${Math.round(performance.now() - t0)} ms`,
    );
    const server = await startNginxStaticServer({
      root: dir,
      certPath: pki.server.certPath,
      keyPath: pki.server.keyPath,
      http2: true,
      workerProcesses: 1,
    });
    try {
      const { entries: got, locks } = await coldAndWarm({
        label: `lockfile ${crates}`,
        tools,
        registry: { caCertPath: pki.ca.caCertPath, indexUrl: `${server.url}/` },
        step: {
          args: ["generate-lockfile"],
          files: rootProjectFiles(gen.top),
          after: (d) => rmSync(join(d, "Cargo.lock"), { force: true }),
        },
        runs,
        log: console.log,
      });
      const what = `generate-lockfile ${crates}`;
      for (const e of got) entries.push({ what, crates, ...e });
      const lockPackages = locks.cargo ? locks.cargo.split("[[package]]").length - 1 : null;
      const lockEqual = locks.cargo && locks.wharf ? locks.cargo === locks.wharf : null;
      const baseEqual = locks["wharf-base"] ? locks["wharf-base"] === locks.cargo : undefined;
      console.log(
        `bench lockfile: ${crates}: ${lockPackages ?? "?"} packages locked; Cargo.lock cargo == wharf: ${lockEqual}` +
          (baseEqual === undefined ? "" : `; cargo == wharf-base: ${baseEqual}`),
      );
      registries.push({ ...gen.stats, rootDependencies: gen.top.length, lockPackages, lockEqual });
    } finally {
      await server.stop();
    }
  }

  const ratios = toolRatios(entries);
  const report = {
    what: "cargo vs wharf generate-lockfile on generated layered sparse registries (nginx, HTTPS, HTTP/2)",
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
      seed,
      statistic: "median of runs; RSS is GNU time %M",
      cold: "fresh CARGO_HOME / WHARF_HOME and project per run",
      warm: "one home per tool primed by an unrecorded run; Cargo.lock deleted before each run",
    },
    registries,
    entries,
    ratios,
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
  console.log(`bench lockfile: wrote ${opts.out}`);
} finally {
  if (opts.keep) console.log(`bench lockfile: kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
