#!/usr/bin/env node
import { spawnSync } from "node:child_process";
// Sparse-index GET benchmark: the Wharf registry against nginx serving the same files.
//
//   npm run bench                      # build, then every group (this one with the defaults below)
//   node bench/run.mjs registry --duration 5 --connections 32 --targets nginx
//
// What it does, so the numbers can be read honestly:
//  - generates a deterministic synthetic sparse index (default 5,000 crates, 1-20 lines
//    each, crates.io-shaped lines) into a temp dir;
//  - makes a throwaway test CA + certificate; every target serves HTTPS with that same
//    certificate on 127.0.0.1, pinned to --server-cpu (default core 0);
//  - before measuring a target, GETs a sample of paths and checks the bytes equal the
//    files on disk, and records the negotiated TLS protocol/cipher;
//  - per connection count: a short warm-up run (not recorded), then a --duration run of
//    wrk (HTTP/1.1 keep-alive, one GET per index file in turn), pinned to --client-cpu;
//  - the Wharf registry serves from its own store, so its target first loads the same
//    files into a fresh data dir through publishVersion (exact line text, a blob whose
//    sha256 is the line's cksum) and reports how long that took; its server runs in a
//    child process pinned like nginx;
//  - then, per target, a conditional-GET run (If-None-Match with that server's own ETag
//    for each path, fetched first; a sample is checked to answer 304) at
//    --conditional-connections;
//  - for the registry only, --publishes sequential real publishes over HTTPS (absolute
//    latencies: nginx has no equivalent);
//  - records per-core busy % so a load-generator-bound run is visible;
//  - prints a table and wharf/nginx ratios, writes JSON to bench/results/latest.json.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, release, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { makeTestPki } from "@wharf/test-support";
import { fetchEtags, tlsInfo, verifyNotModified, verifySameBytes } from "./lib/check.mjs";
import { generateSparseIndex } from "./lib/index-gen.mjs";
import { measurePublishLatency } from "./lib/publish-latency.mjs";
import { ratios, renderPublish, renderRatios, renderTable } from "./lib/report.mjs";
import { targets } from "./lib/targets.mjs";
import { runWrk, writeConditionalWrkInputs, writeWrkInputs, wrkVersion } from "./lib/wrk.mjs";

const here = dirname(fileURLToPath(import.meta.url));

const { values: opts } = parseArgs({
  options: {
    crates: { type: "string", default: "5000" },
    duration: { type: "string", default: "10" },
    warmup: { type: "string", default: "2" },
    connections: { type: "string", default: "32,128" },
    "conditional-connections": { type: "string", default: "32" },
    publishes: { type: "string", default: "50" },
    threads: { type: "string", default: "1" },
    targets: { type: "string", default: targets.map((t) => t.name).join(",") },
    seed: { type: "string", default: "1" },
    "server-cpu": { type: "string", default: "0" },
    "client-cpu": { type: "string", default: "1" },
    out: { type: "string", default: join(here, "results", "latest.json") },
    keep: { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});

if (opts.help) {
  console.log(
    "usage: node bench/run.mjs registry [--crates N] [--duration S] [--warmup S] [--connections 32,128]\n" +
      "       [--conditional-connections 32|''] [--publishes 50] [--threads T] [--targets nginx,wharf] [--seed N] [--server-cpu 0] [--client-cpu 1]\n" +
      "       [--out FILE] [--keep]",
  );
  process.exit(0);
}

function int(name, lo, hi) {
  const v = Number(opts[name]);
  if (!Number.isInteger(v) || v < lo || v > hi) {
    console.error(`bench: --${name} must be an integer in [${lo}, ${hi}], got ${opts[name]}`);
    process.exit(2);
  }
  return v;
}

const crates = int("crates", 1, 200_000);
const durationSec = int("duration", 1, 120);
const warmupSec = int("warmup", 0, 30);
const threads = int("threads", 1, 16);
const seed = int("seed", 0, 2 ** 31);
const serverCpu = int("server-cpu", 0, 1023);
const clientCpu = int("client-cpu", 0, 1023);
const publishes = int("publishes", 0, 10_000);
function connectionList(text) {
  return text
    .split(",")
    .filter((c) => c.trim() !== "")
    .map((c) => {
      const n = Number(c);
      if (!Number.isInteger(n) || n < threads || n > 10_000) {
        console.error(`bench: bad connection count ${c}`);
        process.exit(2);
      }
      return n;
    });
}
const connectionCounts = connectionList(opts.connections);
// If-None-Match with the server's own ETag for each path: the 304 path cargo hits most
const conditionalCounts = connectionList(opts["conditional-connections"]);
const wanted = opts.targets.split(",").map((s) => s.trim());
const unknown = wanted.filter((w) => !targets.some((t) => t.name === w));
if (unknown.length > 0) {
  console.error(
    `bench: unknown targets ${unknown.join(", ")} (known: ${targets.map((t) => t.name).join(", ")})`,
  );
  process.exit(2);
}
const cpuCount = cpus().length;
if (serverCpu >= cpuCount || clientCpu >= cpuCount) {
  console.error(`bench: this machine has ${cpuCount} CPUs; pick --server-cpu/--client-cpu below that`);
  process.exit(2);
}
if (serverCpu === clientCpu) console.warn("bench: warning: server and load generator share one core");

const versionOf = (cmd, args) => {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  return r.error ? null : `${r.stdout}${r.stderr}`.trim().split("\n")[0];
};
if (!wrkVersion()) {
  console.error("bench: wrk is not installed (Debian package wrk; scripts/setup.sh installs it)");
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), "wharf-bench-"));
let current;
process.on("SIGINT", async () => {
  console.error("\nbench: interrupted, stopping servers");
  await current?.stop().catch(() => {});
  if (!opts.keep) rmSync(work, { recursive: true, force: true });
  process.exit(130);
});

/** a warm-up run (not recorded), then the measured wrk run, with the machine load noted */
async function measure(name, kind, server, wrkInputs, connections) {
  const common = {
    baseUrl: server.url,
    prefix: server.prefix,
    inputs: wrkInputs,
    connections,
    threads,
    clientCpu,
    serverCpu,
  };
  if (warmupSec > 0) await runWrk({ ...common, durationSec: warmupSec, offset: 0 });
  const loadBefore = loadavg()[0];
  const run = await runWrk({ ...common, durationSec, offset: 0 });
  run.kind = kind;
  run.loadAvg1mBefore = Math.round(loadBefore * 100) / 100;
  // a saturated load generator means the server's true capacity is higher than shown
  run.bottleneck =
    (run.clientCoreBusyPct ?? 0) >= 90
      ? "client (wrk core saturated: the server may be faster than shown)"
      : (run.serverCoreBusyPct ?? 0) >= 90
        ? "server"
        : "neither core saturated";
  console.log(
    `bench: ${name} ${kind} c=${connections}: ${run.requestsPerSec} req/s, p50 ${run.latencyMs.p50} ms, ` +
      `p99 ${run.latencyMs.p99} ms, errors ${run.errors.total}, load ${run.loadAvg1mBefore}; bottleneck: ${run.bottleneck}`,
  );
  return run;
}

const results = [];
try {
  console.log(`bench: generating a sparse index of ${crates} crates (seed ${seed}) in ${work}`);
  const pki = makeTestPki(join(work, "pki"));
  const indexDir = join(work, "index");
  const index = generateSparseIndex({ dir: indexDir, crates, seed });
  console.log(
    `bench: ${index.stats.files} files, ${index.stats.lines} lines, ${(index.stats.bytes / 1e6).toFixed(1)} MB ` +
      `(mean ${index.stats.meanFileBytes} B/file, ${index.stats.meanLineBytes} B/line)`,
  );
  const inputs = writeWrkInputs(work, index.paths);

  for (const target of targets.filter((t) => wanted.includes(t.name))) {
    const avail = await target.available();
    if (!avail.ok) {
      console.log(`bench: skipping ${target.name}: ${avail.reason}`);
      results.push({ name: target.name, description: target.description, skipped: avail.reason, runs: [] });
      continue;
    }
    console.log(`bench: starting ${target.name} on core ${serverCpu}`);
    const dataDir = join(work, `data-${target.name}`);
    mkdirSync(dataDir, { recursive: true });
    const server = await target.start({
      indexDir,
      paths: index.paths,
      dataDir,
      server: pki.server,
      caCert: pki.ca.caCert,
      cpu: serverCpu,
    });
    current = server;
    try {
      const tls = await tlsInfo({ baseUrl: server.url, caCert: pki.ca.caCert });
      const verify = await verifySameBytes({
        baseUrl: server.url,
        prefix: server.prefix,
        indexDir,
        paths: index.paths,
        caCert: pki.ca.caCert,
      });
      const entry = {
        name: target.name,
        description: target.description,
        version: server.version,
        url: server.url,
        indexPrefix: server.prefix,
        setup: server.setup ?? null,
        tls,
        verify,
        runs: [],
        conditionalRuns: [],
      };
      results.push(entry);
      if (verify.mismatches.length > 0) {
        entry.skipped = `served bytes differ from the files on disk for ${verify.mismatches.length}/${verify.checked} sampled paths`;
        console.log(`bench: NOT measuring ${target.name}: ${entry.skipped}`);
        continue;
      }
      console.log(
        `bench: ${target.name}: ${verify.checked} sampled paths byte-identical; ${tls.protocol} ${tls.cipher}`,
      );
      for (const connections of connectionCounts) {
        entry.runs.push(await measure(target.name, "GET", server, inputs, connections));
      }

      if (conditionalCounts.length > 0) {
        const etags = await fetchEtags({
          baseUrl: server.url,
          prefix: server.prefix,
          paths: index.paths,
          caCert: pki.ca.caCert,
        });
        const check = await verifyNotModified({
          baseUrl: server.url,
          prefix: server.prefix,
          entries: etags,
          caCert: pki.ca.caCert,
        });
        entry.conditionalVerify = { ...check, exampleEtag: etags[0]?.etag ?? null };
        if (check.not304.length > 0) {
          entry.conditionalSkipped = `${check.not304.length}/${check.checked} sampled If-None-Match GETs were not 304`;
          console.log(`bench: NOT measuring ${target.name} 304s: ${entry.conditionalSkipped}`);
        } else {
          console.log(`bench: ${target.name}: ${check.checked} sampled If-None-Match GETs answered 304`);
          const condInputs = writeConditionalWrkInputs(work, target.name, etags);
          for (const connections of conditionalCounts) {
            entry.conditionalRuns.push(await measure(target.name, "304", server, condInputs, connections));
          }
        }
      }

      if (publishes > 0 && server.publishToken) {
        console.log(`bench: ${target.name}: ${publishes} sequential publishes over HTTPS`);
        entry.publish = await measurePublishLatency({
          baseUrl: server.url,
          caCert: pki.ca.caCert,
          token: server.publishToken,
          count: publishes,
        });
        const p = entry.publish;
        console.log(
          `bench: ${target.name} publish: ${p.ok}/${p.count} ok, p50 ${p.latencyMs.p50} ms, p99 ${p.latencyMs.p99} ms` +
            (p.failures.length > 0 ? `; first failure: ${JSON.stringify(p.failures[0])}` : ""),
        );
      }
    } finally {
      await server.stop();
      current = undefined;
    }
  }

  const rs = [...ratios(results), ...ratios(results, "wharf", "nginx", "conditionalRuns")];
  const report = {
    what: "GET throughput and latency of sparse index files over HTTPS (HTTP/1.1 keep-alive) on loopback",
    date: new Date().toISOString(),
    machine: {
      cpus: cpuCount,
      cpuModel: cpus()[0]?.model ?? null,
      kernel: release(),
      loadAvgAtEnd: loadavg().map((x) => Math.round(x * 100) / 100),
      note: "shared machine: other processes may run on the pinned cores; see loadAvg1mBefore per run",
      node: process.version,
      wrk: wrkVersion(),
      openssl: versionOf("openssl", ["version"]),
    },
    settings: {
      durationSec,
      warmupSec,
      connections: connectionCounts,
      conditionalConnections: conditionalCounts,
      publishes,
      wrkThreads: threads,
      serverCpu,
      clientCpu,
      pinning: "taskset -c",
      requestOrder: "each wrk connection GETs the index files in generation order, wrapping around",
      tls: "same throwaway ECDSA P-256 certificate for every target; wrk does not verify it",
    },
    index: index.stats,
    targets: results,
    ratios: rs,
  };
  mkdirSync(dirname(resolve(opts.out)), { recursive: true });
  writeFileSync(opts.out, `${JSON.stringify(report, null, 2)}\n`);

  console.log("");
  console.log(renderTable(results));
  console.log("");
  console.log(renderRatios(rs));
  const pub = renderPublish(results);
  if (pub) console.log(`\n${pub}`);
  console.log("(srv cpu% / wrk cpu%: busy share of the server's and the load generator's pinned cores)");
  console.log(`bench: wrote ${opts.out}`);
} finally {
  if (opts.keep) console.log(`bench: kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
