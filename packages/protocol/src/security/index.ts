/**
 * security: pure analyses shared by the client and the registry (secret scanning; later
 * typosquat detection and build-script analysis). Pure: text in, findings out.
 */
export { shannonEntropy } from "./entropy.js";
export { secretFindingsToDiagnostics, secretFindingToDiagnostic } from "./secret-diagnostics.js";
export { redactValue, type SecretFinding, type SecretSeverity } from "./secret-finding.js";
export { isSecretKeyName } from "./secret-key-names.js";
export { type ScanSecretsOptions, SecretRule, scanSecrets } from "./secrets.js";
export * from "./secrets-in-files.js";
