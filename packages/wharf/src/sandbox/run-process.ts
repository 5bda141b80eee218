/**
 * Starting one process for a sandbox implementation: an argument array, exactly the given
 * environment, its own process group (so a timeout, an abort or a watchdog kills everything
 * it started), stdout/stderr collected and split into lines as they arrive.
 */
import { spawn } from "node:child_process";
import type { SandboxJob, SandboxResult } from "./sandbox.js";

function lineSplitter(onLine: ((line: string) => void) | undefined, sink: string[]): (chunk: string) => void {
  let pending = "";
  return (chunk) => {
    sink.push(chunk);
    if (onLine === undefined) return;
    pending += chunk;
    let nl = pending.indexOf("\n");
    while (nl >= 0) {
      onLine(pending.slice(0, nl));
      pending = pending.slice(nl + 1);
      nl = pending.indexOf("\n");
    }
  };
}

export interface RunProcessOptions {
  command: string;
  args: readonly string[];
  cwd: string;
  env: Readonly<Record<string, string>>;
  job: SandboxJob;
  signal?: AbortSignal | undefined;
  /** called with the child's pid when it must die (after the process group is killed) */
  killExtra?: (() => void) | undefined;
  /** checked every `pollMs` while the job runs; returning true stops the job as over quota */
  overQuota?: (() => boolean) | undefined;
  pollMs?: number | undefined;
}

export function runProcess(o: RunProcessOptions): Promise<SandboxResult> {
  const { job } = o;
  return new Promise((resolvePromise, reject) => {
    const child = spawn(o.command, [...o.args], {
      cwd: o.cwd,
      env: { ...o.env },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    const out: string[] = [];
    const err: string[] = [];
    const onOut = lineSplitter(job.onStdoutLine, out);
    const onErr = lineSplitter(job.onStderrLine, err);
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", onOut);
    child.stderr.on("data", onErr);
    let timedOut = false;
    let overQuota = false;
    const killTree = () => {
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
      o.killExtra?.();
    };
    const timer =
      job.limits.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            killTree();
          }, job.limits.timeoutMs);
    const poll =
      o.overQuota === undefined
        ? undefined
        : setInterval(() => {
            if (!overQuota && o.overQuota?.()) {
              overQuota = true;
              killTree();
            }
          }, o.pollMs ?? 500);
    const onAbort = () => killTree();
    signal(o.signal, onAbort);
    const done = () => {
      if (timer) clearTimeout(timer);
      if (poll) clearInterval(poll);
      o.signal?.removeEventListener("abort", onAbort);
    };
    child.on("error", (e) => {
      done();
      reject(e);
    });
    child.on("close", (code, sig) => {
      done();
      // a last line without a newline
      const so = out.join("");
      const se = err.join("");
      const lastOut = so.slice(so.lastIndexOf("\n") + 1);
      const lastErr = se.slice(se.lastIndexOf("\n") + 1);
      if (lastOut !== "") job.onStdoutLine?.(lastOut);
      if (lastErr !== "") job.onStderrLine?.(lastErr);
      if (!overQuota && o.overQuota?.()) overQuota = true;
      resolvePromise({ code, signal: sig, timedOut, overQuota, stdout: so, stderr: se });
    });
  });
}

function signal(s: AbortSignal | undefined, onAbort: () => void): void {
  if (s === undefined) return;
  if (s.aborted) queueMicrotask(onAbort);
  else s.addEventListener("abort", onAbort, { once: true });
}
