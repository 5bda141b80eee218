/**
 * Running many real processes in parallel with a small pool, for differential tests that
 * compare hundreds of cargo and wharf runs.
 */
import { spawn } from "node:child_process";
import type { RunResult } from "./run.js";

export interface AsyncRunOptions {
  cwd: string;
  env: Record<string, string>;
  timeoutMs?: number;
}

export function runAsync(cmd: string, args: readonly string[], options: AsyncRunOptions): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, [...args], {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => err.push(d));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 120_000);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolvePromise({
        status: code ?? (signal ? 128 : -1),
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
      });
    });
  });
}

/** Maps `items` through `fn` with at most `limit` in flight, keeping order. */
export async function mapPool<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  });
  await Promise.all(workers);
  return results;
}
