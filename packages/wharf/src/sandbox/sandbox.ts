/**
 * The Sandbox interface: one job = one process with a declared policy. The builder never
 * spawns rustc or a build script any other way, so swapping in a confining implementation
 * changes nothing else.
 */

export interface SandboxLimits {
  /** wall-clock limit; the whole process tree is killed when it is reached */
  timeoutMs?: number | undefined;
  /** address-space / memory limit in bytes, where the implementation can enforce one */
  memoryBytes?: number | undefined;
  /** maximum number of processes, where the implementation can enforce one */
  maxProcesses?: number | undefined;
  /** CPU seconds per process (RLIMIT_CPU), where the implementation can enforce one */
  cpuSeconds?: number | undefined;
  /** bytes the job may write into its writeDir (a quota), where the implementation can enforce one */
  diskBytes?: number | undefined;
}

/** Widenings of the default confinement granted to one crate by policy (wharf.toml). */
export interface SandboxGrants {
  /** extra paths the job may read, at the same paths */
  read: readonly string[];
  /** keep the host's network instead of an empty network namespace */
  network: boolean;
}

/** Who a job is for, so a refusal can be explained in the user's words. */
export interface SandboxJobLabel {
  /** the package name (`[sandbox.allow.<crate>]` keys on it) */
  crate: string;
  /** "build script", "rustc", ... */
  step: string;
}

export interface SandboxJob {
  /** absolute path of the program to run */
  program: string;
  args: readonly string[];
  cwd: string;
  /** the complete environment: nothing is inherited */
  env: Readonly<Record<string, string>>;
  /** paths (files or directories) the job may read, besides the system and toolchain */
  reads: readonly string[];
  /** the ONE directory the job may write (a per-unit staging or OUT_DIR directory) */
  writeDir: string;
  limits: SandboxLimits;
  grants?: SandboxGrants | undefined;
  label?: SandboxJobLabel | undefined;
  /** called with each complete stdout / stderr line as it arrives (without the newline) */
  onStdoutLine?: ((line: string) => void) | undefined;
  onStderrLine?: ((line: string) => void) | undefined;
}

export interface SandboxResult {
  /** exit code, or null when killed by a signal */
  code: number | null;
  signal: string | null;
  timedOut: boolean;
  /** the job was stopped because it wrote more than limits.diskBytes */
  overQuota?: boolean | undefined;
  stdout: string;
  stderr: string;
}

export interface Sandbox {
  /** a short name shown in verbose output and errors ("direct", "bubblewrap") */
  readonly name: string;
  run(job: SandboxJob, signal?: AbortSignal): Promise<SandboxResult>;
  /**
   * After a failed job: notes explaining what the confinement refused (if the output shows
   * it) and the policy line that would allow it. Empty when nothing points at the sandbox.
   */
  explainFailure?(job: SandboxJob, result: SandboxResult): string[];
}
