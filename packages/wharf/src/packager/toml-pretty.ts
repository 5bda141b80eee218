/**
 * TOML text in the layout cargo's `toml::to_string_pretty` gives the normalized Cargo.toml:
 * a table's plain values first, then its sub-tables as `[a.b]` sections (headers of tables
 * holding only tables left out), arrays of tables as `[[x]]`, arrays of two or more values
 * one per line with a trailing comma, and each string in the first encoding that needs no
 * escapes (basic, literal, multi-line basic, multi-line literal), as toml_writer picks them.
 * Pure.
 */
import { TomlDate } from "smol-toml";
import { tomlKey as formatTomlKey, tomlString as formatTomlString } from "../lockfile/index.js";

export type PrettyValue = string | number | bigint | boolean | TomlDate | PrettyValue[] | PrettyTable;
/** a Map, so keys keep the order given even when they look like integers */
export type PrettyTable = Map<string, PrettyValue>;

// strings and keys in toml_writer's encodings: the lock file writer already has them
export { formatTomlKey, formatTomlString };

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
