/**
 * security: pure analyses shared by the client and the registry (secret scanning; later
 * typosquat detection and build-script analysis). Pure: text in, findings out.
 */

export {
  type AnalyzeBuildScriptInput,
  type AnalyzeProcMacroInput,
  analyzeBuildScript,
  analyzeProcMacro,
  MAX_ANALYSED_FILE_BYTES,
  type PackageFileReader,
} from "./build-script-analysis.js";
export {
  type AnalysedTarget,
  BUILD_FINDING_SEVERITIES,
  type BuildFindingSeverity,
  type BuildScriptFinding,
  BuildScriptRule,
  type BuildScriptRuleId,
  type CrateAnalysis,
  highestSeverity,
  severityRank,
} from "./build-script-finding.js";
export { shannonEntropy } from "./entropy.js";
export { createRustParser, RUST_PARSER_WASM, RustParser, type RustParserWasm } from "./rust-parser.js";
export { secretFindingsToDiagnostics, secretFindingToDiagnostic } from "./secret-diagnostics.js";
export { redactValue, type SecretFinding, type SecretSeverity } from "./secret-finding.js";
export { isSecretKeyName } from "./secret-key-names.js";
export { type ScanSecretsOptions, SecretRule, scanSecrets } from "./secrets.js";
