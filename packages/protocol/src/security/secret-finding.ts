/**
 * What the secret scanner reports. A finding never carries the secret itself, only a
 * redacted preview, so findings can be printed, logged and stored by the registry freely.
 */

/** "high": the text has the shape of a live credential; "medium": a heuristic guess. */
export type SecretSeverity = "high" | "medium";

export interface SecretFinding {
  /** stable rule id, e.g. "aws-access-key-id"; also the Diagnostic code */
  rule: string;
  severity: SecretSeverity;
  /** one line naming the rule, e.g. "possible AWS access key ID" */
  message: string;
  file: string;
  /** 1-based, pointing at the secret value itself */
  line: number;
  /** 1-based, in characters */
  column: number;
  /** the matched value with all but a non-secret prefix cut off, e.g. "ghp_…" */
  redacted: string;
}

export const ELLIPSIS = "…";

/**
 * Keeps at most `reveal` leading characters, and never more than a quarter of the value,
 * so even a short password is not half printed.
 */
export function redactValue(value: string, reveal = 4): string {
  const chars = [...value];
  const shown = Math.max(0, Math.min(reveal, Math.floor(chars.length / 4)));
  return `${chars.slice(0, shown).join("")}${ELLIPSIS}`;
}
