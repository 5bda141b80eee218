/**
 * The bubblewrap implementation of Sandbox (the default). Each job runs as
 *   sh -c 'join the job's pids cgroup; exec "$@"' -- prlimit <rlimits> -- bwrap <args> -- program
 * so the process-count limit (cgroup), the per-process limits (RLIMIT_AS, RLIMIT_CPU,
 * RLIMIT_FSIZE) and the confinement (bwrap, see bwrap-args.ts) all hold before the job's
 * first instruction. The wall-clock timeout kills the process group and the cgroup; bwrap's
 * own pid namespace ends every process the job left behind when its first process exits.
 * The writeDir quota: RLIMIT_FSIZE bounds any one file, a watchdog bounds the total.
 */
import { lstatSync, readdirSync, readlinkSync } from "node:fs";
import { join, resolve } from "node:path";
import { WharfError } from "@wharf/protocol";
import {
  type BwrapHost,
  bwrapArgs,
  NETWORK_READS,
  readBinds,
  SYSTEM_READS,
  TOP_LEVEL,
} from "./bwrap-args.js";
import { createPidsCgroup, findPidsParent } from "./cgroup.js";
import { findRefusals, refusalNotes } from "./refusal.js";
import { runProcess } from "./run-process.js";
import type { Sandbox, SandboxJob, SandboxResult } from "./sandbox.js";

export interface BwrapSandboxOptions {
  bwrap: string;
  /** util-linux prlimit, when present */
  prlimit?: string | undefined;
  /** the toolchain's directories (sysroot), readable by every job */
  toolchain: readonly string[];
  /** the wharf.toml a refusal note points at */
  policyFile: string;
  /** limits applied to every job that does not set its own */
  defaults?: {
    memoryBytes?: number | undefined;
    maxProcesses?: number | undefined;
    cpuSeconds?: number | undefined;
    diskBytes?: number | undefined;
  };
}

export const DEFAULT_LIMITS = {
  memoryBytes: 8 * 1024 ** 3,
  maxProcesses: 1024,
  diskBytes: 8 * 1024 ** 3,
} as const;

function exists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

/** What bwrap needs to know about this host's layout; read once per process. */
export function probeHost(disableUserns: boolean): BwrapHost {
  const topLevel = new Map<string, { kind: "symlink"; target: string } | { kind: "dir" }>();
  for (const top of TOP_LEVEL) {
    try {
      const st = lstatSync(top);
      if (st.isSymbolicLink()) topLevel.set(top, { kind: "symlink", target: readlinkSync(top) });
      else if (st.isDirectory()) topLevel.set(top, { kind: "dir" });
    } catch {
      // not on this host
    }
  }
  const existing = new Set([...SYSTEM_READS, ...NETWORK_READS].filter(exists));
  return { topLevel, existing, disableUserns };
}

/** Bytes under a directory (allocated blocks), stopping early past `limit`. */
function usage(dir: string, limit: number): number {
  let total = 0;
  const stack = [dir];
  while (stack.length > 0 && total <= limit) {
    const d = stack.pop()!;
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      continue;
    }
    for (const n of names) {
      const p = join(d, n);
      try {
        const st = lstatSync(p);
        total += Math.max(st.size, st.blocks * 512);
        if (st.isDirectory()) stack.push(p);
      } catch {
        // removed meanwhile
      }
    }
  }
  return total;
}

export class BwrapSandbox implements Sandbox {
  readonly name = "bubblewrap";
  private readonly pidsParent: string | undefined;

  constructor(
    private readonly options: BwrapSandboxOptions,
    private readonly host: BwrapHost,
  ) {
    this.pidsParent = findPidsParent();
  }

  /** how the process-count limit is enforced here, for verbose output */
  get processLimit(): string {
    return this.pidsParent === undefined ? "none (no writable pids cgroup)" : `cgroup ${this.pidsParent}`;
  }

  private limits(job: SandboxJob) {
    const d = this.options.defaults ?? {};
    return {
      memoryBytes: job.limits.memoryBytes ?? d.memoryBytes ?? DEFAULT_LIMITS.memoryBytes,
      maxProcesses: job.limits.maxProcesses ?? d.maxProcesses ?? DEFAULT_LIMITS.maxProcesses,
      cpuSeconds: job.limits.cpuSeconds ?? d.cpuSeconds,
      diskBytes: job.limits.diskBytes ?? d.diskBytes ?? DEFAULT_LIMITS.diskBytes,
    };
  }

  async run(job: SandboxJob, signal?: AbortSignal): Promise<SandboxResult> {
    const limits = this.limits(job);
    const effective: SandboxJob = { ...job, limits: { ...job.limits, ...limits } };
    const inner = bwrapArgs({ job: effective, host: this.host, toolchain: this.options.toolchain });
    let argv = [this.options.bwrap, ...inner];
    if (this.options.prlimit !== undefined) {
      argv = [
        this.options.prlimit,
        `--as=${limits.memoryBytes}`,
        `--fsize=${limits.diskBytes}`,
        // soft below hard: SIGXCPU (reported as such) comes before the SIGKILL
        ...(limits.cpuSeconds === undefined ? [] : [`--cpu=${limits.cpuSeconds}:${limits.cpuSeconds + 2}`]),
        "--core=0",
        "--",
        ...argv,
      ];
    }
    const cg =
      this.pidsParent === undefined ? undefined : createPidsCgroup(this.pidsParent, limits.maxProcesses);
    if (cg !== undefined) {
      // the shell joins the group, then becomes the next program: nothing runs outside it
      argv = ["/bin/sh", "-c", 'echo $$ > "$0" && exec "$@"', cg.procsFile, ...argv];
    }
    const writeDir = resolve(job.writeDir);
    try {
      return await runProcess({
        command: argv[0]!,
        args: argv.slice(1),
        cwd: "/",
        env: { PATH: "/usr/bin:/bin" },
        job: effective,
        signal,
        killExtra: () => cg?.killAll(),
        overQuota: () => usage(writeDir, limits.diskBytes) > limits.diskBytes,
        pollMs: 200,
      });
    } finally {
      await cg?.remove();
    }
  }

  explainFailure(job: SandboxJob, result: SandboxResult): string[] {
    const given = readBinds(
      [
        ...this.options.toolchain,
        "/usr",
        "/tmp",
        "/proc",
        "/dev",
        job.program,
        ...job.reads,
        ...(job.grants?.read ?? []),
      ],
      resolve(job.writeDir),
    );
    const inside = (p: string) =>
      [...given, resolve(job.writeDir), ...SYSTEM_READS].some((g) => p === g || p.startsWith(`${g}/`));
    const outsideOnHost = (p: string) => !inside(resolve(p)) && exists(p);
    const refusals = findRefusals(`${result.stdout}\n${result.stderr}`, outsideOnHost);
    return refusalNotes(effectiveLimits(job, this.limits(job)), result, refusals, this.options.policyFile);
  }
}

function effectiveLimits(job: SandboxJob, limits: SandboxJob["limits"]): SandboxJob {
  return { ...job, limits: { ...job.limits, ...limits } };
}

let checked: Promise<void> | undefined;

/** Runs `true` in the same confinement once per process; throws the install/opt-out error. */
export function checkBwrap(sandbox: BwrapSandbox, scratch: string): Promise<void> {
  checked ??= (async () => {
    let r: SandboxResult;
    try {
      r = await sandbox.run({
        program: "/bin/true",
        args: [],
        cwd: scratch,
        env: { PATH: "/usr/bin:/bin" },
        reads: [],
        writeDir: scratch,
        limits: { timeoutMs: 30_000 },
      });
    } catch (e) {
      throw unavailable(e instanceof Error ? e.message : String(e));
    }
    if (r.code !== 0) throw unavailable(r.stderr.trim() || `exit status ${r.code ?? r.signal}`);
  })();
  return checked;
}

export function unavailable(detail: string): WharfError {
  return new WharfError({
    code: "SANDBOX_UNAVAILABLE",
    message:
      "the build sandbox (bubblewrap) does not work here, so build scripts and proc macros cannot be confined",
    notes: [detail],
    hint: "install bubblewrap (Debian/Ubuntu: `apt install bubblewrap`; Fedora: `dnf install bubblewrap`), or opt out explicitly with `--no-sandbox` or `[sandbox] enabled = false` in $WHARF_HOME/config.toml",
  });
}
