/**
 * A process-count limit through a cgroup, where one is writable: a child of this process's
 * own cgroup with the `pids` controller (cgroup v2 when `pids` is delegated to us, else the
 * v1 `pids` hierarchy). RLIMIT_NPROC cannot do this job: it counts every process of the user
 * and root ignores it. Each job gets its own group; the sandbox enters it before exec, so
 * nothing it forks escapes, and it is emptied (SIGKILL) and removed afterwards.
 */
import { mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface PidsCgroup {
  /** the file a process writes its pid into to join */
  procsFile: string;
  killAll(): void;
  remove(): Promise<void>;
}

function ownPath(controller: string | undefined): string | undefined {
  let text: string;
  try {
    text = readFileSync("/proc/self/cgroup", "utf8");
  } catch {
    return undefined;
  }
  for (const line of text.split("\n")) {
    const [, controllers, path] = line.split(":");
    if (path === undefined) continue;
    if (
      controller === undefined
        ? controllers === "" && line.startsWith("0::")
        : controllers?.split(",").includes(controller)
    )
      return path;
  }
  return undefined;
}

/** The directory new job groups are created in, or undefined when none is writable. */
export function findPidsParent(): string | undefined {
  const v2 = ownPath(undefined);
  if (v2 !== undefined) {
    const dir = join("/sys/fs/cgroup", v2);
    try {
      if (
        readFileSync(join(dir, "cgroup.subtree_control"), "utf8").split(/\s+/).includes("pids") &&
        probe(dir)
      )
        return dir;
    } catch {
      // not v2 or not delegated
    }
  }
  const v1 = ownPath("pids");
  if (v1 !== undefined) {
    const dir = join("/sys/fs/cgroup/pids", v1);
    if (probe(dir)) return dir;
  }
  return undefined;
}

function probe(dir: string): boolean {
  const test = join(dir, `wharf-probe-${process.pid}`);
  try {
    mkdirSync(test);
    rmdirSync(test);
    return true;
  } catch {
    return false;
  }
}

let counter = 0;

export function createPidsCgroup(parent: string, maxProcesses: number): PidsCgroup | undefined {
  const dir = join(parent, `wharf-${process.pid}-${++counter}`);
  try {
    mkdirSync(dir);
    writeFileSync(join(dir, "pids.max"), String(maxProcesses));
  } catch {
    try {
      rmdirSync(dir);
    } catch {
      // never created
    }
    return undefined;
  }
  const procs = join(dir, "cgroup.procs");
  const pids = (): number[] => {
    try {
      return readFileSync(procs, "utf8")
        .split("\n")
        .filter((l) => l !== "")
        .map(Number);
    } catch {
      return [];
    }
  };
  const killAll = () => {
    // forks racing the kill are caught by the next round
    for (let round = 0; round < 20; round++) {
      const list = pids();
      if (list.length === 0) return;
      for (const pid of list) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // gone
        }
      }
    }
  };
  return {
    procsFile: procs,
    killAll,
    remove: async () => {
      killAll();
      // a killed process leaves the group when it is reaped: retry briefly
      for (let i = 0; i < 100; i++) {
        try {
          rmdirSync(dir);
          return;
        } catch {
          killAll();
          await new Promise((r) => setTimeout(r, 10));
        }
      }
    },
  };
}
