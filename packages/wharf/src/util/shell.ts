/**
 * The user-facing output channel, cargo-style: right-aligned green status words
 * (`     Created`, `   Compiling`), `warning:` and `error:` lines on stderr, data on stdout.
 * All printing goes through here so colour, verbosity and redaction are decided once.
 */
import { type Diagnostic, redactSecrets, renderDiagnostic, renderError, type Styler } from "@wharf/protocol";
import pc from "picocolors";

export type ColorChoice = "auto" | "always" | "never";
export type Verbosity = "quiet" | "normal" | "verbose";

export interface OutputStream {
  write(chunk: string): unknown;
  isTTY?: boolean | undefined;
}

export interface ShellOptions {
  stdout: OutputStream;
  stderr: OutputStream;
  color?: ColorChoice | undefined;
  verbosity?: Verbosity | undefined;
  /** the environment, for NO_COLOR / CARGO_TERM_COLOR */
  env?: Readonly<Record<string, string | undefined>> | undefined;
}

function makeStyler(enabled: boolean): Styler {
  const colors = pc.createColors(enabled);
  return {
    error: (t) => colors.bold(colors.red(t)),
    warning: (t) => colors.bold(colors.yellow(t)),
    note: (t) => colors.bold(colors.cyan(t)),
    help: (t) => colors.bold(colors.cyan(t)),
    bold: (t) => colors.bold(t),
  };
}

export class Shell {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly verbosity: Verbosity;
  private readonly styler: Styler;
  private readonly colorOn: boolean;
  private warnings = 0;
  /** exact secret values (registry tokens) known this run, hidden from every line printed */
  private readonly secrets = new Set<string>();

  constructor(options: ShellOptions) {
    this.stdout = options.stdout;
    this.stderr = options.stderr;
    this.verbosity = options.verbosity ?? "normal";
    const env = options.env ?? {};
    const choice = options.color ?? (env.CARGO_TERM_COLOR as ColorChoice | undefined) ?? "auto";
    this.colorOn =
      choice === "always" ||
      (choice === "auto" && Boolean(options.stderr.isTTY) && env.NO_COLOR === undefined);
    this.styler = makeStyler(this.colorOn);
  }

  /** Registers a value (a token read from a credential provider) to be redacted from all output. */
  addSecret(value: string): void {
    if (value.length > 0) this.secrets.add(value);
  }

  private redact(text: string): string {
    let out = text;
    for (const s of this.secrets) out = out.replaceAll(s, "<redacted>");
    return out;
  }

  get warningCount(): number {
    return this.warnings;
  }

  /** `   Compiling foo v0.1.0`: a 12-column right-aligned status word then the message. */
  status(word: string, message: string): void {
    if (this.verbosity === "quiet") return;
    const colors = pc.createColors(this.colorOn);
    this.stderr.write(
      this.redact(`${colors.bold(colors.green(word.padStart(12)))} ${redactSecrets(message)}\n`),
    );
  }

  verbose(word: string, message: string): void {
    if (this.verbosity === "verbose") this.status(word, message);
  }

  warn(diagnostic: Diagnostic | string): void {
    this.warnings++;
    if (this.verbosity === "quiet") return;
    const d: Diagnostic =
      typeof diagnostic === "string" ? { level: "warning", message: diagnostic } : diagnostic;
    this.stderr.write(this.redact(`${renderDiagnostic(d, this.styler)}\n`));
  }

  note(message: string): void {
    if (this.verbosity === "quiet") return;
    this.stderr.write(this.redact(`${renderDiagnostic({ level: "note", message }, this.styler)}\n`));
  }

  error(error: unknown): void {
    this.stderr.write(this.redact(`${renderError(error, this.styler)}\n`));
  }

  /** Data output (JSON, listings) on stdout, never coloured; only exact known secrets are hidden. */
  out(text: string): void {
    this.stdout.write(this.redact(text));
  }
}
