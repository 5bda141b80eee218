/**
 * What every command receives: the process facts (cwd, env, streams) passed in rather than
 * read from globals, so end-to-end tests can run commands in-process with their own homes.
 */
import type { Shell } from "../util/shell.js";

export interface GlobalOptions {
  /** `--config KEY=VALUE` or `--config PATH`, in command-line order */
  config: string[];
  offline: boolean;
  locked: boolean;
  frozen: boolean;
  /** `-Z` flags are accepted for compatibility and ignored with a warning */
  unstable: string[];
}

export interface CliContext {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  shell: Shell;
  globals: GlobalOptions;
}
