/**
 * TOML strings and keys exactly as toml-rs (toml 0.9 / toml_writer 1.0, the versions cargo
 * 1.95 links) prints them, since cargo renders every lock file value through it: a basic
 * "..." string when nothing needs escaping, else a '...' literal, else multi-line forms,
 * else an escaped basic string.
 */

interface ValueMetrics {
  maxSingleQuotes: number;
  maxDoubleQuotes: number;
  /** control characters other than tab and newline: only escapes can carry them */
  escapeCodes: boolean;
  backslash: boolean;
  newline: boolean;
}

function isControl(code: number): boolean {
  return code <= 0x1f || code === 0x7f;
}

function measure(text: string): ValueMetrics {
  const m: ValueMetrics = {
    maxSingleQuotes: 0,
    maxDoubleQuotes: 0,
    escapeCodes: false,
    backslash: false,
    newline: false,
  };
  let singles = 0;
  let doubles = 0;
  for (const ch of text) {
    singles = ch === "'" ? singles + 1 : 0;
    doubles = ch === '"' ? doubles + 1 : 0;
    m.maxSingleQuotes = Math.max(m.maxSingleQuotes, singles);
    m.maxDoubleQuotes = Math.max(m.maxDoubleQuotes, doubles);
    const code = ch.codePointAt(0)!;
    if (ch === "\\") m.backslash = true;
    else if (ch === "\n") m.newline = true;
    else if (ch !== "\t" && isControl(code)) m.escapeCodes = true;
  }
  return m;
}

const SHORT_ESCAPES: Record<string, string> = {
  "\b": "\\b",
  "\t": "\\t",
  "\f": "\\f",
  "\r": "\\r",
  "\\": "\\\\",
};

/** The body of a basic string; multi-line bodies keep newlines and up to two quotes in a row. */
function escapeBasic(text: string, multiline: boolean): string {
  let out = "";
  let doubles = 0;
  for (const ch of text) {
    if (ch === '"') {
      doubles++;
      if (doubles > (multiline ? 2 : 0)) {
        out += '\\"';
        // toml_writer restarts its count after an escaped quote
        doubles = 0;
        continue;
      }
      out += ch;
      continue;
    }
    doubles = 0;
    if (ch === "\n") {
      out += multiline ? "\n" : "\\n";
      continue;
    }
    const short = SHORT_ESCAPES[ch];
    if (short !== undefined) {
      out += short;
      continue;
    }
    const code = ch.codePointAt(0)!;
    out += isControl(code) ? `\\u${code.toString(16).toUpperCase().padStart(4, "0")}` : ch;
  }
  return out;
}

function basic(text: string): string {
  return `"${escapeBasic(text, false)}"`;
}

function multilineBasic(text: string, m: ValueMetrics): string {
  return `"""${m.newline ? "\n" : ""}${escapeBasic(text, true)}"""`;
}

/** A string value as toml-rs writes it. */
export function tomlString(text: string): string {
  const m = measure(text);
  if (!m.escapeCodes && !m.backslash && m.maxDoubleQuotes === 0 && !m.newline) return basic(text);
  if (!m.escapeCodes && m.maxSingleQuotes === 0 && !m.newline) return `'${text}'`;
  if (!m.escapeCodes && !m.backslash && m.maxDoubleQuotes <= 2) return multilineBasic(text, m);
  if (!m.escapeCodes && m.maxSingleQuotes <= 2) return `'''${m.newline ? "\n" : ""}${text}'''`;
  return m.newline ? multilineBasic(text, m) : basic(text);
}

/** A key as toml-rs writes it: bare when it can be, else quoted like a string without newlines. */
export function tomlKey(key: string): string {
  if (/^[A-Za-z0-9_-]+$/.test(key)) return key;
  const m = measure(key);
  // a newline is just another control character in a key
  const controls = m.escapeCodes || m.newline;
  if (!controls && !m.backslash && m.maxDoubleQuotes === 0) return `"${key}"`;
  if (!controls && m.maxSingleQuotes === 0) return `'${key}'`;
  return `"${escapeBasic(key, false)}"`;
}
