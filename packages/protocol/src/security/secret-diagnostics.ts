/**
 * Secret findings as the project's Diagnostic, so the CLI prints them as `warning:` lines
 * and the registry can store them, both without special cases.
 */
import type { Diagnostic } from "../errors/wharf-error.js";
import type { SecretFinding } from "./secret-finding.js";

export function secretFindingToDiagnostic(finding: SecretFinding): Diagnostic {
  return {
    level: "warning",
    message: `${finding.message} (\`${finding.redacted}\`)`,
    file: finding.file,
    line: finding.line,
    column: finding.column,
    code: finding.rule,
  };
}

export function secretFindingsToDiagnostics(findings: readonly SecretFinding[]): Diagnostic[] {
  return findings.map(secretFindingToDiagnostic);
}
