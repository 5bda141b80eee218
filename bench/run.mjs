#!/usr/bin/env node
// Benchmark entry point: runs every group in turn, or the one named.
//
//   npm run bench                          # build, then every group with its defaults
//   node bench/run.mjs resolver            # one group; options after it go to that group
//   node bench/run.mjs lockfile --sizes 2000 --runs 1
//   node bench/run.mjs --duration 5 ...    # options without a group: the registry group
//
// Groups (each its own script here, each writing JSON to bench/results/):
//   registry  sparse-index GET throughput/latency, Wharf registry vs nginx  (latest.json)
//   lockfile  cargo vs wharf generate-lockfile on generated registries      (client-lockfile.json)
//   resolver  wharf's resolver in process, time and heap by registry size   (resolver.json)
//   corpus    cargo vs wharf generate-lockfile and fetch, real crates       (client-corpus.json)
//   build     cargo vs wharf building the largest sample app: clean, no-op, touch (build.json)
//   sandbox   sample apps' clean builds: cargo, wharf, wharf --no-sandbox   (sandbox.json)
// Each group runs in a child process, so one group's heap and servers never affect another.
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const GROUPS = {
  registry: "registry.mjs",
  lockfile: "lockfile.mjs",
  resolver: "resolver.mjs",
  corpus: "corpus.mjs",
  build: "build.mjs",
  sandbox: "sandbox.mjs",
};

const argv = process.argv.slice(2);
if (argv[0] === "--help" || argv[0] === "-h") {
  console.log(
    `usage: node bench/run.mjs [${Object.keys(GROUPS).join("|")}] [options of that group]\n` +
      "       (no group: all of them with their defaults; options alone go to the registry group)",
  );
  process.exit(0);
}

let plan;
if (argv.length === 0) plan = Object.keys(GROUPS).map((g) => [g, []]);
else if (argv[0] in GROUPS) plan = [[argv[0], argv.slice(1)]];
else if (argv[0].startsWith("-")) plan = [["registry", argv]];
else {
  console.error(`bench: unknown group ${argv[0]} (known: ${Object.keys(GROUPS).join(", ")})`);
  process.exit(2);
}

function runGroup(group, args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(here, GROUPS[group]), ...args], { stdio: "inherit" });
    const forward = () => child.kill("SIGINT");
    process.on("SIGINT", forward);
    child.on("close", (code, signal) => {
      process.removeListener("SIGINT", forward);
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}

const failed = [];
for (const [group, args] of plan) {
  if (plan.length > 1) console.log(`\n=== bench group: ${group} ===`);
  const code = await runGroup(group, args);
  if (code !== 0) failed.push(`${group} (exit ${code})`);
}
if (failed.length > 0) {
  console.error(`bench: failed: ${failed.join(", ")}`);
  process.exit(1);
}
