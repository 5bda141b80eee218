// Runs wrk (pinned with taskset) against one target with a Lua script that cycles through
// the index paths, and samples per-core CPU use from /proc/stat so the report can say
// whether the server or the load generator was the bottleneck.
import { spawn, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const LUA = String.raw`-- written by bench/lib/wrk.mjs: GET every index path in turn, report JSON at the end
local paths = {}
local idx = 0

function init(args)
  local prefix = args[1]
  for line in io.lines(args[2]) do
    paths[#paths + 1] = prefix .. line
  end
  if #paths == 0 then error("no paths in " .. args[2]) end
  idx = tonumber(args[3] or "0") % #paths
end

function request()
  idx = idx + 1
  if idx > #paths then idx = 1 end
  return wrk.format("GET", paths[idx])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"min":%d,"mean":%.1f,"stdev":%.1f,"max":%d,"p50":%d,"p90":%d,"p99":%d,"p999":%d}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.min, latency.mean, latency.stdev, latency.max,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9)))
end
`;

// The conditional-GET variant: each line of the list is "<path>\t<etag>" with the ETag
// this very server sent for that path, so every request should be answered 304. The
// requests are formatted once in init(); request() only hands them out.
const LUA_CONDITIONAL =
  String.raw`-- written by bench/lib/wrk.mjs: If-None-Match GET of every index path in turn
local reqs = {}
local idx = 0

function init(args)
  local prefix = args[1]
  for line in io.lines(args[2]) do
    local path, etag = line:match("^([^\t]+)\t(.+)$")
    if not path then error("bad line in " .. args[2] .. ": " .. line) end
    reqs[#reqs + 1] = wrk.format("GET", prefix .. path, { ["If-None-Match"] = etag })
  end
  if #reqs == 0 then error("no paths in " .. args[2]) end
  idx = tonumber(args[3] or "0") % #reqs
end

function request()
  idx = idx + 1
  if idx > #reqs then idx = 1 end
  return reqs[idx]
end
` + LUA.slice(LUA.indexOf("function done"));

export function wrkVersion() {
  const r = spawnSync("wrk", ["-v"], { encoding: "utf8" });
  if (r.error) return undefined;
  const m = /wrk\s+(\S+)/.exec(`${r.stdout}${r.stderr}`);
  return m ? m[1] : "unknown";
}

/** Writes the Lua script and the path list into dir; returns their paths. */
export function writeWrkInputs(dir, paths) {
  const script = join(dir, "cycle-paths.lua");
  const list = join(dir, "paths.txt");
  writeFileSync(script, LUA);
  writeFileSync(list, `${paths.join("\n")}\n`);
  return { script, list };
}

/** Conditional-GET inputs for one server: entries are { path, etag } with that server's ETags. */
export function writeConditionalWrkInputs(dir, name, entries) {
  const script = join(dir, "conditional-paths.lua");
  const list = join(dir, `etags-${name}.txt`);
  for (const { path, etag } of entries) {
    if (/[\t\r\n]/.test(path) || /[\t\r\n]/.test(etag) || etag === "")
      throw new Error(`unusable path/ETag for wrk: ${JSON.stringify({ path, etag })}`);
  }
  writeFileSync(script, LUA_CONDITIONAL);
  writeFileSync(list, `${entries.map((e) => `${e.path}\t${e.etag}`).join("\n")}\n`);
  return { script, list };
}

/** busy and total jiffies per CPU, from /proc/stat */
function cpuTimes() {
  const out = new Map();
  for (const line of readFileSync("/proc/stat", "utf8").split("\n")) {
    const m = /^cpu(\d+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const v = m[2].trim().split(/\s+/).map(Number);
    // user nice system idle iowait irq softirq steal
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
    out.set(Number(m[1]), { busy: total - idle, total });
  }
  return out;
}

function busyPercent(before, after, cpu) {
  const a = before.get(cpu);
  const b = after.get(cpu);
  if (!a || !b || b.total === a.total) return null;
  return Math.round((1000 * (b.busy - a.busy)) / (b.total - a.total)) / 10;
}

/**
 * One wrk run. `baseUrl` is the origin (https://127.0.0.1:PORT), `prefix` the URL path the
 * index lives under ("/" or "/index/"). Resolves with parsed numbers and the raw output.
 */
export function runWrk({
  baseUrl,
  prefix,
  inputs,
  connections,
  durationSec,
  threads,
  clientCpu,
  serverCpu,
  offset = 0,
}) {
  const args = [
    "-c",
    String(clientCpu),
    "wrk",
    "-t",
    String(threads),
    "-c",
    String(connections),
    "-d",
    `${durationSec}s`,
    "--timeout",
    "5s",
    "--latency",
    "-s",
    inputs.script,
    baseUrl,
    "--",
    prefix,
    inputs.list,
    String(offset),
  ];
  return new Promise((resolve, reject) => {
    const before = cpuTimes();
    const child = spawn("taskset", args, {
      stdio: ["ignore", "pipe", "pipe"],
      env: { PATH: process.env.PATH },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const killTimer = setTimeout(() => child.kill("SIGKILL"), (durationSec + 30) * 1000);
    child.on("error", (e) => {
      clearTimeout(killTimer);
      reject(
        new Error(
          `could not run wrk via taskset (install the Debian packages wrk and util-linux): ${e.message}`,
        ),
      );
    });
    child.on("close", (code) => {
      clearTimeout(killTimer);
      const after = cpuTimes();
      const jsonLine = stdout.split("\n").find((l) => l.startsWith("WRK_JSON "));
      if (code !== 0 || !jsonLine) {
        reject(new Error(`wrk exited with ${code}:\n${stdout}\n${stderr}`));
        return;
      }
      const w = JSON.parse(jsonLine.slice("WRK_JSON ".length));
      const seconds = w.duration_us / 1e6;
      const errors = Object.values(w.errors).reduce((a, b) => a + b, 0);
      resolve({
        connections,
        durationSec: Math.round(seconds * 100) / 100,
        requests: w.requests,
        requestsPerSec: Math.round(w.requests / seconds),
        megabytesPerSec: Math.round((w.bytes / seconds / 1e6) * 10) / 10,
        meanBytesPerResponse: w.requests > 0 ? Math.round(w.bytes / w.requests) : null,
        latencyMs: Object.fromEntries(
          Object.entries(w.latency_us).map(([k, v]) => [k, Math.round(v) / 1000]),
        ),
        errors: { ...w.errors, total: errors },
        serverCoreBusyPct: busyPercent(before, after, serverCpu),
        clientCoreBusyPct: busyPercent(before, after, clientCpu),
        wrkOutput: stdout
          .split("\n")
          .filter((l) => !l.startsWith("WRK_JSON "))
          .join("\n")
          .trim(),
      });
    });
  });
}
