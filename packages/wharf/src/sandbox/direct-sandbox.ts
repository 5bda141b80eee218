/**
 * The direct implementation of Sandbox: spawns the program with exactly the declared
 * environment and an argument array, in its own process group so a timeout or an abort
 * kills everything it started. It enforces the time limit only; reads/writeDir are the
 * contract a confining implementation (bubblewrap) enforces.
 */
import { spawn } from "node:child_process";
import type { Sandbox, SandboxJob, SandboxResult } from "./sandbox.js";

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

export class DirectSandbox implements Sandbox {
  readonly name = "direct";

  run(job: SandboxJob, signal?: AbortSignal): Promise<SandboxResult> {
    return new Promise((resolvePromise, reject) => {
      const child = spawn(job.program, [...job.args], {
        cwd: job.cwd,
        env: { ...job.env },
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
      const killTree = () => {
        if (child.pid === undefined) return;
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          // already gone
        }
      };
      const timer =
        job.limits.timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              timedOut = true;
              killTree();
            }, job.limits.timeoutMs);
      const onAbort = () => killTree();
      signal?.addEventListener("abort", onAbort, { once: true });
      child.on("error", (e) => {
        if (timer) clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        reject(e);
      });
      child.on("close", (code, sig) => {
        if (timer) clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        // flush a last line without a newline
        const o = out.join("");
        const e = err.join("");
        const lastOut = o.slice(o.lastIndexOf("\n") + 1);
        const lastErr = e.slice(e.lastIndexOf("\n") + 1);
        if (lastOut !== "") job.onStdoutLine?.(lastOut);
        if (lastErr !== "") job.onStderrLine?.(lastErr);
        resolvePromise({ code, signal: sig, timedOut, stdout: o, stderr: e });
      });
    });
  }
}
