/**
 * A format-preserving TOML document for `wharf add` / `wharf remove`, modelled on the
 * document model of toml_edit (the library cargo edits manifests with) so that edits come
 * out byte-for-byte as cargo writes them: every key and value keeps its surrounding
 * whitespace and comments ("decor"), tables keep their document position, comments and
 * blank lines before a header belong to that header, new items take toml_edit's default
 * decor, and tables are printed in document-position order. Only the parse is done here;
 * decoding scalar values beyond strings and booleans is not needed for editing.
 * Pure: no fs, no env.
 */
import { WharfError } from "@wharf/protocol";

/** Whitespace/comments around an element; `undefined` means "use the default". */
export interface Decor {
  prefix?: string | undefined;
  suffix?: string | undefined;
}

export interface TomlKey {
  /** decoded key */
  key: string;
  /** raw text as written; `undefined` for new keys (default representation) */
  repr?: string | undefined;
  leaf: Decor;
  dotted: Decor;
}

export interface ScalarValue {
  type: "scalar";
  repr: string;
  /** decoded strings and booleans; other scalars keep only their text */
  decoded: string | boolean | undefined;
  decor: Decor;
}

export interface ArrayValue {
  type: "array";
  values: TomlValue[];
  trailing?: string | undefined;
  trailingComma: boolean;
  decor: Decor;
}

export interface InlineTableValue {
  type: "inline-table";
  entries: Entry[];
  trailing?: string | undefined;
  trailingComma: boolean;
  implicit: boolean;
  dotted: boolean;
  decor: Decor;
}

export type TomlValue = ScalarValue | ArrayValue | InlineTableValue;

export interface Table {
  decor: Decor;
  implicit: boolean;
  dotted: boolean;
  position?: number | undefined;
  entries: Entry[];
}

export type Item =
  | { kind: "value"; value: TomlValue }
  | { kind: "table"; table: Table }
  | { kind: "array-of-tables"; tables: Table[] };

export interface Entry {
  key: TomlKey;
  item: Item;
}

export interface TomlDocument {
  root: Table;
  trailing: string;
}

// ---------------------------------------------------------------- construction helpers

export function newKey(key: string): TomlKey {
  return { key, leaf: {}, dotted: {} };
}

export function newTable(implicit = false): Table {
  return { decor: {}, implicit, dotted: false, entries: [] };
}

export function stringValue(s: string): ScalarValue {
  return { type: "scalar", repr: encodeString(s), decoded: s, decor: {} };
}

export function boolValue(b: boolean): ScalarValue {
  return { type: "scalar", repr: b ? "true" : "false", decoded: b, decor: {} };
}

export function arrayValue(values: TomlValue[]): ArrayValue {
  return { type: "array", values, trailingComma: false, decor: {} };
}

export function inlineTable(entries: [string, TomlValue][], dotted = false): InlineTableValue {
  return {
    type: "inline-table",
    entries: entries.map(([k, v]) => ({ key: newKey(k), item: { kind: "value", value: v } })),
    trailingComma: false,
    implicit: false,
    dotted,
    decor: {},
  };
}

// ---------------------------------------------------------------- entry maps (IndexMap semantics)

export function getEntry(entries: readonly Entry[], key: string): Entry | undefined {
  return entries.find((e) => e.key.key === key);
}

/** Replaces the item of an existing key in place, or appends a new key. */
export function setEntry(entries: Entry[], key: string, item: Item): Entry {
  const existing = getEntry(entries, key);
  if (existing) {
    existing.item = item;
    return existing;
  }
  const entry = { key: newKey(key), item };
  entries.push(entry);
  return entry;
}

/** Removes a key, shifting later keys (IndexMap::shift_remove). */
export function removeEntry(entries: Entry[], key: string): Entry | undefined {
  const i = entries.findIndex((e) => e.key.key === key);
  if (i < 0) return undefined;
  return entries.splice(i, 1)[0];
}

// ---------------------------------------------------------------- string / key representation

const BARE_KEY = /^[A-Za-z0-9_-]+$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters need escapes in TOML
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;

function escapeBasic(s: string): string {
  let out = "";
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else if (c < 0x20 || c === 0x7f) out += `\\u${c.toString(16).toUpperCase().padStart(4, "0")}`;
    else out += ch;
  }
  return out;
}

/** toml_edit's default string representation: basic, else literal, else escaped basic. */
export function encodeString(s: string): string {
  const control = CONTROL.test(s);
  const newline = s.includes("\n");
  if (!control && !newline && !s.includes("\\") && !s.includes('"')) return `"${s}"`;
  if (!control && !newline && !s.includes("'")) return `'${s}'`;
  return `"${escapeBasic(s)}"`;
}

export function encodeKey(k: string): string {
  if (BARE_KEY.test(k)) return k;
  if (!CONTROL.test(k) && !k.includes("\\") && !k.includes('"')) return `"${k}"`;
  if (!CONTROL.test(k) && !k.includes("'")) return `'${k}'`;
  return `"${escapeBasic(k)}"`;
}

// ---------------------------------------------------------------- parser

class Parser {
  pos = 0;
  constructor(
    readonly text: string,
    readonly file: string,
  ) {}

  fail(message: string): never {
    const before = this.text.slice(0, this.pos);
    const line = before.split("\n").length;
    const col = this.pos - before.lastIndexOf("\n");
    throw new WharfError({
      code: "MANIFEST_EDIT_PARSE",
      message: `could not parse \`${this.file}\` for editing: ${message} at line ${line} column ${col}`,
    });
  }

  peek(n = 0): string {
    return this.text[this.pos + n] ?? "";
  }

  startsWith(s: string): boolean {
    return this.text.startsWith(s, this.pos);
  }

  /** spaces and tabs */
  ws(): string {
    const start = this.pos;
    while (this.peek() === " " || this.peek() === "\t") this.pos++;
    return this.text.slice(start, this.pos);
  }

  comment(): string {
    if (this.peek() !== "#") return "";
    const start = this.pos;
    while (this.pos < this.text.length && this.peek() !== "\n" && !this.startsWith("\r\n")) this.pos++;
    return this.text.slice(start, this.pos);
  }

  newline(): string {
    if (this.peek() === "\n") {
      this.pos++;
      return "\n";
    }
    if (this.startsWith("\r\n")) {
      this.pos += 2;
      return "\r\n";
    }
    return "";
  }

  /** whitespace, comments and newlines (inside arrays and inline tables, and between lines) */
  wsCommentNewlines(): string {
    const start = this.pos;
    for (;;) {
      const before = this.pos;
      this.ws();
      this.comment();
      this.newline();
      if (this.pos === before) break;
    }
    return this.text.slice(start, this.pos);
  }

  /** toml_edit's ws_comment_newline: the rest of a line, newline consumed but not returned */
  restOfLine(): string {
    const start = this.pos;
    this.ws();
    this.comment();
    const end = this.pos;
    if (this.pos < this.text.length && this.newline() === "") this.fail("expected a newline");
    return this.text.slice(start, end);
  }

  simpleKey(): { raw: string; decoded: string } {
    const start = this.pos;
    const c = this.peek();
    if (c === '"' || c === "'") {
      if (this.startsWith('"""') || this.startsWith("'''")) this.fail("multi-line strings cannot be keys");
      const decoded = this.stringToken();
      return { raw: this.text.slice(start, this.pos), decoded };
    }
    while (/[A-Za-z0-9_-]/.test(this.peek())) this.pos++;
    if (this.pos === start) this.fail("expected a key");
    const raw = this.text.slice(start, this.pos);
    return { raw, decoded: raw };
  }

  /** a possibly dotted key: the path keys (with dotted decor) and the last key */
  keyPath(): TomlKey[] {
    const keys: TomlKey[] = [];
    let prefix = "";
    for (;;) {
      const { raw, decoded } = this.simpleKey();
      const save = this.pos;
      const suffix = this.ws();
      if (this.peek() === ".") {
        this.pos++;
        keys.push({ key: decoded, repr: raw, leaf: {}, dotted: { prefix, suffix } });
        prefix = this.ws();
        continue;
      }
      this.pos = save;
      keys.push({ key: decoded, repr: raw, leaf: {}, dotted: { prefix, suffix: "" } });
      return keys;
    }
  }

  stringToken(): string {
    if (this.startsWith('"""')) return this.mlString('"""', true);
    if (this.startsWith("'''")) return this.mlString("'''", false);
    const quote = this.peek();
    this.pos++;
    let out = "";
    for (;;) {
      const c = this.peek();
      if (c === "" || c === "\n") this.fail("unterminated string");
      this.pos++;
      if (c === quote) return out;
      if (quote === '"' && c === "\\") out += this.escape();
      else out += c;
    }
  }

  escape(): string {
    const c = this.peek();
    this.pos++;
    const simple: Record<string, string> = {
      b: "\b",
      t: "\t",
      n: "\n",
      f: "\f",
      r: "\r",
      e: "\u001b",
      '"': '"',
      "\\": "\\",
    };
    if (c in simple) return simple[c] ?? "";
    const len = c === "u" ? 4 : c === "U" ? 8 : c === "x" ? 2 : 0;
    if (len === 0) this.fail(`invalid escape \`\\${c}\``);
    const hex = this.text.slice(this.pos, this.pos + len);
    if (!/^[0-9A-Fa-f]+$/.test(hex) || hex.length !== len) this.fail("invalid unicode escape");
    this.pos += len;
    return String.fromCodePoint(Number.parseInt(hex, 16));
  }

  mlString(delim: string, basic: boolean): string {
    this.pos += 3;
    // a newline right after the opening delimiter is not part of the string
    this.newline();
    let out = "";
    for (;;) {
      if (this.pos >= this.text.length) this.fail("unterminated multi-line string");
      if (this.startsWith(delim)) {
        // up to two extra quotes may close the string
        let extra = 0;
        while (extra < 2 && this.text[this.pos + 3 + extra] === delim[0]) extra++;
        out += delim[0]?.repeat(extra) ?? "";
        this.pos += 3 + extra;
        return out;
      }
      const c = this.peek();
      if (basic && c === "\\") {
        this.pos++;
        // line-ending backslash trims whitespace up to the next non-whitespace
        const save = this.pos;
        this.ws();
        if (this.peek() === "\n" || this.startsWith("\r\n")) {
          while (/[ \t\r\n]/.test(this.peek())) this.pos++;
          continue;
        }
        this.pos = save;
        out += this.escape();
        continue;
      }
      out += c;
      this.pos++;
    }
  }

  value(): TomlValue {
    const c = this.peek();
    if (c === "[") return this.array();
    if (c === "{") return this.inlineTable();
    const start = this.pos;
    if (c === '"' || c === "'") {
      const decoded = this.stringToken();
      return { type: "scalar", repr: this.text.slice(start, this.pos), decoded, decor: {} };
    }
    const dateTime = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}/.exec(this.text.slice(this.pos, this.pos + 16));
    if (dateTime) this.pos += dateTime[0].length;
    while (this.pos < this.text.length && !/[\s,\]}#]/.test(this.peek())) this.pos++;
    const repr = this.text.slice(start, this.pos);
    if (repr === "") this.fail("expected a value");
    const decoded = repr === "true" ? true : repr === "false" ? false : undefined;
    return { type: "scalar", repr, decoded, decor: {} };
  }

  array(): ArrayValue {
    this.pos++;
    const result: ArrayValue = { type: "array", values: [], trailingComma: false, decor: {} };
    for (;;) {
      const prefix = this.wsCommentNewlines();
      if (this.peek() === "]") {
        // after `[` or after a comma: what is left is the array's trailing text
        this.pos++;
        result.trailingComma = result.values.length > 0;
        result.trailing = prefix;
        return result;
      }
      const value = this.value();
      const suffix = this.wsCommentNewlines();
      value.decor = { prefix, suffix };
      result.values.push(value);
      if (this.peek() === ",") {
        this.pos++;
        continue;
      }
      if (this.peek() === "]") {
        this.pos++;
        result.trailing = "";
        result.trailingComma = false;
        return result;
      }
      this.fail("expected `,` or `]` in an array");
    }
  }

  inlineTable(): InlineTableValue {
    this.pos++;
    const result: InlineTableValue = {
      type: "inline-table",
      entries: [],
      trailingComma: false,
      implicit: false,
      dotted: false,
      decor: {},
    };
    let sawComma = false;
    for (;;) {
      const prefix = this.wsCommentNewlines();
      if (this.peek() === "}") {
        this.pos++;
        result.trailingComma = result.entries.length > 0 && sawComma;
        result.trailing = result.entries.length === 0 || sawComma ? prefix : "";
        return result;
      }
      const keys = this.keyPath();
      const keySuffix = this.wsCommentNewlines();
      if (this.peek() !== "=") this.fail("expected `=` in an inline table");
      this.pos++;
      const valuePrefix = this.wsCommentNewlines();
      const value = this.value();
      const valueSuffix = this.wsCommentNewlines();
      value.decor = { prefix: valuePrefix, suffix: valueSuffix };
      const last = keys.pop() as TomlKey;
      last.leaf = { prefix, suffix: keySuffix };
      let table = result;
      for (const k of keys) {
        const existing = getEntry(table.entries, k.key);
        if (existing) {
          if (existing.item.kind !== "value" || existing.item.value.type !== "inline-table")
            this.fail(`duplicate key \`${k.key}\``);
          table = existing.item.value;
        } else {
          const child: InlineTableValue = {
            type: "inline-table",
            entries: [],
            trailingComma: false,
            implicit: true,
            dotted: true,
            decor: {},
          };
          table.entries.push({ key: k, item: { kind: "value", value: child } });
          table = child;
        }
      }
      if (getEntry(table.entries, last.key)) this.fail(`duplicate key \`${last.key}\``);
      table.entries.push({ key: last, item: { kind: "value", value } });
      sawComma = false;
      if (this.peek() === ",") {
        this.pos++;
        sawComma = true;
        continue;
      }
      if (this.peek() === "}") continue;
      this.fail("expected `,` or `}` in an inline table");
    }
  }
}

function descendTable(table: Table, path: readonly TomlKey[], dotted: boolean, p: Parser): Table {
  let t = table;
  for (const key of path) {
    const entry = getEntry(t.entries, key.key);
    if (!entry) {
      const child = newTable(true);
      child.dotted = dotted;
      t.entries.push({ key, item: { kind: "table", table: child } });
      t = child;
      continue;
    }
    if (entry.item.kind === "array-of-tables") {
      const last = entry.item.tables.at(-1);
      if (!last) p.fail(`empty array of tables \`${key.key}\``);
      t = last;
    } else if (entry.item.kind === "table") {
      if (dotted && entry.item.table.implicit) entry.item.table.dotted = true;
      if (dotted && !entry.item.table.implicit) p.fail(`duplicate key \`${key.key}\``);
      t = entry.item.table;
    } else {
      p.fail(`cannot extend a value with the dotted key \`${key.key}\``);
    }
  }
  return t;
}

/** Parses TOML text into an editable document (cargo's `toml_edit::DocumentMut`). */
export function parseDocument(text: string, file = "Cargo.toml"): TomlDocument {
  const p = new Parser(text, file);
  const root = newTable();
  let current = root;
  let header: { path: TomlKey[]; key: TomlKey; isArray: boolean } | undefined;
  let trailing = "";
  let position = 0;
  const finishTable = () => {
    if (!header) return;
    const parent = descendTable(root, header.path, false, p);
    if (header.isArray) {
      const existing = getEntry(parent.entries, header.key.key);
      if (existing && existing.item.kind !== "array-of-tables") p.fail(`duplicate key \`${header.key.key}\``);
      if (existing && existing.item.kind === "array-of-tables") existing.item.tables.push(current);
      else parent.entries.push({ key: header.key, item: { kind: "array-of-tables", tables: [current] } });
    } else {
      const existing = getEntry(parent.entries, header.key.key);
      if (existing) p.fail(`duplicate table \`${header.key.key}\``);
      parent.entries.push({ key: header.key, item: { kind: "table", table: current } });
    }
  };
  while (p.pos < text.length) {
    const before = p.pos;
    trailing += p.ws() + p.comment() + p.newline();
    if (p.pos !== before) continue;
    if (p.peek() === "[") {
      finishTable();
      const isArray = p.startsWith("[[");
      p.pos += isArray ? 2 : 1;
      const leafPrefix = p.ws();
      const keys = p.keyPath();
      const leafSuffix = p.ws();
      if (!p.startsWith(isArray ? "]]" : "]")) p.fail("expected `]` after a table header");
      p.pos += isArray ? 2 : 1;
      const key = keys.pop() as TomlKey;
      key.leaf = { prefix: leafPrefix, suffix: leafSuffix };
      const decor = { prefix: trailing, suffix: p.restOfLine() };
      trailing = "";
      current = newTable();
      if (!isArray) {
        // a header for a table created implicitly earlier keeps that table's children
        const parent = descendTable(root, keys, false, p);
        const i = parent.entries.findIndex((e) => e.key.key === key.key);
        const old = parent.entries[i];
        if (old) {
          if (old.item.kind === "table" && old.item.table.implicit && !old.item.table.dotted) {
            current = old.item.table;
            parent.entries.splice(i, 1);
          } else p.fail(`duplicate key \`${key.key}\``);
        }
      }
      position++;
      current.decor = decor;
      current.implicit = false;
      current.dotted = false;
      current.position = position;
      header = { path: keys, key, isArray };
      continue;
    }
    const keyPrefix = trailing;
    trailing = "";
    const keys = p.keyPath();
    const keySuffix = p.ws();
    if (p.peek() !== "=") p.fail("expected `=` after a key");
    p.pos++;
    const valuePrefix = p.ws();
    const value = p.value();
    value.decor = { prefix: valuePrefix, suffix: p.restOfLine() };
    const last = keys.pop() as TomlKey;
    last.leaf = { prefix: keyPrefix, suffix: keySuffix };
    const parent = descendTable(current, keys, keys.length > 0, p);
    if (keys.length > 0 && !parent.implicit) p.fail(`duplicate key \`${last.key}\``);
    if (getEntry(parent.entries, last.key)) p.fail(`duplicate key \`${last.key}\``);
    parent.entries.push({ key: last, item: { kind: "value", value } });
  }
  finishTable();
  return { root, trailing };
}

// ---------------------------------------------------------------- encoder (toml_edit's Display)

const DEFAULT_KEY_DECOR: [string, string] = ["", " "];
const DEFAULT_INLINE_KEY_DECOR: [string, string] = [" ", " "];
const DEFAULT_TABLE_DECOR: [string, string] = ["\n", ""];
const DEFAULT_VALUE_DECOR: [string, string] = [" ", ""];
const DEFAULT_TRAILING_VALUE_DECOR: [string, string] = [" ", " "];
const DEFAULT_LEADING_VALUE_DECOR: [string, string] = ["", ""];

type KeyValue = [TomlKey[], TomlValue];

function appendInlineValues(table: InlineTableValue, path: TomlKey[], out: KeyValue[]): void {
  for (const e of table.entries) {
    if (e.item.kind !== "value") continue;
    const p = [...path, e.key];
    if (e.item.value.type === "inline-table" && e.item.value.dotted) appendInlineValues(e.item.value, p, out);
    else out.push([p, e.item.value]);
  }
}

/** toml_edit's `Table::get_values`: key/value pairs including those under dotted keys. */
export function tableValues(table: Table, path: TomlKey[] = []): KeyValue[] {
  const out: KeyValue[] = [];
  for (const e of table.entries) {
    const p = [...path, e.key];
    if (e.item.kind === "table" && e.item.table.dotted) out.push(...tableValues(e.item.table, p));
    else if (e.item.kind === "value") {
      if (e.item.value.type === "inline-table" && e.item.value.dotted)
        appendInlineValues(e.item.value, p, out);
      else out.push([p, e.item.value]);
    }
  }
  return out;
}

function keyRepr(k: TomlKey): string {
  return k.repr ?? encodeKey(k.key);
}

function encodeKeyPath(path: readonly TomlKey[], def: [string, string], leaf: Decor): string {
  let out = "";
  path.forEach((key, i) => {
    if (i === 0) out += leaf.prefix ?? def[0];
    else out += `.${key.dotted.prefix ?? ""}`;
    out += keyRepr(key);
    if (i === path.length - 1) out += leaf.suffix ?? def[1];
    else out += key.dotted.suffix ?? "";
  });
  return out;
}

export function encodeValue(v: TomlValue, def: [string, string] = ["", ""]): string {
  let out = v.decor.prefix ?? def[0];
  if (v.type === "scalar") out += v.repr;
  else if (v.type === "array") {
    out += "[";
    v.values.forEach((elem, i) => {
      if (i > 0) out += ",";
      out += encodeValue(elem, i === 0 ? DEFAULT_LEADING_VALUE_DECOR : DEFAULT_VALUE_DECOR);
    });
    if (v.trailingComma && v.values.length > 0) out += ",";
    out += `${v.trailing ?? ""}]`;
  } else {
    out += "{";
    const children: KeyValue[] = [];
    appendInlineValues(v, [], children);
    children.forEach(([path, value], i) => {
      if (i > 0) out += ",";
      const last = path.at(-1) as TomlKey;
      out += `${encodeKeyPath(path, DEFAULT_INLINE_KEY_DECOR, last.leaf)}=`;
      out += encodeValue(
        value,
        i === children.length - 1 ? DEFAULT_TRAILING_VALUE_DECOR : DEFAULT_VALUE_DECOR,
      );
    });
    if (v.trailingComma && children.length > 0) out += ",";
    out += `${v.trailing ?? ""}}`;
  }
  return out + (v.decor.suffix ?? def[1]);
}

/** Prints the document the way toml_edit's `DocumentMut` Display does. */
export function printDocument(doc: TomlDocument): string {
  const tables: { pos: number; table: Table; path: TomlKey[]; isArray: boolean }[] = [];
  let lastPosition = 0;
  const visit = (table: Table, path: TomlKey[], isArray: boolean) => {
    if (!table.dotted) {
      if (table.position !== undefined) lastPosition = table.position;
      tables.push({ pos: lastPosition, table, path, isArray });
    }
    for (const e of table.entries) {
      if (e.item.kind === "table") visit(e.item.table, [...path, e.key], false);
      else if (e.item.kind === "array-of-tables")
        for (const t of e.item.tables) visit(t, [...path, e.key], true);
    }
  };
  visit(doc.root, [], false);
  const order = tables.map((t, i) => ({ t, i }));
  order.sort((a, b) => {
    const ka = a.t.path.length > 0 ? 1 : 0;
    const kb = b.t.path.length > 0 ? 1 : 0;
    return ka - kb || a.t.pos - b.t.pos || a.i - b.i;
  });
  let out = "";
  let firstTable = true;
  for (const { t } of order) {
    const { table, path, isArray } = t;
    const children = tableValues(table);
    const visible = !(table.implicit && children.length === 0);
    if (path.length === 0) {
      if (children.length > 0) firstTable = false;
    } else if (isArray || visible) {
      const def: [string, string] = firstTable ? ["", DEFAULT_TABLE_DECOR[1]] : DEFAULT_TABLE_DECOR;
      firstTable = false;
      const last = path.at(-1) as TomlKey;
      let keyDecor: Decor = last.leaf;
      if (last.leaf.prefix?.includes("\n")) {
        out += last.leaf.prefix;
        keyDecor = {};
      }
      out += table.decor.prefix ?? def[0];
      out += isArray ? "[[" : "[";
      out += encodeKeyPath(path, ["", ""], keyDecor);
      out += isArray ? "]]" : "]";
      out += `${table.decor.suffix ?? def[1]}\n`;
    }
    for (const [keyPath, value] of children) {
      const last = keyPath.at(-1) as TomlKey;
      out += `${encodeKeyPath(keyPath, DEFAULT_KEY_DECOR, last.leaf)}=${encodeValue(value, DEFAULT_VALUE_DECOR)}\n`;
    }
  }
  return out + doc.trailing;
}
