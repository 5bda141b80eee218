/**
 * The limits every test binary (and `wharf run --sandbox`) runs under, their generous
 * defaults, and how they are written on the command line or in the environment
 * (`--timeout 300`, `--memory-limit 4GiB`, `--process-limit 512`, or WHARF_TEST_TIMEOUT,
 * WHARF_TEST_MEMORY_LIMIT, WHARF_TEST_PROCESS_LIMIT). Pure.
 */
import { WharfError } from "@wharf/protocol";

export interface RunLimits {
  /** wall-clock time for one test binary */
  timeoutMs: number;
  /** resident memory (cgroup) or, without cgroups, address space (RLIMIT_AS) */
  memoryBytes: number;
  /** processes and threads together (cgroup pids), else a watchdog count of the process group */
  maxProcesses: number;
}

const GiB = 1024 ** 3;

/** An hour, three quarters of the machine's memory (at least 4 GiB), 4096 tasks. */
export function defaultLimits(totalMemory: number): RunLimits {
  return {
    timeoutMs: 60 * 60 * 1000,
    memoryBytes: Math.max(4 * GiB, Math.floor((totalMemory * 3) / 4)),
    maxProcesses: 4096,
  };
}

const UNITS: Record<string, number> = {
  "": 1,
  b: 1,
  k: 1024,
  kb: 1000,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1000 ** 2,
  mib: 1024 ** 2,
  g: GiB,
  gb: 1000 ** 3,
  gib: GiB,
  t: 1024 ** 4,
  tb: 1000 ** 4,
  tib: 1024 ** 4,
};

export function parseSize(text: string, what: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  if (m === null || unit === undefined || Number(m[1]) <= 0) {
    throw new WharfError({
      code: "TEST_LIMIT_VALUE",
      message: `invalid ${what} \`${text}\``,
      hint: "write a size such as 512MiB, 4GiB or 2000000000",
    });
  }
  return Math.floor(Number(m[1]) * unit);
}

export function parseSeconds(text: string, what: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(s|m|h)?\s*$/.exec(text);
  if (m === null || Number(m[1]) <= 0) {
    throw new WharfError({
      code: "TEST_LIMIT_VALUE",
      message: `invalid ${what} \`${text}\``,
      hint: "write seconds (300), or minutes and hours with a suffix (5m, 2h)",
    });
  }
  const factor = m[2] === "h" ? 3600 : m[2] === "m" ? 60 : 1;
  return Math.round(Number(m[1]) * factor * 1000);
}

export function parseCount(text: string, what: string): number {
  if (!/^\s*\d+\s*$/.test(text) || Number(text) < 1) {
    throw new WharfError({
      code: "TEST_LIMIT_VALUE",
      message: `invalid ${what} \`${text}\``,
      hint: "write a whole number of processes, at least 1",
    });
  }
  return Number(text);
}

export interface LimitFlags {
  timeout?: string | undefined;
  memoryLimit?: string | undefined;
  processLimit?: string | undefined;
}

/** Flags win over the environment, the environment over the defaults. */
export function limitsFrom(
  flags: LimitFlags,
  env: Readonly<Record<string, string | undefined>>,
  totalMemory: number,
): RunLimits {
  const d = defaultLimits(totalMemory);
  const timeout = flags.timeout ?? env.WHARF_TEST_TIMEOUT;
  const memory = flags.memoryLimit ?? env.WHARF_TEST_MEMORY_LIMIT;
  const procs = flags.processLimit ?? env.WHARF_TEST_PROCESS_LIMIT;
  return {
    timeoutMs: timeout === undefined ? d.timeoutMs : parseSeconds(timeout, "time limit"),
    memoryBytes: memory === undefined ? d.memoryBytes : parseSize(memory, "memory limit"),
    maxProcesses: procs === undefined ? d.maxProcesses : parseCount(procs, "process limit"),
  };
}

export function formatDuration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0 && ms >= 60_000) return `${ms / 60_000}m`;
  return `${ms / 1000}s`;
}

export function formatBytes(n: number): string {
  for (const [unit, size] of [
    ["GiB", GiB],
    ["MiB", 1024 ** 2],
    ["KiB", 1024],
  ] as const) {
    if (n >= size) {
      const v = n / size;
      return `${Number.isInteger(v) ? v : v.toFixed(1)} ${unit}`;
    }
  }
  return `${n} bytes`;
}
