/**
 * The secret scanner: text in (a Cargo.toml, later every packaged file), findings out.
 * Two kinds of rules: credential shapes (CREDENTIAL_SHAPES, shared with redactSecrets)
 * that are secrets wherever they appear, and heuristics that need context: a random-looking
 * value assigned to a secret-looking key, an AWS secret key under an AWS-looking key, and a
 * password inside a URL.
 */
import { CREDENTIAL_SHAPES, URL_CREDENTIALS } from "../errors/redact.js";
import { shannonEntropy } from "./entropy.js";
import { ELLIPSIS, redactValue, type SecretFinding, type SecretSeverity } from "./secret-finding.js";
import { isAwsKeyName, isSecretKeyName } from "./secret-key-names.js";
import { isPlaceholder, looksLikeAwsSecretKey, looksLikeSecretValue } from "./secret-values.js";
import { LineIndex } from "./text-positions.js";

export interface ScanSecretsOptions {
  /** path shown in findings; also picks `kind` when that is not given (`*.toml` is a manifest) */
  file: string;
  /** "manifest": TOML, tables give keys context; "source": also `KEY=value` lines (.env, shell) */
  kind?: "manifest" | "source" | undefined;
}

/** Rule ids of the context rules; the shape rules take theirs from CREDENTIAL_SHAPES. */
export const SecretRule = {
  awsSecretAccessKey: "aws-secret-access-key",
  urlCredentials: "url-credentials",
  highEntropySecret: "high-entropy-secret",
} as const;

/**
 * `key = "value"`, `key: "value"`, `"key": "value"`, `let KEY: &str = "value"`, `key => "value"`,
 * TOML dotted keys and inline tables alike: the key right before the separator, the value a
 * one-line string. The lookbehind keeps `self.x.token` whole and the key from starting mid-word.
 */
const QUOTED_ASSIGNMENT =
  /(?<![\w.$-])(?<key>[A-Za-z_][\w.-]*)["']?[ \t]*(?::[ \t]*&?(?:'static[ \t]+)?(?:str|String)[ \t]*)?(?:=>|:=|=|:)[ \t]*(?:r#*|b)?(?<quote>["'`])(?<value>[^"'`\r\n\\]{8,512})\k<quote>/g;
/**
 * `API_KEY=value` on a line of its own (.env files, shell), unquoted; never in TOML. The value
 * takes only characters tokens are made of, so keyword arguments in code (`auth=f(x),`) and
 * query strings do not read as assignments.
 */
const ENV_ASSIGNMENT =
  /^[ \t]*(?:export[ \t]+)?(?<key>[A-Za-z_][A-Za-z0-9_]*)=(?<value>[A-Za-z0-9+/=_.~:@%-]{8,512})[ \t]*$/gm;
/** A TOML table header, `[a.b]` or `[[a.b]]`, gives the keys below it context. */
const TABLE_HEADER = /^[ \t]*\[\[?[ \t]*(?<path>[A-Za-z0-9_"'. -]+?)[ \t]*\]\]?[ \t]*(?:#.*)?$/gm;
/** Credentials for local and documentation hosts are examples, not leaks. */
const EXAMPLE_HOST =
  /^(?:localhost|127(?:\.\d+){3}|0\.0\.0\.0|\[::1\]|(?:[\w-]+\.)*example(?:\.(?:com|org|net))?|(?:[\w-]+\.)+(?:test|invalid|example|localhost))$/i;
/** Password fields that only say "a password goes here". */
const PLACEHOLDER_PASSWORD =
  /^(?:pass(?:word|wd)?|pwd|pw|secret|token|x+|\*+|\.+|changeme|hunter2|p@ss|foo|bar|baz|qux|quux|user(?:name)?|admin|root|guest|anonymous)$/i;

interface Span {
  start: number;
  end: number;
}

interface RawFinding {
  rule: string;
  severity: SecretSeverity;
  message: string;
  offset: number;
  end: number;
  redacted: string;
}

function tableHeaders(text: string): { offset: number; path: string[] }[] {
  const headers: { offset: number; path: string[] }[] = [];
  for (const m of text.matchAll(TABLE_HEADER)) {
    const path = (m.groups?.["path"] ?? "").split(".").map((part) => part.trim().replace(/^["']|["']$/g, ""));
    headers.push({ offset: m.index, path });
  }
  return headers;
}

function tableAt(headers: readonly { offset: number; path: string[] }[], offset: number): string[] {
  let current: string[] = [];
  for (const header of headers) {
    if (header.offset > offset) break;
    current = header.path;
  }
  return current;
}

/**
 * A private-key header is also how PEM parsers spell the marker they look for
 * (`b"-----BEGIN <type> KEY-----"` in parser code); only a header directly followed by base64 key material
 * is a key. "Directly" allows what a key looks like inside source code: `\n` escapes,
 * closing and reopening quotes, line continuations, and RFC 1421 / PGP armour headers.
 */
const KEY_MATERIAL =
  /^(?:[\s"'`,+\\]|(?:Proc-Type|DEK-Info|Comment|Version|Hash|Charset):[^\n]*\n)*[A-Za-z0-9+/]{40,}/;

function hasKeyMaterial(block: string): boolean {
  const headerEnd = block.indexOf("-----", 5) + 5;
  const body = block.slice(headerEnd, headerEnd + 600).replace(/\\[nr]/g, "\n");
  return KEY_MATERIAL.test(body);
}

/** A shape's match that is plainly a placeholder: `AKIAIOSFODNN7EXAMPLE`, `ghp_xxxx...`. */
function isShapePlaceholder(match: string, reveal: number): boolean {
  const tail = match.slice(reveal);
  return /EXAMPLE/i.test(tail) || shannonEntropy(tail) < 2.5;
}

function scanShapes(text: string): RawFinding[] {
  const found: RawFinding[] = [];
  for (const shape of CREDENTIAL_SHAPES) {
    for (const m of text.matchAll(shape.pattern)) {
      const match = m[0];
      if (shape.id === "private-key") {
        if (!hasKeyMaterial(match)) continue;
      } else if (isShapePlaceholder(match, shape.reveal)) continue;
      // A key header is not secret and says which kind of key it is.
      const redacted =
        shape.id === "private-key"
          ? `${match.slice(0, match.indexOf("-----", 5) + 5)}${ELLIPSIS}`
          : redactValue(match, shape.reveal);
      found.push({
        rule: shape.id,
        severity: "high",
        message: `possible ${shape.label}`,
        offset: m.index,
        end: m.index + match.length,
        redacted,
      });
    }
  }
  return found;
}

function scanUrlCredentials(text: string): RawFinding[] {
  const found: RawFinding[] = [];
  for (const m of text.matchAll(URL_CREDENTIALS)) {
    const [whole, scheme = "", user = "", password = ""] = m;
    const host = /^[^\s/:?#"'`<>)\]]*/.exec(text.slice(m.index + whole.length))?.[0] ?? "";
    if (/[{}$%<>*]/.test(user + password) || password === user) continue; // a template
    // A URL someone really uses percent-encodes its userinfo; raw non-ASCII is a parser test.
    if (/[^\x21-\x7e]/.test(password)) continue;
    // `a:b@`, `u:pw@`: too short to be anyone's password, and spec examples are full of them.
    if (password.length < 4) continue;
    if (PLACEHOLDER_PASSWORD.test(password) || isPlaceholder(password) || EXAMPLE_HOST.test(host)) continue;
    const offset = m.index + scheme.length + user.length + 1;
    found.push({
      rule: SecretRule.urlCredentials,
      severity: "high",
      message: "possible password in a URL",
      offset,
      end: offset + password.length,
      redacted: `${scheme}${user}:${ELLIPSIS}@`,
    });
  }
  return found;
}

function assignmentFinding(
  key: string,
  value: string,
  offset: number,
  table: readonly string[],
): RawFinding | undefined {
  const end = offset + value.length;
  if (isAwsKeyName(key, table) && looksLikeAwsSecretKey(value)) {
    return {
      rule: SecretRule.awsSecretAccessKey,
      severity: "high",
      message: "possible AWS secret access key",
      offset,
      end,
      redacted: redactValue(value),
    };
  }
  if (isSecretKeyName(key) && looksLikeSecretValue(value)) {
    return {
      rule: SecretRule.highEntropySecret,
      severity: "medium",
      message: `possible secret: random-looking value assigned to \`${key}\``,
      offset,
      end,
      redacted: redactValue(value),
    };
  }
  return undefined;
}

function scanAssignments(text: string, kind: "manifest" | "source"): RawFinding[] {
  const found: RawFinding[] = [];
  const headers = kind === "manifest" ? tableHeaders(text) : [];
  for (const m of text.matchAll(QUOTED_ASSIGNMENT)) {
    const key = m.groups?.["key"] ?? "";
    const value = m.groups?.["value"] ?? "";
    const offset = m.index + m[0].length - value.length - 1;
    const finding = assignmentFinding(key, value, offset, tableAt(headers, m.index));
    if (finding) found.push(finding);
  }
  if (kind === "source") {
    for (const m of text.matchAll(ENV_ASSIGNMENT)) {
      const key = m.groups?.["key"] ?? "";
      const value = m.groups?.["value"] ?? "";
      const finding = assignmentFinding(key, value, m.index + m[0].indexOf("=") + 1, []);
      if (finding) found.push(finding);
    }
  }
  return found;
}

function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

/**
 * Finds likely secrets in one file. Pure and deterministic: findings come sorted by
 * position, at most one per spot (the most specific rule wins), and never hold the secret.
 */
export function scanSecrets(text: string, options: ScanSecretsOptions): SecretFinding[] {
  const kind = options.kind ?? (/\.toml$/i.test(options.file) ? "manifest" : "source");
  const shapes = scanShapes(text);
  const keyBlocks: Span[] = shapes
    .filter((f) => f.rule === "private-key")
    .map((f) => ({ start: f.offset, end: f.end }));
  const specific = [...shapes, ...scanUrlCredentials(text)];
  // Base64 inside a key block can spell anything; the block is already one finding.
  const kept = specific.filter(
    (f) => f.rule === "private-key" || !keyBlocks.some((b) => overlaps(b, { start: f.offset, end: f.end })),
  );
  // A heuristic hit on a value a specific rule already explained would say the same thing twice.
  for (const f of scanAssignments(text, kind)) {
    const span = { start: f.offset, end: f.end };
    if (!kept.some((k) => overlaps({ start: k.offset, end: k.end }, span))) kept.push(f);
  }
  kept.sort((a, b) => a.offset - b.offset || a.rule.localeCompare(b.rule));
  const lines = new LineIndex(text);
  return kept.map((f) => {
    const { line, column } = lines.position(f.offset);
    return {
      rule: f.rule,
      severity: f.severity,
      message: f.message,
      file: options.file,
      line,
      column,
      redacted: f.redacted,
    };
  });
}
