import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CREDENTIAL_SHAPES } from "../errors/redact.js";
import { secretFindingsToDiagnostics } from "./secret-diagnostics.js";
import type { SecretFinding } from "./secret-finding.js";
import { scanSecrets } from "./secrets.js";

// Planted secrets are assembled from pieces so this file does not itself hold a token
// shape (and trip the scanner when it later scans sources, or anyone else's).
const AKIA = ["AK", "IA", "ZDOC9IS0J8HT9LGM"].join("");
const AWS_SECRET = ["VmihA+2O76UMFxFkM+R5", "Kjp1vRt/1fjORS+6ilI8"].join("");
const GHP = ["gh", "p_", "u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d"].join("");
const GITHUB_PAT = [
  "github",
  "_pat_",
  "11ABCDEFG0",
  "sajAIxNKu8iS2G8NPRVd_",
  "vMdgaKjIg8xNbe3nNyjOq9wMxEhh2FDEEtfjgVvVqE1SkHbn88HxjSI6bWH",
].join("");
const GLPAT = ["gl", "pat-", "D53X83RZJzzzzgEOzdme"].join("");
const SLACK = ["xo", "xb-", "1234567890-9876543210-", "aZUPgHV7iB3m03nbqnsGpWLu"].join("");
const URL_PASSWORD = "Qwb8DwkNhF-dnXsiV";
const CIO = ["c", "io", "SQedUStPKR0CsTy4Qwb8DwkNhFdnXsiV"].join("");
const WHARF = ["wh", "arf_", "pzz63FfkCzJr4i0B3JrTAwR4y9ojfljoQoaF1Llq"].join("");
const GENERIC = "aZUPgHV7iB3m03nbqnsGpWLuqIA1";
const KEY_LINE_1 = "tP3fS2qHx6kwXoIIXGvOoNZYW2mZp0zVZomHFwUbbYrEqmSM9wCZ7Uw9xfogoEmv";
const KEY_LINE_2 = "nEN5N1aE6PwZPf1Qh6yYTWmE4lBYOvfZ8UzDzV8fUkkibjL5DZPjN0MEQ7wjJJib";
const BEGIN = (kind: string) => `-----BEGIN ${kind}PRIVATE KEY-----`;
const END = (kind: string) => `-----END ${kind}PRIVATE KEY-----`;

const PLANTED = [
  AKIA,
  AWS_SECRET,
  GHP,
  GITHUB_PAT,
  GLPAT,
  SLACK,
  URL_PASSWORD,
  CIO,
  WHARF,
  GENERIC,
  KEY_LINE_1,
];

// Line numbers in the comments on the right were counted by hand.
const MANIFEST = `[package]
name = "deploy-helper"
version = "0.3.1"
edition = "2021"
authors = ["Jane Doe <jane@example.org>"]
documentation = "https://docs.rs/deploy-helper"
repository = "https://github.com/jane/deploy-helper"

[package.metadata.deploy]
aws_key = "${AKIA}"
aws_secret_access_key = "${AWS_SECRET}"
github = { user = "jane", token = "${GHP}" }
fine_grained = "${GITHUB_PAT}"
gitlab.ci = "${GLPAT}"
notify = "${SLACK}"
upload = "https://deploy:${URL_PASSWORD}@crates.corp.internal/upload"

[registries.corp]
index = "sparse+https://crates.corp.internal/index/"
token = "${CIO}"

[registries.wharf]
token = "${WHARF}"

[package.metadata.signing]
api_key = "${GENERIC}"
key = """
${BEGIN("OPENSSH ")}
${KEY_LINE_1}
${KEY_LINE_2}
${END("OPENSSH ")}
"""

[dependencies]
serde = { version = "1", features = ["derive"] }
`;
const EXPECTED: readonly [rule: string, line: number][] = [
  ["aws-access-key-id", 10],
  ["aws-secret-access-key", 11],
  ["github-token", 12],
  ["github-token", 13],
  ["gitlab-token", 14],
  ["slack-token", 15],
  ["url-credentials", 16],
  ["crates-io-token", 20],
  ["wharf-token", 23],
  ["high-entropy-secret", 26],
  ["private-key", 28],
];

function rulesAndLines(findings: readonly SecretFinding[]): [string, number][] {
  return findings.map((f) => [f.rule, f.line]);
}

function assertNothingLeaks(findings: readonly SecretFinding[], secrets: readonly string[]): void {
  const printed = JSON.stringify(findings);
  for (const secret of secrets) {
    assert.ok(!printed.includes(secret), `a finding holds the secret ${secret.slice(0, 4)}…`);
    // Not even most of it: at most a short, non-secret prefix may show.
    assert.ok(!printed.includes(secret.slice(-12)), `a finding holds the tail of ${secret.slice(0, 4)}…`);
  }
}

describe("scanSecrets: planted secrets in a Cargo.toml", () => {
  const findings = scanSecrets(MANIFEST, { file: "Cargo.toml" });

  it("finds each planted secret with its rule and line, and nothing else", () => {
    assert.deepEqual(rulesAndLines(findings), EXPECTED);
  });

  it("covers every shape of the shared credential table", () => {
    const found = new Set(findings.map((f) => f.rule));
    for (const shape of CREDENTIAL_SHAPES)
      assert.ok(found.has(shape.id), `no planted example for ${shape.id}`);
  });

  it("grades live-credential shapes high and heuristics medium", () => {
    for (const f of findings) {
      assert.equal(f.severity, f.rule === "high-entropy-secret" ? "medium" : "high", f.rule);
    }
  });

  it("points at the secret value (1-based columns)", () => {
    const aws = findings.find((f) => f.rule === "aws-access-key-id");
    assert.deepEqual([aws?.line, aws?.column], [10, 12]); // aws_key = " is 11 characters
    const gh = findings.find((f) => f.line === 12);
    assert.equal(gh?.column, 36); // github = { user = "jane", token = " is 35 characters
    const url = findings.find((f) => f.rule === "url-credentials");
    assert.equal(url?.column, 26); // upload = "https://deploy: is 25 characters
  });

  it("names the rule in a one-line message", () => {
    const byRule = new Map(findings.map((f) => [f.rule, f.message]));
    assert.equal(byRule.get("aws-access-key-id"), "possible AWS access key ID");
    assert.equal(byRule.get("private-key"), "possible private key block");
    assert.match(byRule.get("high-entropy-secret") ?? "", /api_key/);
    for (const f of findings) {
      assert.ok(!f.message.includes("\n"), f.rule);
      assert.equal(f.file, "Cargo.toml");
    }
  });

  it("never returns a secret, only a redacted preview", () => {
    assertNothingLeaks(findings, PLANTED);
    const preview = new Map(findings.map((f) => [f.rule, f.redacted]));
    assert.equal(preview.get("aws-access-key-id"), "AKIA…");
    assert.equal(preview.get("crates-io-token"), "cio…");
    assert.equal(preview.get("wharf-token"), "wharf_…");
    assert.equal(preview.get("url-credentials"), "https://deploy:…@");
    assert.equal(preview.get("private-key"), `${BEGIN("OPENSSH ")}…`);
    assert.equal(preview.get("high-entropy-secret"), "aZUP…");
  });

  it("turns findings into warning diagnostics coded by rule", () => {
    const diagnostics = secretFindingsToDiagnostics(findings);
    assert.equal(diagnostics.length, findings.length);
    assert.deepEqual(diagnostics[0], {
      level: "warning",
      message: "possible AWS access key ID (`AKIA…`)",
      file: "Cargo.toml",
      line: 10,
      column: 12,
      code: "aws-access-key-id",
    });
    assert.ok(!JSON.stringify(diagnostics).includes(AKIA));
  });
});

describe("scanSecrets: forms of a secret", () => {
  for (const kind of ["RSA ", "EC ", "DSA ", "OPENSSH ", "ENCRYPTED ", ""]) {
    it(`finds a ${kind || "PKCS#8 "}private key in a Rust string with \\n escapes`, () => {
      const text = `// test key\nconst KEY: &str = "${BEGIN(kind)}\\n${KEY_LINE_1}\\n${END(kind)}\\n";\n`;
      const findings = scanSecrets(text, { file: "src/lib.rs" });
      assert.deepEqual(rulesAndLines(findings), [["private-key", 2]]);
      assertNothingLeaks(findings, [KEY_LINE_1]);
    });
  }

  it("finds a PGP private key block", () => {
    const text = `-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n${KEY_LINE_1}\n${KEY_LINE_2}\n-----END PGP PRIVATE KEY BLOCK-----\n`;
    assert.deepEqual(rulesAndLines(scanSecrets(text, { file: "key.asc" })), [["private-key", 1]]);
  });

  it("finds a key block cut off before its END line", () => {
    const text = `notes\n${BEGIN("RSA ")}\n${KEY_LINE_1}\n`;
    assert.deepEqual(rulesAndLines(scanSecrets(text, { file: "notes.txt" })), [["private-key", 2]]);
  });

  it("finds a key after a bare PEM marker in the same file", () => {
    const text = [
      `const MARKER: &[u8] = b"${BEGIN("")}";`, // 1: how parsers spell the marker
      "#[test]", // 2
      "fn parses() {", // 3
      `    let pem = "${BEGIN("EC ")}\n${KEY_LINE_1}\n${END("EC ")}\n";`, // 4
      "}", // 5
    ].join("\n");
    assert.deepEqual(rulesAndLines(scanSecrets(text, { file: "src/pem.rs" })), [["private-key", 4]]);
  });

  it("finds secrets under dotted keys and in inline tables", () => {
    const text = `[package.metadata]\nregistry.auth.token = "${GENERIC}"\nupload = { url = "https://x", password = "${GENERIC}" }\n`;
    assert.deepEqual(rulesAndLines(scanSecrets(text, { file: "Cargo.toml" })), [
      ["high-entropy-secret", 2],
      ["high-entropy-secret", 3],
    ]);
  });

  it("finds an AWS secret key whose table names AWS", () => {
    const text = `[package.metadata.aws]\nregion = "eu-west-1"\nsecret_access_key = "${AWS_SECRET}"\n`;
    assert.deepEqual(rulesAndLines(scanSecrets(text, { file: "Cargo.toml" })), [
      ["aws-secret-access-key", 3],
    ]);
  });

  it("finds secrets in common source forms", () => {
    const text = [
      "fn main() {", // 1
      `    let TOKEN = "${GENERIC}";`, // 2
      `    const API_KEY: &str = "${GENERIC}";`, // 3
      `    let body = r#"{"password": "${GENERIC}"}"#;`, // 4
      `    let auth = format!("Bearer {}", token);`, // 5
      `    client.header("Authorization", "Bearer ${GENERIC}");`, // 6: no key=value form
      "}", // 7
    ].join("\n");
    assert.deepEqual(rulesAndLines(scanSecrets(text, { file: "src/main.rs" })), [
      ["high-entropy-secret", 2],
      ["high-entropy-secret", 3],
      ["high-entropy-secret", 4],
    ]);
  });

  it("finds KEY=value lines of .env and shell files", () => {
    const text = `# deploy settings\nREGION=eu-west-1\nexport API_KEY=${GENERIC}\nAWS_SECRET_ACCESS_KEY=${AWS_SECRET}\n`;
    assert.deepEqual(rulesAndLines(scanSecrets(text, { file: ".env" })), [
      ["high-entropy-secret", 3],
      ["aws-secret-access-key", 4],
    ]);
  });

  it("reads KEY=value only in source files, where TOML never puts an unquoted string", () => {
    const text = `API_KEY=${GENERIC}\n`;
    assert.equal(scanSecrets(text, { file: "x.cfg", kind: "manifest" }).length, 0);
    assert.equal(scanSecrets(text, { file: "x.cfg", kind: "source" }).length, 1);
  });

  it("reports a token once, by its most specific rule", () => {
    const findings = scanSecrets(`token = "${GHP}"\n`, { file: "Cargo.toml" });
    assert.deepEqual(rulesAndLines(findings), [["github-token", 1]]);
  });

  it("counts columns in characters, not UTF-16 units", () => {
    const findings = scanSecrets(`authors = ["𝔍ane"] ; key = "${AKIA}"\n`, { file: "x.toml" });
    // 28 characters precede the key, 29 UTF-16 units: 𝔍 is a surrogate pair
    assert.equal(findings[0]?.column, 29);
  });
});

describe("scanSecrets: look-alikes that are not secrets", () => {
  const SAFE = `[package]
name = "password-hash"
version = "0.5.0"
authors = ["RustCrypto Developers", "Jane Doe <jane.doe+crates@example.org>"]
documentation = "https://docs.rs/password-hash/0.5.0/password_hash/"
homepage = "https://github.com/RustCrypto/traits/tree/master/password-hash"
readme = "README.md"
keywords = ["auth", "password", "token", "secret"]
description = "Traits for password hashing: token-based auth, secret keys and credentials"

[badges]
travis-ci = { repository = "jane/x", branch = "4b825dc642cb6eb9a060e54bf8d69288fbee4904" }

[package.metadata.docs.rs]
all-features = true
rustdoc-args = ["--cfg", "docsrs"]

[package.metadata.wix]
upgrade-guid = "4B1E7C2A-9F0D-4C6E-8A3B-1D2F3E4A5B6C"
path-guid = "9D2B3F4E-5A6B-4C7D-8E9F-0A1B2C3D4E5F"

[package.metadata.release]
token = "my-token-name"
token_file = "~/.config/wharf/credentials.toml"
password_env = "DEPLOY_PASSWORD_FOR_RELEASES"
api_key = "\${API_KEY}"
auth = "bearer"
auth_token = "GITHUB_TOKEN_FOR_RELEASES"
secret = "<your secret here>"
app_token = "4b1e7c2a-9f0d-4c6e-8a3b-1d2f3e4a5b6c"
credentials = "{{ secrets.CARGO_REGISTRY_TOKEN }}"
access_key = "AKIAIOSFODNN7EXAMPLE"
private_key = "./keys/signing-key.pem"
secret_version = "v2.14.0-rc.1"
checksum = "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
token_url = "https://crates.example.org/me"
password = "password"
backup = "postgres://postgres:postgres@localhost:5432/app"
mirror = "https://user:password@mirror.example.com/index"

[features]
default = ["std"]
std = []
password-hash = ["dep:password-hash"]
auth-token-with-a-very-long-feature-name-for-testing = []
access_key_support = ["password-hash/rand_core"]

[dependencies]
password-hash = { version = "0.5", optional = true, git = "https://github.com/RustCrypto/traits", rev = "41bed440e50454f31af3176813e02ea68ef786e4" }
`;

  it("stays silent on a manifest full of secret-ish words", () => {
    assert.deepEqual(scanSecrets(SAFE, { file: "Cargo.toml" }), []);
  });

  it("stays silent on PEM markers and code that handles tokens", () => {
    const text = [
      `const PKCS8_HEADER: &[u8] = b"${BEGIN("")}";`,
      `let token = env::var("CARGO_REGISTRY_TOKEN")?;`,
      `let password: String = prompt("password: ")?;`,
      `match kind { Kind::Token => "token", Kind::Password => "password-hash" }`,
      `let sha = "41bed440e50454f31af3176813e02ea68ef786e4";`,
      `let placeholder = "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";`,
      `// see https://docs.rs/url and "ftp://user:pass@ftp.example.net/"`,
      `let url = format!("https://{}:{}@{}", user, password, host);`,
      `// new URL("https://a:b@測試?abc#foo")`,
      `def sign(private_key: "_EllipticCurvePrivateKey", data: bytes):`,
      "    key_password=self.key_password,",
      "    auth=ensure_type(auth),",
      `"message_token_0": "分析器预期在此处找到与“{0}”标记匹配的“{1}”。",`,
    ].join("\n");
    assert.deepEqual(scanSecrets(text, { file: "src/lib.rs" }), []);
  });

  it("ignores long kebab-case and snake_case values under secret keys", () => {
    for (const value of [
      "crates-io-publish-token-for-ci",
      "SUPER_SECRET_DEPLOY_TOKEN_V2",
      "passwordHashingAlgorithm",
    ]) {
      assert.deepEqual(scanSecrets(`token = "${value}"\n`, { file: "Cargo.toml" }), [], value);
    }
  });
});
