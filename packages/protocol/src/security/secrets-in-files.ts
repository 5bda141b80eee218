/**
 * Secrets in the files of a package about to be published: the text scanner run over every
 * text file, plus rules on file names (private key files such as `id_rsa`, key stores,
 * `.env` files, credential files such as `.netrc` or a cargo `credentials.toml`), and the
 * verdict for each finding: live credentials (registry tokens, cloud keys) block wherever
 * they are; key material, credential files and passwords in URLs block, except under test,
 * example and fixture paths, where real crates ship test keys and URL-parser test data on
 * purpose, so there they only warn; heuristic guesses warn. Pure.
 */
import type { SecretFinding } from "./secret-finding.js";
import { scanSecrets } from "./secrets.js";

export type SecretVerdict = "block" | "warn";

export interface PackagedSecretFinding extends SecretFinding {
  verdict: SecretVerdict;
}

/** Files above this are scanned only in their first part (bounded time per file). */
export const MAX_SCANNED_FILE_BYTES = 4 * 1024 * 1024;

const PRIVATE_KEY_FILE = /^(?:id_(?:rsa|dsa|ecdsa|ed25519)(?:_sk)?|.*\.(?:ppk|p12|pfx|jks|keystore|kdbx))$/i;
const ENV_FILE = /^\.env(?:\.[\w.-]+)?$/i;
/** `.env.example` and friends document which variables exist; they are meant to be shipped. */
const ENV_TEMPLATE = /^\.env\.(?:example|sample|template|dist|defaults?)$/i;
const CREDENTIAL_FILES = new Map<string, string>([
  [".netrc", "a .netrc file holds login credentials"],
  [".git-credentials", "a git credential store holds passwords and tokens"],
  [".pypirc", "a .pypirc file holds package index credentials"],
  [".npmrc", "an .npmrc file may hold registry tokens"],
  ["credentials.toml", "a cargo/wharf credentials file holds registry tokens"],
  ["credentials", "a credentials file (cargo, AWS) holds tokens or keys"],
  [".htpasswd", "an .htpasswd file holds password hashes"],
]);
/** Path components under which shipped keys are expected test data. */
const TEST_COMPONENT = /^(?:tests?|examples?|benches|testdata|test[-_]data|.*fixtures?.*)$/i;

export function isTestPath(path: string): boolean {
  return path
    .split("/")
    .slice(0, -1)
    .some((c) => TEST_COMPONENT.test(c));
}

function isBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 8000);
  for (let i = 0; i < n; i++) if (bytes[i] === 0) return true;
  return false;
}

/** Rules whose matches are key material, credential files or URL passwords (test paths only warn). */
const KEY_MATERIAL_RULES = new Set([
  "private-key",
  "private-key-file",
  "credential-file",
  "env-file",
  "url-credentials",
]);

export function secretVerdict(finding: SecretFinding, path: string): SecretVerdict {
  if (KEY_MATERIAL_RULES.has(finding.rule)) return isTestPath(path) ? "warn" : "block";
  return finding.severity === "high" ? "block" : "warn";
}

/** The first `KEY=value` line of an env file, so the finding points somewhere useful. */
function firstAssignmentLine(text: string): number {
  const lines = text.split("\n");
  const i = lines.findIndex((l) => /^\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_]*\s*=/.test(l));
  return i < 0 ? 1 : i + 1;
}

function fileFinding(path: string, rule: string, message: string, line = 1): SecretFinding {
  return {
    rule,
    severity: "high",
    message,
    file: path,
    line,
    column: 1,
    redacted: path.split("/").at(-1) ?? path,
  };
}

/** Every finding in one packaged file (`path` relative to the package root), with its verdict. */
export function scanPackagedFile(path: string, bytes: Uint8Array): PackagedSecretFinding[] {
  const name = path.split("/").at(-1) ?? path;
  const findings: SecretFinding[] = [];
  let text: string | undefined;
  if (!isBinary(bytes)) {
    text = new TextDecoder("utf-8").decode(bytes.subarray(0, MAX_SCANNED_FILE_BYTES));
    findings.push(
      ...scanSecrets(text, { file: path, kind: /\.toml(?:\.orig)?$/i.test(path) ? "manifest" : "source" }),
    );
  }
  if (PRIVATE_KEY_FILE.test(name) && !findings.some((f) => f.rule === "private-key")) {
    findings.unshift(fileFinding(path, "private-key-file", `private key file \`${name}\``));
  }
  if (ENV_FILE.test(name) && !ENV_TEMPLATE.test(name)) {
    const line = text === undefined ? 1 : firstAssignmentLine(text);
    findings.unshift(
      fileFinding(path, "env-file", `environment file \`${name}\` (these hold local secrets)`, line),
    );
  }
  const credential = CREDENTIAL_FILES.get(name);
  if (credential !== undefined && !(name === "credentials" && text !== undefined && !/[=:]/.test(text))) {
    findings.unshift(fileFinding(path, "credential-file", credential));
  }
  return findings.map((f) => ({ ...f, verdict: secretVerdict(f, path) }));
}
