/**
 * Schema validation for TOML tables, in the way cargo does it: typed getters that name the
 * full key path and what was expected, and tracking of every key read so the keys nobody read
 * can be reported as "unused manifest key" warnings instead of errors.
 */
import { TomlDate } from "smol-toml";
import { WharfError } from "../errors/index.js";
import { locateKey } from "./locate.js";
import { isTomlTable, type TomlTable, type TomlValue } from "./toml-document.js";

export interface ReaderContext {
  /** file name for messages */
  file: string;
  /** the source text, to point errors at a line */
  text?: string | undefined;
  /** error code for invalid values */
  code: string;
  /** dotted paths of keys that were present but never read */
  unused: string[];
}

export function describeValue(value: TomlValue): string {
  if (typeof value === "string")
    return `string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)}`;
  if (typeof value === "number")
    return Number.isInteger(value) ? `integer \`${value}\`` : `float \`${value}\``;
  if (typeof value === "boolean") return `boolean \`${value}\``;
  if (value instanceof TomlDate) return `datetime \`${value.toISOString()}\``;
  if (Array.isArray(value)) return "an array";
  return "a table";
}

export function formatKeyPath(path: readonly string[]): string {
  return path.map((p) => (/^[A-Za-z0-9_-]+(\[\d+\])?$/.test(p) ? p : JSON.stringify(p))).join(".");
}

export class TableReader {
  readonly table: TomlTable;
  readonly path: readonly string[];
  readonly ctx: ReaderContext;
  private readonly used = new Set<string>();

  constructor(table: TomlTable, path: readonly string[], ctx: ReaderContext) {
    this.table = table;
    this.path = path;
    this.ctx = ctx;
  }

  keys(): string[] {
    return Object.keys(this.table);
  }

  has(key: string): boolean {
    return Object.hasOwn(this.table, key);
  }

  /** Marks a key as read without interpreting it. */
  raw(key: string): TomlValue | undefined {
    if (!this.has(key)) return undefined;
    this.used.add(key);
    return this.table[key];
  }

  error(key: string | undefined, message: string, hint?: string): WharfError {
    const path = key === undefined ? [...this.path] : [...this.path, key];
    const where = this.ctx.text ? locateKey(this.ctx.text, path) : undefined;
    const location = where ? `${this.ctx.file}:${where.line}:${where.column}` : this.ctx.file;
    return new WharfError({
      code: this.ctx.code,
      message: `${message}\n  --> ${location}`,
      hint,
    });
  }

  typeError(key: string, expected: string, value: TomlValue): WharfError {
    return this.error(
      key,
      `invalid type for \`${formatKeyPath([...this.path, key])}\` in \`${this.ctx.file}\`: expected ${expected}, found ${describeValue(value)}`,
    );
  }

  str(key: string): string | undefined {
    const v = this.raw(key);
    if (v === undefined) return undefined;
    if (typeof v !== "string") throw this.typeError(key, "a string", v);
    return v;
  }

  bool(key: string): boolean | undefined {
    const v = this.raw(key);
    if (v === undefined) return undefined;
    if (typeof v !== "boolean") throw this.typeError(key, "a boolean", v);
    return v;
  }

  int(key: string): number | undefined {
    const v = this.raw(key);
    if (v === undefined) return undefined;
    if (typeof v !== "number" || !Number.isInteger(v)) throw this.typeError(key, "an integer", v);
    return v;
  }

  strArray(key: string): string[] | undefined {
    const v = this.raw(key);
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) throw this.typeError(key, "an array of strings", v);
    return v.map((item, i) => {
      if (typeof item !== "string") throw this.typeError(`${key}[${i}]`, "a string", item);
      return item;
    });
  }

  /** A sub-table as a reader; its unused keys are reported under the full path. */
  subtable(key: string): TableReader | undefined {
    const v = this.raw(key);
    if (v === undefined) return undefined;
    if (!isTomlTable(v)) throw this.typeError(key, "a table", v);
    return new TableReader(v, [...this.path, key], this.ctx);
  }

  /** Reader for a value already known to be a table (e.g. an array element). */
  child(key: string, value: TomlTable): TableReader {
    return new TableReader(value, [...this.path, key], this.ctx);
  }

  /** Records every present key not read so far as unused (cargo warns, it does not fail). */
  finish(): void {
    for (const key of Object.keys(this.table)) {
      if (!this.used.has(key)) this.ctx.unused.push(formatKeyPath([...this.path, key]));
    }
  }
}
