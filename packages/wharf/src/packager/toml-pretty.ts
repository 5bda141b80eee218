/**
 * TOML text in the layout cargo's `toml::to_string_pretty` gives the normalized Cargo.toml:
 * a table's plain values first, then its sub-tables as `[a.b]` sections (headers of tables
 * holding only tables left out), arrays of tables as `[[x]]`, arrays of two or more values
 * one per line with a trailing comma, and each string in the first encoding that needs no
 * escapes (basic, literal, multi-line basic, multi-line literal), as toml_writer picks them.
 * Pure.
 */
import { TomlDate } from "smol-toml";

export type PrettyValue = string | number | bigint | boolean | TomlDate | PrettyValue[] | PrettyTable;
/** a Map, so keys keep the order given even when they look like integers */
export type PrettyTable = Map<string, PrettyValue>;

interface StringMetrics {
  maxSingle: number;
  maxDouble: number;
  escapeCodes: boolean;
  backslash: boolean;
  newline: boolean;
}

function metricsOf(s: string): StringMetrics {
  const m: StringMetrics = {
    maxSingle: 0,
    maxDouble: 0,
    escapeCodes: false,
    backslash: false,
    newline: false,
  };
  let single = 0;
  let double = 0;
  for (const ch of s) {
    single = ch === "'" ? single + 1 : 0;
    double = ch === '"' ? double + 1 : 0;
    m.maxSingle = Math.max(m.maxSingle, single);
    m.maxDouble = Math.max(m.maxDouble, double);
    const c = ch.codePointAt(0)!;
    if (ch === "\\") m.backslash = true;
    else if (ch === "\n") m.newline = true;
    else if (ch !== "\t" && (c <= 0x1f || c === 0x7f)) m.escapeCodes = true;
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

function escapeBasic(s: string, multiline: boolean): string {
  let out = "";
  let quotes = 0;
  for (const ch of s) {
    if (ch === '"') {
      quotes++;
      if (quotes > (multiline ? 2 : 0)) {
        out += '\\"';
        quotes = 0;
        continue;
      }
      out += ch;
      continue;
    }
    quotes = 0;
    const c = ch.codePointAt(0)!;
    if (ch === "\n") out += multiline ? "\n" : "\\n";
    else if (SHORT_ESCAPES[ch] !== undefined) out += SHORT_ESCAPES[ch];
    else if (c <= 0x1f || c === 0x7f) out += `\\u${c.toString(16).toUpperCase().padStart(4, "0")}`;
    else out += ch;
  }
  return out;
}

export function formatTomlString(s: string): string {
  const m = metricsOf(s);
  const prefix = m.newline ? "\n" : "";
  if (!m.escapeCodes && !m.backslash && m.maxDouble === 0 && !m.newline) return `"${s}"`;
  if (!m.escapeCodes && m.maxSingle === 0 && !m.newline) return `'${s}'`;
  if (!m.escapeCodes && !m.backslash && m.maxDouble <= 2) return `"""${prefix}${escapeBasic(s, true)}"""`;
  if (!m.escapeCodes && m.maxSingle <= 2) return `'''${prefix}${s}'''`;
  return m.newline ? `"""${prefix}${escapeBasic(s, true)}"""` : `"${escapeBasic(s, false)}"`;
}

export function formatTomlKey(key: string): string {
  if (/^[A-Za-z0-9_-]+$/.test(key)) return key;
  const hasControl = [...key].some((ch) => {
    const c = ch.codePointAt(0)!;
    return ch !== "\t" && (c <= 0x1f || c === 0x7f);
  });
  if (!hasControl && !key.includes("\\") && !key.includes('"')) return `"${key}"`;
  if (!hasControl && !key.includes("'")) return `'${key}'`;
  return `"${escapeBasic(key, false)}"`;
}

function isTable(v: PrettyValue): v is PrettyTable {
  return v instanceof Map;
}

function isArrayOfTables(v: PrettyValue): v is PrettyTable[] {
  return Array.isArray(v) && v.length > 0 && v.every(isTable);
}

function formatFloat(n: number): string {
  if (Number.isNaN(n)) return "nan";
  if (!Number.isFinite(n)) return n > 0 ? "inf" : "-inf";
  return String(n);
}

function formatInline(v: PrettyValue, top: boolean): string {
  if (typeof v === "string") return formatTomlString(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : formatFloat(v);
  if (v instanceof TomlDate) return v.toISOString();
  if (isTable(v)) {
    const parts = [...v].map(([k, x]) => `${formatTomlKey(k)} = ${formatInline(x, false)}`);
    return parts.length === 0 ? "{}" : `{ ${parts.join(", ")} }`;
  }
  if (v.length === 0) return "[]";
  if (top && v.length > 1) return `[\n${v.map((x) => `    ${formatInline(x, false)},\n`).join("")}]`;
  return `[${v.map((x) => formatInline(x, false)).join(", ")}]`;
}

function emitTable(out: string[], path: string[], table: PrettyTable, arrayElement: boolean): void {
  const values: [string, PrettyValue][] = [];
  const children: [string, PrettyValue][] = [];
  for (const entry of table) {
    if (isTable(entry[1]) || isArrayOfTables(entry[1])) children.push(entry);
    else values.push(entry);
  }
  const header = path.map(formatTomlKey).join(".");
  if (arrayElement) out.push(`[[${header}]]\n`);
  else if (path.length > 0 && (values.length > 0 || children.length === 0)) out.push(`[${header}]\n`);
  for (const [k, v] of values) out.push(`${formatTomlKey(k)} = ${formatInline(v, true)}\n`);
  for (const [k, v] of children) {
    if (isTable(v)) emitTable(out, [...path, k], v, false);
    else for (const element of v as PrettyTable[]) emitTable(out, [...path, k], element, true);
  }
}

/** The document, sections separated by one blank line. */
export function formatPrettyToml(doc: PrettyTable): string {
  const out: string[] = [];
  emitTable(out, [], doc, false);
  let text = "";
  for (const line of out) {
    if (line.startsWith("[") && text !== "") text += "\n";
    text += line;
  }
  return text;
}
