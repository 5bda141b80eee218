/**
 * The direct implementation of Sandbox (`--no-sandbox`): spawns the program with exactly the
 * declared environment and an argument array, in its own process group so a timeout or an
 * abort kills everything it started. It enforces the time limit only; reads/writeDir are the
 * contract the confining implementation (bubblewrap) enforces.
 */
import { runProcess } from "./run-process.js";
import type { Sandbox, SandboxJob, SandboxResult } from "./sandbox.js";

export class DirectSandbox implements Sandbox {
  readonly name = "direct";

  run(job: SandboxJob, signal?: AbortSignal): Promise<SandboxResult> {
    return runProcess({ command: job.program, args: job.args, cwd: job.cwd, env: job.env, job, signal });
  }
}
