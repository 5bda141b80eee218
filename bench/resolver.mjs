#!/usr/bin/env node
// wharf's resolver alone, in process: the same generated layered registries the lockfile
// benchmark serves (lib/layered-gen.mjs), parsed into Summaries in a MemoryRegistry (no
// network, no cache, no lockfile writing), then resolved from the same root request. Shows
// how resolve time and heap grow with the registry size.
//
//   node bench/run.mjs resolver [--sizes 2000,10000] [--repeat 3] [--seed 1]
//
// Each size runs in its own child process (node --expose-gc) so heaps do not mix. Reported
// per size: load (parse index lines + build Summaries) time and retained heap; resolve
// time (first run, which includes JIT warm-up, and the median of all runs); heap growth
// during a resolve (peak sampled at every registry query, and retained after it, both
// after a full GC before the run); packages in the result; registry queries made.
// JSON goes to bench/results/resolver.json.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { getHeapStatistics } from "node:v8";
import { parseIndexFile, parseRequirement, parseVersion } from "@wharf/protocol";
import { generateLayeredRegistry } from "./lib/layered-gen.mjs";
import { median } from "./lib/timed-run.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const resolverDist = join(here, "..", "packages", "wharf", "dist", "resolver", "index.js");

const { values: opts } = parseArgs({
  options: {
    sizes: { type: "string", default: "2000,10000" },
    repeat: { type: "string", default: "3" },
    seed: { type: "string", default: "1" },
    one: { type: "string" },
    out: { type: "string", default: join(here, "results", "resolver.json") },
  },
});
const seed = Number(opts.seed);
const repeat = Number(opts.repeat);

const MB = (b) => Math.round((b / 1048576) * 10) / 10;
const heapUsed = () => getHeapStatistics().used_heap_size;

/** the child: one size, prints one JSON line */
async function one(crates) {
  const {
    MemoryRegistry,
    resolve: resolveGraph,
    summaryFromIndexLine,
    buildFeatureMap,
  } = await import(resolverDist);
  const work = mkdtempSync(join(tmpdir(), "wharf-bench-resolver-"));
  try {
    const dir = join(work, "index");
    const gen = generateLayeredRegistry({ dir, crates, seed });
    const source = { kind: "registry", url: "sparse+https://127.0.0.1/" };
    const sourceForRegistry = (url) => ({ kind: "registry", url });
    // read the files first so load time is parsing and Summary building only
    const texts = gen.paths.map((rel) => readFileSync(join(dir, rel), "utf8"));
    globalThis.gc();
    const heap0 = heapUsed();
    const t0 = performance.now();
    const summaries = [];
    for (let i = 0; i < texts.length; i++) {
      const name = gen.paths[i].split("/").at(-1);
      for (const line of parseIndexFile(texts[i], name).lines)
        summaries.push(summaryFromIndexLine(line, { source, sourceForRegistry }));
    }
    const loadMs = performance.now() - t0;
    texts.length = 0;
    globalThis.gc();
    const loadHeap = heapUsed() - heap0;

    const deps = gen.top.map((t, i) => ({
      name: t.name,
      nameInToml: t.name,
      req: parseRequirement(t.req),
      kind: "normal",
      optional: false,
      defaultFeatures: true,
      features: i % 5 === 0 ? ["full"] : [],
      source,
    }));
    const root = {
      id: {
        name: "bench-root",
        version: parseVersion("0.1.0"),
        source: { kind: "path", path: "/bench/root" },
      },
      dependencies: deps,
      features: buildFeatureMap(new Map(), deps),
      yanked: false,
    };

    const runs = [];
    for (let k = 0; k < repeat; k++) {
      const registry = new MemoryRegistry(summaries);
      let peak = 0;
      const sampling = {
        query: (dep) => {
          const h = heapUsed();
          if (h > peak) peak = h;
          return registry.query(dep);
        },
        describeSource: (s) => registry.describeSource(s),
      };
      globalThis.gc();
      const before = heapUsed();
      const t1 = performance.now();
      const result = await resolveGraph(sampling, { roots: [{ summary: root }] });
      const ms = performance.now() - t1;
      const after = heapUsed();
      peak = Math.max(peak, after);
      globalThis.gc();
      const retained = heapUsed() - before;
      runs.push({
        ms: Math.round(ms),
        peakHeapGrowthMb: MB(peak - before),
        retainedMb: MB(retained),
        packages: result.packages.length,
        queries: [...registry.queries.values()].reduce((a, b) => a + b, 0),
      });
    }
    process.stdout.write(
      `${JSON.stringify({
        crates,
        versions: gen.stats.lines,
        rootDependencies: gen.top.length,
        loadMs: Math.round(loadMs),
        loadHeapMb: MB(loadHeap),
        runs,
        firstMs: runs[0].ms,
        medianMs: median(runs.map((r) => r.ms)),
        packages: runs[0].packages,
        queries: runs[0].queries,
        peakHeapGrowthMb: Math.max(...runs.map((r) => r.peakHeapGrowthMb)),
        rssMb: MB(process.memoryUsage().rss),
      })}\n`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function child(crates) {
  return new Promise((res, rej) => {
    const args = ["--expose-gc", fileURLToPath(import.meta.url), "--one", String(crates)];
    args.push("--seed", String(seed), "--repeat", String(repeat));
    const c = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    c.stdout.on("data", (d) => {
      out += d;
    });
    c.on("error", rej);
    c.on("close", (code) => {
      if (code !== 0) return rej(new Error(`resolver bench for ${crates} crates exited ${code}`));
      res(JSON.parse(out.trim().split("\n").at(-1)));
    });
  });
}

if (opts.one) {
  await one(Number(opts.one));
} else {
  const sizes = opts.sizes.split(",").map(Number);
  const results = [];
  for (const crates of sizes) {
    console.log(`bench resolver: ${crates} crates …`);
    const r = await child(crates);
    results.push(r);
    console.log(
      `bench resolver: ${crates}: load ${r.loadMs} ms (${r.loadHeapMb} MB heap), resolve first ${r.firstMs} ms, ` +
        `median ${r.medianMs} ms, peak heap +${r.peakHeapGrowthMb} MB, ${r.packages} packages, ${r.queries} queries`,
    );
  }
  const rows = [
    [
      "crates",
      "versions",
      "load ms",
      "load MB",
      "resolve ms",
      "(first)",
      "peak +MB",
      "packages",
      "queries",
      "ms/pkg",
    ],
  ];
  for (const r of results) {
    rows.push([
      r.crates,
      r.versions,
      r.loadMs,
      r.loadHeapMb,
      r.medianMs,
      r.firstMs,
      r.peakHeapGrowthMb,
      r.packages,
      r.queries,
      (r.medianMs / r.packages).toFixed(2),
    ]);
  }
  console.log("");
  for (const [i, row] of rows.entries()) {
    console.log(row.map((c) => String(c).padStart(10)).join(" "));
    if (i === 0) console.log(row.map(() => "-".repeat(10)).join(" "));
  }
  const report = {
    what: "wharf resolver in process over a MemoryRegistry of generated layered registries",
    date: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      node: process.version,
      loadAvgAtEnd: loadavg().map((x) => Math.round(x * 100) / 100),
    },
    settings: { seed, repeat, heap: "used_heap_size after a full GC; peak sampled at each registry query" },
    results,
  };
  mkdirSync(dirname(resolve(opts.out)), { recursive: true });
  writeFileSync(opts.out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`bench resolver: wrote ${opts.out}`);
}
