/**
 * Per-run control groups (cgroup v1 `pids` and `memory` controllers) for test binaries:
 * the only process limit that binds root (RLIMIT_NPROC does not) and a memory limit on
 * resident memory rather than address space. A group is created under the cgroup Wharf
 * itself runs in, the test process joins it before it execs (see launcher.ts), and the
 * counters (`pids.events`, `memory.oom_control`) tell which limit was hit. Where the
 * hierarchy is missing or not writable, `openRunGroup` returns what it could create and
 * the caller falls back to rlimits and a process-group watchdog.
 */
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = "/sys/fs/cgroup";

function ownPath(controller: string): string | undefined {
  try {
    for (const line of readFileSync("/proc/self/cgroup", "utf8").split("\n")) {
      const [, controllers, path] = line.split(":");
      if (controllers?.split(",").includes(controller)) return path;
    }
  } catch {
    // no /proc
  }
  return undefined;
}

function tryCreate(controller: string, name: string): string | undefined {
  const own = ownPath(controller);
  const mount = join(ROOT, controller);
  if (own === undefined || !existsSync(join(mount, "cgroup.procs"))) return undefined;
  const dir = join(mount, own, name);
  try {
    mkdirSync(dir);
    return dir;
  } catch {
    return undefined;
  }
}

function readNumber(file: string, pattern: RegExp): number {
  try {
    const m = pattern.exec(readFileSync(file, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

function pidsOf(dir: string): number[] {
  try {
    return readFileSync(join(dir, "cgroup.procs"), "utf8")
      .split("\n")
      .filter((l) => l !== "")
      .map(Number);
  } catch {
    return [];
  }
}

export class RunGroup {
  constructor(
    readonly pidsDir: string | undefined,
    readonly memoryDir: string | undefined,
  ) {}

  /** the `cgroup.procs` files the launcher writes its pid into before exec */
  procsFiles(): string[] {
    return [this.pidsDir, this.memoryDir].flatMap((d) => (d === undefined ? [] : [join(d, "cgroup.procs")]));
  }

  /** forks refused because `pids.max` was reached */
  processLimitHits(): number {
    return this.pidsDir === undefined ? 0 : readNumber(join(this.pidsDir, "pids.events"), /max (\d+)/);
  }

  /** processes the kernel's OOM killer stopped inside the group */
  oomKills(): number {
    if (this.memoryDir === undefined) return 0;
    const file = join(this.memoryDir, "memory.oom_control");
    const kills = readNumber(file, /oom_kill (\d+)/);
    if (kills > 0) return kills;
    return readNumber(join(this.memoryDir, "memory.failcnt"), /(\d+)/) > 0 &&
      readNumber(file, /under_oom (\d+)/) > 0
      ? 1
      : 0;
  }

  /** members of the group, for the process watchdog */
  processCount(): number {
    if (this.pidsDir === undefined) return 0;
    return readNumber(join(this.pidsDir, "pids.current"), /(\d+)/);
  }

  /** SIGKILL everything in the group, repeatedly, until it is empty (v1 has no cgroup.kill) */
  killAll(): void {
    for (let round = 0; round < 50; round++) {
      const pids = [...new Set([...pidsOf(this.pidsDir ?? ""), ...pidsOf(this.memoryDir ?? "")])];
      if (pids.length === 0) return;
      for (const pid of pids) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // gone
        }
      }
    }
  }

  remove(): void {
    this.killAll();
    for (const d of [this.pidsDir, this.memoryDir]) {
      if (d === undefined) continue;
      for (let i = 0; i < 100; i++) {
        try {
          rmdirSync(d);
          break;
        } catch {
          // exiting processes still count for a moment
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
        }
      }
    }
  }
}

/** Creates the groups it can, with the limits set; `undefined` members mean "not available". */
export function openRunGroup(
  name: string,
  limits: { maxProcesses?: number | undefined; memoryBytes?: number | undefined },
): RunGroup {
  let pidsDir = limits.maxProcesses === undefined ? undefined : tryCreate("pids", name);
  if (pidsDir !== undefined) {
    try {
      writeFileSync(join(pidsDir, "pids.max"), String(limits.maxProcesses));
    } catch {
      rmdirSync(pidsDir);
      pidsDir = undefined;
    }
  }
  let memoryDir = limits.memoryBytes === undefined ? undefined : tryCreate("memory", name);
  if (memoryDir !== undefined) {
    try {
      writeFileSync(join(memoryDir, "memory.limit_in_bytes"), String(limits.memoryBytes));
      // no swap beyond the limit either, where the kernel accounts it
      try {
        writeFileSync(join(memoryDir, "memory.memsw.limit_in_bytes"), String(limits.memoryBytes));
      } catch {
        // swap accounting off
      }
    } catch {
      rmdirSync(memoryDir);
      memoryDir = undefined;
    }
  }
  return new RunGroup(pidsDir, memoryDir);
}
