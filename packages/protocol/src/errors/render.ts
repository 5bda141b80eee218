/**
 * Cargo-style rendering of errors and diagnostics: `error:`, `Caused by:`, `note:`, `help:`,
 * `warning:`. Pure: the caller decides where the text goes and whether to colour it.
 */
import { redactSecrets } from "./redact.js";
import { type Diagnostic, isWharfError } from "./wharf-error.js";

export interface Styler {
  error(text: string): string;
  warning(text: string): string;
  note(text: string): string;
  help(text: string): string;
  bold(text: string): string;
}

export const plainStyler: Styler = {
  error: (t) => t,
  warning: (t) => t,
  note: (t) => t,
  help: (t) => t,
  bold: (t) => t,
};

const BUG_LINE = "this is a bug in wharf; please report it with the command you ran and this output";

function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  const seen = new Set<unknown>();
  let current = error instanceof Error ? error.cause : undefined;
  while (current !== undefined && current !== null && !seen.has(current) && chain.length < 16) {
    seen.add(current);
    chain.push(current);
    current = current instanceof Error ? current.cause : undefined;
  }
  return chain;
}

function describe(value: unknown): string {
  if (isWharfError(value)) return value.message;
  if (value instanceof Error) return value.message || value.name;
  return String(value);
}

function indent(text: string, prefix: string): string {
  return text
    .split("\n")
    .map((line) => (line.length > 0 ? prefix + line : line))
    .join("\n");
}

/** Renders any thrown value; non-WharfErrors are reported as internal errors (bugs). */
export function renderError(error: unknown, style: Styler = plainStyler): string {
  const lines: string[] = [];
  if (isWharfError(error)) {
    lines.push(`${style.error("error")}${style.bold(":")} ${error.message}`);
  } else {
    lines.push(`${style.error("error")}${style.bold(":")} internal error: ${describe(error)}`);
  }
  const causes = causeChain(error);
  // cargo gives every link of the chain its own `Caused by:` block
  for (const cause of causes) lines.push("", "Caused by:", indent(describe(cause), "  "));
  if (isWharfError(error)) {
    for (const note of error.notes) lines.push(`${style.note("note")}: ${note}`);
    if (error.hint) lines.push(`${style.help("help")}: ${error.hint}`);
  } else {
    if (error instanceof Error && error.stack) lines.push("", indent(error.stack, "  "));
    lines.push(`${style.note("note")}: ${BUG_LINE}`);
  }
  return redactSecrets(lines.join("\n"));
}

export function renderDiagnostic(diagnostic: Diagnostic, style: Styler = plainStyler): string {
  const label = diagnostic.level === "warning" ? style.warning("warning") : style.note("note");
  let where = "";
  if (diagnostic.file) {
    where = diagnostic.file;
    if (diagnostic.line !== undefined) {
      where += `:${diagnostic.line}`;
      if (diagnostic.column !== undefined) where += `:${diagnostic.column}`;
    }
  }
  const text = where ? `${diagnostic.message}\n  --> ${where}` : diagnostic.message;
  return redactSecrets(`${label}${style.bold(":")} ${text}`);
}
