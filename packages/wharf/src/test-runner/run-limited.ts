/**
 * Runs one test binary (or a `wharf run --sandbox` program) under its limits and says
 * which limit stopped it. The program starts through a fixed launcher (`/bin/sh -c` with a
 * constant script; every path and argument travels as argv, never as shell text) that
 * joins the run's cgroups and execs `prlimit`, which sets RLIMIT_AS when no memory cgroup
 * is available and execs the program. A watchdog polls the counters (forks refused at
 * `pids.max`; without cgroups, the size of the process group) and a timer enforces the
 * wall clock; a runaway is killed with everything it started. With a Sandbox the same
 * launcher runs inside it; a confining sandbox that hides /sys/fs/cgroup enforces its
 * own limits instead.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import type { Sandbox } from "../sandbox/index.js";
import { openRunGroup, RunGroup } from "./cgroup.js";
import type { RunLimits } from "./limits.js";

export type LimitKind = "time" | "memory" | "processes";

export interface LimitedJob {
  program: string;
  args: readonly string[];
  cwd: string;
  env: Readonly<Record<string, string>>;
  limits: RunLimits;
  /** harness output, passed through unchanged */
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** hand stdout to the child directly (a terminal keeps the harness's colours) */
  inheritStdout?: boolean | undefined;
  /** run through this Sandbox (reads, one writable temp dir, no network) */
  sandbox?: { impl: Sandbox; reads: readonly string[]; writeDir: string } | undefined;
  signal?: AbortSignal | undefined;
  /** false: rlimits and the process-group watchdog only (what a machine without cgroups gets) */
  cgroups?: boolean | undefined;
}

export interface LimitedResult {
  code: number | null;
  signal: string | null;
  /** the limit that stopped the program, if one did */
  limit?: LimitKind | undefined;
}

/** joins each cgroup named before `--` (strict: a failure stops the run), then execs the rest */
const STRICT = 'while [ "$1" != -- ]; do echo $$ > "$1" || exit 125; shift; done; shift; exec "$@"';
/** inside a sandbox the hierarchy may be hidden: the sandbox's own limits apply then */
const TOLERANT = 'while [ "$1" != -- ]; do (echo $$ > "$1") 2>/dev/null; shift; done; shift; exec "$@"';

const PRLIMIT = ["/usr/bin/prlimit", "/bin/prlimit"].find((p) => existsSync(p));
const SH = "/bin/sh";
const ALLOC_FAILED = /memory allocation of \d+ bytes failed/;

let serial = 0;

function launcherArgs(group: RunGroup, job: LimitedJob, tolerant: boolean): string[] {
  const args = ["-c", tolerant ? TOLERANT : STRICT, "wharf-limits", ...group.procsFiles(), "--"];
  if (PRLIMIT !== undefined) {
    const rl = ["--core=0"];
    if (group.memoryDir === undefined) rl.push(`--as=${job.limits.memoryBytes}`);
    args.push(PRLIMIT, ...rl, "--");
  }
  args.push(job.program, ...job.args);
  return args;
}

/** processes whose process group is `pgid` (the fallback process count) */
function groupSize(pgid: number): number {
  let n = 0;
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return 0;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) === pgid) n++;
    } catch {
      // exited
    }
  }
  return n;
}

export async function runLimited(job: LimitedJob): Promise<LimitedResult> {
  serial++;
  const group =
    job.cgroups === false
      ? new RunGroup(undefined, undefined)
      : openRunGroup(`wharf-run-${process.pid}-${serial}`, {
          maxProcesses: job.limits.maxProcesses,
          memoryBytes: job.limits.memoryBytes,
        });
  let limit: LimitKind | undefined;
  let tail = "";
  const onStderr = (text: string) => {
    tail = (tail + text).slice(-4096);
    job.stderr(text);
  };
  try {
    if (job.sandbox !== undefined) {
      const r = await runSandboxed(job, group, onStderr, (k) => {
        limit ??= k;
      });
      if (r.timedOut) limit ??= "time";
      return finish(r.code, r.signal);
    }
    const r = await runDirect(job, group, onStderr, (k) => {
      limit ??= k;
    });
    return finish(r.code, r.signal);
  } finally {
    group.remove();
  }

  function finish(code: number | null, signal: string | null): LimitedResult {
    if (limit === undefined && group.oomKills() > 0) limit = "memory";
    if (limit === undefined && code !== 0 && ALLOC_FAILED.test(tail)) limit = "memory";
    if (limit === undefined && group.processLimitHits() > 0 && code !== 0) limit = "processes";
    return { code, signal, limit };
  }
}

function watch(
  group: RunGroup,
  pgid: () => number | undefined,
  job: LimitedJob,
  hit: (k: LimitKind) => void,
) {
  return setInterval(() => {
    if (group.processLimitHits() > 0) return hit("processes");
    const id = pgid();
    if (group.pidsDir === undefined && id !== undefined && groupSize(id) > job.limits.maxProcesses)
      hit("processes");
  }, 100);
}

function runDirect(
  job: LimitedJob,
  group: RunGroup,
  onStderr: (t: string) => void,
  hit: (k: LimitKind) => void,
): Promise<{ code: number | null; signal: string | null }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(SH, launcherArgs(group, job, false), {
      cwd: job.cwd,
      env: { ...job.env },
      // its own process group, so everything it starts can be stopped together
      detached: true,
      stdio: ["ignore", job.inheritStdout ? "inherit" : "pipe", "pipe"],
    });
    const killAll = () => {
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          // gone
        }
      }
      group.killAll();
    };
    const stop = (k: LimitKind) => {
      hit(k);
      killAll();
    };
    child.stdout?.setEncoding("utf8");
    child.stdout?.on("data", (t: string) => job.stdout(t));
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", onStderr);
    const timer = setTimeout(() => stop("time"), job.limits.timeoutMs);
    const watchdog = watch(group, () => child.pid, job, stop);
    const onAbort = () => killAll();
    job.signal?.addEventListener("abort", onAbort, { once: true });
    // leftovers (a server the test forgot) would hold the pipes open: stop them with it
    child.on("exit", () => killAll());
    child.on("error", (e) => {
      clearTimeout(timer);
      clearInterval(watchdog);
      reject(e);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      clearInterval(watchdog);
      job.signal?.removeEventListener("abort", onAbort);
      resolvePromise({ code, signal });
    });
  });
}

async function runSandboxed(
  job: LimitedJob,
  group: RunGroup,
  onStderr: (t: string) => void,
  hit: (k: LimitKind) => void,
): Promise<{ code: number | null; signal: string | null; timedOut: boolean }> {
  const sb = job.sandbox!;
  const abort = new AbortController();
  const onAbort = () => abort.abort();
  job.signal?.addEventListener("abort", onAbort, { once: true });
  const watchdog = watch(
    group,
    () => undefined,
    job,
    (k) => {
      hit(k);
      group.killAll();
    },
  );
  try {
    const r = await sb.impl.run(
      {
        program: SH,
        args: launcherArgs(group, job, true),
        cwd: job.cwd,
        env: job.env,
        reads: sb.reads,
        writeDir: sb.writeDir,
        limits: {
          timeoutMs: job.limits.timeoutMs,
          memoryBytes: job.limits.memoryBytes,
          maxProcesses: job.limits.maxProcesses,
        },
        onStdoutLine: (line) => job.stdout(`${line}\n`),
        onStderrLine: (line) => onStderr(`${line}\n`),
      },
      abort.signal,
    );
    return { code: r.code, signal: r.signal, timedOut: r.timedOut };
  } finally {
    clearInterval(watchdog);
    job.signal?.removeEventListener("abort", onAbort);
  }
}
