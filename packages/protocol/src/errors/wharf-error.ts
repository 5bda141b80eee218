/**
 * The one error type of Wharf. Every failure a user can cause (bad input, a missing file,
 * a refused download) is a WharfError with a stable `code`; anything else reaching the CLI's
 * top-level handler is a bug and is printed as one.
 */

/** Process exit codes, kept to the ones cargo uses so scripts can rely on them. */
export const ExitCode = {
  ok: 0,
  /** cargo exits 101 for every ordinary failure */
  failure: 101,
  /** bad command-line usage, as clap reports it */
  usage: 1,
} as const;

export interface WharfErrorOptions {
  /** stable, machine-readable identifier such as `MANIFEST_TOML_SYNTAX` */
  code: string;
  /** one sentence naming the file, package or URL concerned */
  message: string;
  /** what the user can do about it, printed as `help:` */
  hint?: string | undefined;
  /** further facts, printed as `note:` lines */
  notes?: readonly string[] | undefined;
  /** the lower-level failure, printed under `Caused by:` */
  cause?: unknown;
  exitCode?: number | undefined;
}

export class WharfError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly notes: readonly string[];
  readonly exitCode: number;

  constructor(options: WharfErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "WharfError";
    this.code = options.code;
    this.hint = options.hint;
    this.notes = options.notes ?? [];
    this.exitCode = options.exitCode ?? ExitCode.failure;
  }
}

export function isWharfError(value: unknown): value is WharfError {
  return value instanceof WharfError;
}

/** A non-fatal finding (an unused manifest key, a planted secret) to print as `warning:`. */
export interface Diagnostic {
  level: "warning" | "note";
  message: string;
  /** file the finding is about, if any */
  file?: string | undefined;
  line?: number | undefined;
  column?: number | undefined;
  /** stable identifier of the rule that fired, for filtering and tests */
  code?: string | undefined;
}
