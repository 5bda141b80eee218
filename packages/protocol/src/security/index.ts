/**
 * security: pure analyses shared by the client and the registry (secret scanning; later
 * typosquat detection and build-script analysis). Pure: text in, findings out.
 */

export { type Advisory, parseAdvisory } from "./advisory.js";
export {
  type AuditFinding,
  type AuditFindingKind,
  type AuditMatchOptions,
  type AuditPackage,
  type AuditResult,
  CRATES_IO_SOURCES,
  findingKind,
  matchAdvisories,
} from "./advisory-match.js";
export { type AdvisoryRange, isAffected, parseAdvisoryRanges, rangeOf } from "./advisory-range.js";
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
export {
  type ConfusionFinding,
  type LockSourcePackage,
  nameConfusion,
  type PrivateCrate,
  sourceChanges,
} from "./confusion.js";
export { shannonEntropy } from "./entropy.js";
export {
  builtinPopularCrates,
  builtinTyposquatIndex,
  type CrateDownloads,
  popularFromDownloads,
  TOP_CRATES,
} from "./popular-crates.js";
export { createRustParser, RUST_PARSER_WASM, RustParser, type RustParserWasm } from "./rust-parser.js";
export { secretFindingsToDiagnostics, secretFindingToDiagnostic } from "./secret-diagnostics.js";
export { redactValue, type SecretFinding, type SecretSeverity } from "./secret-finding.js";
export { isSecretKeyName } from "./secret-key-names.js";
export { type ScanSecretsOptions, SecretRule, scanSecrets } from "./secrets.js";
export * from "./secrets-in-files.js";
export {
  type PopularCrate,
  type TyposquatCheckOptions,
  type TyposquatFinding,
  TyposquatIndex,
  type TyposquatKind,
  type TyposquatMatch,
} from "./typosquat.js";
export { osaDistance } from "./typosquat-distance.js";
export { generateLookAlikes, type LookAlike } from "./typosquat-generate.js";
export { foldCrateName } from "./typosquat-names.js";
