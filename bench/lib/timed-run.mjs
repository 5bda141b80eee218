// Runs one tool invocation as a child process (asynchronously, so an in-process registry
// keeps serving) under GNU time for its peak RSS, and times the wall clock from here.
// Also finds the real cargo binary behind the rustup proxy and describes the tools.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WHARF_BIN } from "@wharf/test-support";

const GNU_TIME = "/usr/bin/time";

export const hasGnuTime = () => existsSync(GNU_TIME);

/**
 * The real cargo binary (the rustup proxy adds a few ms and a process of its own to every
 * run); call before starting an in-process server: it uses spawnSync.
 */
export function realCargo(env) {
  const r = spawnSync("rustc", ["--print", "sysroot"], { encoding: "utf8", env });
  const bin = r.status === 0 ? join(r.stdout.trim(), "bin", "cargo") : "";
  const cmd = bin && existsSync(bin) ? bin : "cargo";
  const v = spawnSync(cmd, ["--version"], { encoding: "utf8", env });
  return { cmd, version: (v.stdout || v.stderr).trim() };
}

export const wharfCommand = () => ({
  cmd: process.execPath,
  pre: [WHARF_BIN],
  version: "wharf (this checkout)",
});

/** Another build of wharf (a checkout with a built packages/wharf/dist), for before/after runs. */
export function baselineWharf(dir) {
  const bin = join(dir, "packages", "wharf", "dist", "cli", "main.js");
  if (!existsSync(bin)) throw new Error(`--baseline: no built wharf at ${bin}`);
  return { name: "wharf-base", cmd: process.execPath, pre: [bin], version: `wharf built in ${dir}` };
}

/**
 * Runs cmd args; resolves { status, wallMs, maxRssKb, cpuMs, stdout, stderr }. maxRssKb is
 * GNU time's %M (the largest resident set of the process and its children), cpuMs its user
 * + system time (%U + %S: less disturbed by other load than the wall clock); null without it.
 */
export function timedRun(cmd, args, { cwd, env, timeoutMs = 600_000 }) {
  const scratch = mkdtempSync(join(tmpdir(), "wharf-bench-time-"));
  const timeOut = join(scratch, "time.txt");
  const useTime = hasGnuTime();
  const [exe, argv] = useTime ? [GNU_TIME, ["-f", "%e %M %U %S", "-o", timeOut, cmd, ...args]] : [cmd, args];
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(exe, argv, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    const out = [];
    const err = [];
    child.stdout.on("data", (d) => out.push(d));
    child.stderr.on("data", (d) => err.push(d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (e) => {
      clearTimeout(timer);
      rmSync(scratch, { recursive: true, force: true });
      reject(e);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const wallMs = performance.now() - t0;
      let maxRssKb = null;
      let cpuMs = null;
      if (useTime) {
        try {
          // GNU time writes "Command exited with non-zero status N" first on failure
          const last = readFileSync(timeOut, "utf8").trim().split("\n").at(-1) ?? "";
          const m = /^([\d.]+) (\d+) ([\d.]+) ([\d.]+)$/.exec(last);
          if (m) {
            maxRssKb = Number(m[2]);
            cpuMs = Math.round((Number(m[3]) + Number(m[4])) * 1000);
          }
        } catch {
          // no time output (killed): leave null
        }
      }
      rmSync(scratch, { recursive: true, force: true });
      resolve({
        status: code ?? (signal ? 128 : -1),
        wallMs: Math.round(wallMs),
        maxRssKb,
        cpuMs,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
      });
    });
  });
}

export function median(xs) {
  const v = xs.filter((x) => typeof x === "number").sort((a, b) => a - b);
  if (v.length === 0) return null;
  const m = Math.floor(v.length / 2);
  return v.length % 2 === 1 ? v[m] : Math.round((v[m - 1] + v[m]) / 2);
}
