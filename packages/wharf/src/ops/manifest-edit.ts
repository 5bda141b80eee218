/**
 * Editing the dependency tables of a Cargo.toml the way `cargo add` / `cargo remove` do:
 * finding and creating `[dependencies]`-like tables, writing a dependency entry in cargo's
 * shapes (`foo = "1.0"`, inline tables, `foo.workspace = true`), updating an existing entry
 * while keeping what it can, removing entries, and cleaning feature references to removed
 * or now-required dependencies. Works on the toml_edit-like document of
 * manifest-edit-toml.ts so untouched text stays byte-for-byte. Pure: paths are computed by
 * the caller-provided `relativePath`.
 */
import { parseFeatureValue, WharfError } from "@wharf/protocol";
import {
  type ArrayValue,
  arrayValue,
  boolValue,
  type Entry,
  getEntry,
  type InlineTableValue,
  type Item,
  inlineTable,
  newTable,
  parseDocument,
  printDocument,
  removeEntry,
  stringValue,
  type Table,
  type TomlDocument,
  type TomlValue,
  tableValues,
} from "./manifest-edit-toml.js";

export type DepKindName = "normal" | "dev" | "build";

/** A dependency section: kind plus optional target (cargo's DepTable). */
export interface DepTable {
  kind: DepKindName;
  target?: string | undefined;
}

export function kindTable(kind: DepKindName): string {
  return kind === "normal" ? "dependencies" : kind === "dev" ? "dev-dependencies" : "build-dependencies";
}

export function depTablePath(t: DepTable): string[] {
  return t.target !== undefined ? ["target", t.target, kindTable(t.kind)] : [kindTable(t.kind)];
}

/** `dependencies` or `dev-dependencies for target `x``, as cargo's status lines say it. */
export function depTableLabel(t: DepTable): string {
  return t.target !== undefined ? `${kindTable(t.kind)} for target \`${t.target}\`` : kindTable(t.kind);
}

export type EditSource =
  | { kind: "registry"; version: string }
  /** `path` is absolute */
  | { kind: "path"; path: string; version?: string | undefined }
  | {
      kind: "git";
      git: string;
      branch?: string | undefined;
      tag?: string | undefined;
      rev?: string | undefined;
      version?: string | undefined;
    }
  | { kind: "workspace" };

/** A dependency entry as cargo's editor sees it (not the normalized Dependency). */
export interface EditDependency {
  name: string;
  optional?: boolean | undefined;
  public?: boolean | undefined;
  features?: string[] | undefined;
  defaultFeatures?: boolean | undefined;
  inheritedFeatures?: string[] | undefined;
  source?: EditSource | undefined;
  registry?: string | undefined;
  rename?: string | undefined;
}

export function tomlKeyOf(dep: EditDependency): string {
  return dep.rename ?? dep.name;
}

export function versionOf(dep: EditDependency): string | undefined {
  const s = dep.source;
  if (!s || s.kind === "workspace") return undefined;
  return s.kind === "registry" ? s.version : s.version;
}

/** Drops build metadata, as cargo does before writing a version requirement. */
export function stripBuildMetadata(version: string): string {
  return version.split("+")[0] ?? version;
}

// ---------------------------------------------------------------- table-like access

export type TableLike = { kind: "table"; table: Table } | { kind: "inline"; table: InlineTableValue };

function tableLikeOf(item: Item | undefined): TableLike | undefined {
  if (!item) return undefined;
  if (item.kind === "table") return { kind: "table", table: item.table };
  if (item.kind === "value" && item.value.type === "inline-table")
    return { kind: "inline", table: item.value };
  return undefined;
}

export function entriesOf(t: TableLike): Entry[] {
  return t.table.entries;
}

function itemGet(item: Item | undefined, key: string): Item | undefined {
  const t = tableLikeOf(item);
  return t ? getEntry(entriesOf(t), key)?.item : undefined;
}

function asString(item: Item | undefined): string | undefined {
  if (item?.kind !== "value" || item.value.type !== "scalar") return undefined;
  return typeof item.value.decoded === "string" && /^["']/.test(item.value.repr)
    ? item.value.decoded
    : undefined;
}

function asBool(item: Item | undefined): boolean | undefined {
  if (item?.kind !== "value" || item.value.type !== "scalar") return undefined;
  return typeof item.value.decoded === "boolean" ? item.value.decoded : undefined;
}

function typeName(item: Item): string {
  if (item.kind === "table") return "table";
  if (item.kind === "array-of-tables") return "array of tables";
  const v = item.value;
  if (v.type === "array") return "array";
  if (v.type === "inline-table") return "inline table";
  if (/^["']/.test(v.repr)) return "string";
  if (typeof v.decoded === "boolean") return "boolean";
  return /^[+-]?\d+$/.test(v.repr) ? "integer" : "float";
}

function tableLen(t: TableLike): number {
  return entriesOf(t).length;
}

/** Sets a value, keeping the decor of a value already there (cargo's `overwrite_value`). */
function overwriteValue(t: TableLike, key: string, value: TomlValue): void {
  const entries = entriesOf(t);
  const existing = getEntry(entries, key);
  if (existing?.item.kind === "value") value.decor = { ...existing.item.value.decor };
  if (existing) existing.item = { kind: "value", value };
  else entries.push({ key: { key, leaf: {}, dotted: {} }, item: { kind: "value", value } });
}

function removeKey(t: TableLike, key: string): void {
  removeEntry(entriesOf(t), key);
}

function setDotted(t: TableLike, yes: boolean): void {
  t.table.dotted = yes;
}

// ---------------------------------------------------------------- the manifest

export class EditableManifest {
  readonly doc: TomlDocument;

  constructor(
    readonly path: string,
    text: string,
  ) {
    this.doc = parseDocument(text, path);
  }

  toString(): string {
    return printDocument(this.doc);
  }

  private rootItem(): Item {
    return { kind: "table", table: this.doc.root };
  }

  packageName(): string | undefined {
    return asString(itemGet(itemGet(this.rootItem(), "package"), "name"));
  }

  /** The table at `path` if every segment exists and is table-like. */
  getTable(path: readonly string[]): TableLike | undefined {
    let item: Item | undefined = this.rootItem();
    for (const seg of path) {
      item = itemGet(item, seg);
      if (!tableLikeOf(item)) return undefined;
    }
    return tableLikeOf(item);
  }

  /** Like getTable, creating missing segments as implicit tables (cargo's `get_table_mut`). */
  getTableMut(path: readonly string[]): TableLike | undefined {
    let t: TableLike = { kind: "table", table: this.doc.root };
    for (const seg of path) {
      const entries = entriesOf(t);
      let entry = getEntry(entries, seg);
      if (!entry) {
        if (t.kind === "inline") return undefined;
        entry = { key: { key: seg, leaf: {}, dotted: {} }, item: { kind: "table", table: newTable(true) } };
        entries.push(entry);
      }
      const next = tableLikeOf(entry.item);
      if (!next) return undefined;
      t = next;
    }
    return t;
  }

  /** Every dependency table: the three kinds, then under each `target.*`, per kind. */
  getSections(): { table: DepTable; item: TableLike }[] {
    const out: { table: DepTable; item: TableLike }[] = [];
    for (const kind of ["normal", "dev", "build"] as const) {
      const name = kindTable(kind);
      const top = tableLikeOf(getEntry(this.doc.root.entries, name)?.item);
      if (top) out.push({ table: { kind }, item: top });
      const target = tableLikeOf(getEntry(this.doc.root.entries, "target")?.item);
      if (!target) continue;
      for (const e of entriesOf(target)) {
        const deps = tableLikeOf(itemGet(e.item, name));
        if (deps) out.push({ table: { kind, target: e.key.key }, item: deps });
      }
    }
    return out;
  }

  legacySections(): string[] {
    const out: string[] = [];
    for (const name of ["dev_dependencies", "build_dependencies"]) {
      if (getEntry(this.doc.root.entries, name)) out.push(name);
      const target = tableLikeOf(getEntry(this.doc.root.entries, "target")?.item);
      if (!target) continue;
      for (const e of entriesOf(target)) {
        const t = tableLikeOf(e.item);
        if (t && getEntry(entriesOf(t), name)) out.push(`target.${e.key.key}.${name}`);
      }
    }
    return out;
  }

  /** Whether the top-level keys of a dependency table are in sorted order. */
  isSorted(path: readonly string[]): boolean {
    const t = this.getTable(path);
    if (t?.kind !== "table") return true;
    const keys = tableValues(t.table).map(([p]) => p[0]?.key ?? "");
    return keys.every((k, i) => i === 0 || (keys[i - 1] ?? "") <= k);
  }

  /** toml_edit's `sort_values`: sorts the keys of the table and of its dotted sub-tables. */
  sortValues(path: readonly string[]): void {
    const t = this.getTable(path);
    if (!t) return;
    if (t.kind === "table") sortTable(t.table);
    else t.table.entries.sort((a, b) => cmp(a.key.key, b.key.key));
  }

  insertIntoTable(path: readonly string[], dep: EditDependency, ctx: PathContext): void {
    const table = this.getTableMut(path);
    if (!table) {
      throw new WharfError({
        code: "ADD_TABLE_INVALID",
        message: `\`${path.join(".")}\` in \`${this.path}\` is not a table`,
      });
    }
    const key = tomlKeyOf(dep);
    const entry = getEntry(entriesOf(table), key);
    if (entry) {
      updateToml(dep, entry, ctx);
      if (entry.item.kind === "value" && entry.item.value.type === "inline-table")
        fmtInline(entry.item.value);
    } else {
      entriesOf(table).push({ key: { key, leaf: {}, dotted: {} }, item: toToml(dep, ctx) });
    }
  }

  /** Removes `name` from the table at `path`; an emptied table goes too. */
  removeFromTable(path: readonly string[], name: string): void {
    const parent = this.getTable(path);
    const entry = parent ? getEntry(entriesOf(parent), name) : undefined;
    if (parent && entry) {
      removeKey(parent, name);
      if (tableLen(parent) === 0) this.removePath(path);
      return;
    }
    const names = parent ? entriesOf(parent).map((e) => e.key.key) : [];
    const alt = closest(name, names);
    const found = this.getSections().find((s) => getEntry(entriesOf(s.item), name));
    throw new MissingDependencyError(name, [...path], alt, found ? depTablePath(found.table) : undefined);
  }

  private removePath(path: readonly string[]): void {
    const parent =
      path.length === 1
        ? ({ kind: "table", table: this.doc.root } as TableLike)
        : this.getTable(path.slice(0, -1));
    if (parent) removeKey(parent, path.at(-1) ?? "");
  }

  /** Whether some feature activates `dep:<key>`. */
  isExplicitDepActivation(depKey: string): boolean {
    const features = getEntry(this.doc.root.entries, "features")?.item;
    if (features?.kind !== "table") return false;
    for (const e of features.table.entries) {
      if (e.item.kind !== "value" || e.item.value.type !== "array") continue;
      for (const v of e.item.value.values) {
        const s = v.type === "scalar" && typeof v.decoded === "string" ? v.decoded : undefined;
        if (s === undefined) continue;
        const fv = parseFeatureValue(s);
        if (fv.kind === "dep" && fv.depName === depKey) return true;
      }
    }
    return false;
  }

  private depStatus(depKey: string): "none" | "optional" | "required" {
    let status: "none" | "optional" | "required" = "none";
    for (const { item } of this.getSections()) {
      if (item.kind !== "table") continue;
      const dep = getEntry(item.table.entries, depKey)?.item;
      if (!dep) continue;
      if (asBool(itemGet(dep, "optional")) === true) return "optional";
      status = "required";
    }
    return status;
  }

  /** Cleans feature values referring to `depKey` after it was removed or made required. */
  gcDep(depKey: string): void {
    const explicit = this.isExplicitDepActivation(depKey);
    const status = this.depStatus(depKey);
    const features = getEntry(this.doc.root.entries, "features")?.item;
    if (features?.kind !== "table") return;
    for (const e of features.table.entries) {
      if (e.item.kind === "value" && e.item.value.type === "array")
        fixFeatureActivations(e.item.value, depKey, status, explicit);
    }
  }

  /** Sets `[features] <key> = ["dep:<name>"]` (cargo add --optional). */
  setFeature(key: string, values: string[]): void {
    const table = this.getTableMut(["features"]);
    if (!table) return;
    const entries = entriesOf(table);
    const existing = getEntry(entries, key);
    const value = arrayValue(values.map(stringValue));
    if (existing) existing.item = { kind: "value", value };
    else entries.push({ key: { key, leaf: {}, dotted: {} }, item: { kind: "value", value } });
  }

  /** Dependencies of every section, read back as editor dependencies. */
  dependencies(ctx: PathContext): { key: string; table: DepTable; dep: EditDependency | Error }[] {
    const out: { key: string; table: DepTable; dep: EditDependency | Error }[] = [];
    for (const { table, item } of this.getSections()) {
      for (const e of entriesOf(item)) {
        let dep: EditDependency | Error;
        try {
          dep = fromToml(e.key.key, e.item, ctx);
        } catch (error) {
          dep = error instanceof Error ? error : new Error(String(error));
        }
        out.push({ key: e.key.key, table, dep });
      }
    }
    return out;
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortTable(t: Table): void {
  t.entries.sort((a, b) => cmp(a.key.key, b.key.key));
  for (const e of t.entries) if (e.item.kind === "table" && e.item.table.dotted) sortTable(e.item.table);
}

/** InlineTable::fmt: default decor for the direct keys and values. */
function fmtInline(t: InlineTableValue): void {
  for (const e of t.entries) {
    if (e.item.kind !== "value") continue;
    e.key.leaf = {};
    e.key.dotted = {};
    e.item.value.decor = {};
  }
}

export class MissingDependencyError extends Error {
  constructor(
    readonly expectedName: string,
    readonly expectedPath: string[],
    readonly altName: string | undefined,
    readonly altPath: string[] | undefined,
  ) {
    super(`the dependency \`${expectedName}\` could not be found in \`${expectedPath.join(".")}\``);
  }
}

/** cargo's `closest`: the first candidate with the smallest edit distance, at most 3. */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: { c: string; d: number } | undefined;
  for (const c of candidates) {
    const d = editDistance(name, c);
    if (d > 3) continue;
    if (!best || d < best.d) best = { c, d };
  }
  return best?.c;
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] ?? 0;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j] ?? 0;
      prev[j] = Math.min((prev[j] ?? 0) + 1, (prev[j - 1] ?? 0) + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length] ?? 0;
}

function fixFeatureActivations(
  array: ArrayValue,
  depKey: string,
  status: "none" | "optional" | "required",
  explicit: boolean,
): void {
  const remove: number[] = [];
  array.values.forEach((v, i) => {
    if (v.type !== "scalar" || typeof v.decoded !== "string" || !/^["']/.test(v.repr)) return;
    const fv = parseFeatureValue(v.decoded);
    let drop = false;
    if (status === "none") {
      if (fv.kind === "feature") drop = !explicit && fv.name === depKey;
      else if (fv.kind === "dep") drop = fv.depName === depKey;
      else drop = fv.depName === depKey;
    } else if (status === "required") {
      if (fv.kind === "feature") drop = !explicit && fv.name === depKey;
      else if (fv.kind === "dep") drop = fv.depName === depKey;
    }
    if (drop) remove.push(i);
  });
  for (const i of remove.reverse()) removeArrayIndex(array, i);
  if (status !== "required") return;
  array.values.forEach((v, i) => {
    if (v.type !== "scalar" || typeof v.decoded !== "string") return;
    const fv = parseFeatureValue(v.decoded);
    if (fv.kind === "dep-feature" && fv.depName === depKey && fv.weak) {
      const next = stringValue(`${fv.depName}/${fv.depFeature}`);
      next.decor = { ...v.decor };
      array.values[i] = next;
    }
  });
}

/** Removes an array element, keeping whole comment lines around it (cargo's remove_array_index). */
function removeArrayIndex(array: ArrayValue, index: number): void {
  const [value] = array.values.splice(index, 1);
  if (!value) return;
  const p = value.decor.prefix;
  const s = value.decor.suffix;
  const prefixLines = p?.includes("\n") ? p.slice(0, p.lastIndexOf("\n")) : undefined;
  const suffixLines = s?.includes("\n") ? s.slice(s.indexOf("\n") + 1) : undefined;
  let merged = "";
  if (prefixLines !== undefined) merged += `${prefixLines}\n`;
  if (suffixLines !== undefined) merged += `${suffixLines}\n`;
  const next = array.values[index];
  if (next) next.decor.prefix = merged + (next.decor.prefix ?? "");
  else array.trailing = merged + (array.trailing ?? "");
}

// ---------------------------------------------------------------- dependency <-> TOML

export interface PathContext {
  /** directory of the manifest being edited */
  crateRoot: string;
  /** `path.relative`-like: from `from` to `to`, with `/` separators */
  relative: (from: string, to: string) => string;
  /** joins a manifest-relative path onto the crate root, normalized */
  resolve: (base: string, rel: string) => string;
}

function invalidType(dep: string, key: string, actual: string, expected: string): Error {
  return new WharfError({
    code: "ADD_INVALID_DEPENDENCY",
    message: `Found ${actual} for ${key} when ${expected} was expected for ${dep}`,
  });
}

function stringField(dep: string, item: Item | undefined, key: string): string | undefined {
  if (item === undefined) return undefined;
  const s = asString(item);
  if (s === undefined) throw invalidType(dep, key, typeName(item), "string");
  return s;
}

/** Reads a dependency entry back (cargo's `Dependency::from_toml`). */
export function fromToml(key: string, item: Item, ctx: PathContext): EditDependency {
  const str = asString(item);
  if (str !== undefined) return { name: key, source: { kind: "registry", version: stripBuildMetadata(str) } };
  const t = tableLikeOf(item);
  if (!t) {
    throw new WharfError({
      code: "ADD_INVALID_DEPENDENCY",
      message: `Unrecognized dependency entry format for \`${key}\``,
    });
  }
  const get = (k: string) => getEntry(entriesOf(t), k)?.item;
  const pkg = stringField(key, get("package"), "package");
  const name = pkg ?? key;
  const rename = pkg !== undefined ? key : undefined;
  let source: EditSource;
  if (get("git") !== undefined) {
    const branch = stringField(key, get("branch"), "branch");
    const tag = stringField(key, get("tag"), "tag");
    const rev = stringField(key, get("rev"), "rev");
    const version = stringField(key, get("version"), "version");
    source = {
      kind: "git",
      git: stringField(key, get("git"), "git") ?? "",
      ...(rev !== undefined ? { rev } : tag !== undefined ? { tag } : branch !== undefined ? { branch } : {}),
      version: version !== undefined ? stripBuildMetadata(version) : undefined,
    };
  } else if (get("path") !== undefined) {
    const version = stringField(key, get("version"), "version");
    source = {
      kind: "path",
      path: ctx.resolve(ctx.crateRoot, stringField(key, get("path"), "path") ?? ""),
      version: version !== undefined ? stripBuildMetadata(version) : undefined,
    };
  } else if (get("version") !== undefined) {
    source = {
      kind: "registry",
      version: stripBuildMetadata(stringField(key, get("version"), "version") ?? ""),
    };
  } else if (get("workspace") !== undefined) {
    const w = get("workspace");
    const b = asBool(w);
    if (b === undefined && w) throw invalidType(key, "workspace", typeName(w), "bool");
    if (b === false) {
      throw new WharfError({
        code: "ADD_INVALID_DEPENDENCY",
        message: `\`${key}.workspace = false\` is unsupported`,
      });
    }
    source = { kind: "workspace" };
  } else {
    throw new WharfError({
      code: "ADD_INVALID_DEPENDENCY",
      message: `dependency (${key}) specified without providing a local path, Git repository, version, or workspace dependency to use`,
    });
  }
  const registry = stringField(key, get("registry"), "registry");
  if (get("default_features") !== undefined) {
    throw new WharfError({
      code: "ADD_INVALID_DEPENDENCY",
      message: `Use of \`default_features\` in \`${key}\` is unsupported, please switch to \`default-features\``,
    });
  }
  let features: string[] | undefined;
  const f = get("features");
  if (f !== undefined) {
    if (f.kind !== "value" || f.value.type !== "array")
      throw invalidType(key, "features", typeName(f), "array");
    features = [];
    for (const v of f.value.values) {
      const s = v.type === "scalar" && typeof v.decoded === "string" ? v.decoded : undefined;
      if (s === undefined)
        throw invalidType(key, "features", typeName({ kind: "value", value: v }), "string");
      if (!features.includes(s)) features.push(s);
    }
  }
  return {
    name,
    rename,
    source,
    registry,
    features,
    defaultFeatures: asBool(get("default-features")),
    optional: asBool(get("optional")),
    public: asBool(get("public")),
  };
}

function pathField(src: { path: string }, ctx: PathContext): string {
  return ctx.relative(ctx.crateRoot, src.path);
}

/** A new dependency entry in cargo's shapes (cargo's `Dependency::to_toml`). */
export function toToml(dep: EditDependency, ctx: PathContext): Item {
  const s = dep.source;
  const plain =
    !dep.public &&
    !dep.optional &&
    dep.features === undefined &&
    dep.defaultFeatures === undefined &&
    dep.registry === undefined &&
    dep.rename === undefined;
  if (plain && s?.kind === "registry") return { kind: "value", value: stringValue(s.version) };
  if (plain && s?.kind === "workspace")
    return { kind: "value", value: inlineTable([["workspace", boolValue(true)]], true) };
  const fields: [string, TomlValue][] = [];
  if (s?.kind === "registry") fields.push(["version", stringValue(s.version)]);
  else if (s?.kind === "path") {
    if (s.version !== undefined) fields.push(["version", stringValue(s.version)]);
    fields.push(["path", stringValue(pathField(s, ctx))]);
  } else if (s?.kind === "git") {
    fields.push(["git", stringValue(s.git)]);
    if (s.branch !== undefined) fields.push(["branch", stringValue(s.branch)]);
    if (s.tag !== undefined) fields.push(["tag", stringValue(s.tag)]);
    if (s.rev !== undefined) fields.push(["rev", stringValue(s.rev)]);
    if (s.version !== undefined) fields.push(["version", stringValue(s.version)]);
  } else if (s?.kind === "workspace") fields.push(["workspace", boolValue(true)]);
  if (fields.some(([k]) => k === "version") && dep.registry !== undefined)
    fields.push(["registry", stringValue(dep.registry)]);
  if (dep.rename !== undefined) fields.push(["package", stringValue(dep.name)]);
  if (dep.defaultFeatures !== undefined) fields.push(["default-features", boolValue(dep.defaultFeatures)]);
  if (dep.features !== undefined) fields.push(["features", arrayValue(dep.features.map(stringValue))]);
  if (dep.optional !== undefined) fields.push(["optional", boolValue(dep.optional)]);
  if (dep.public !== undefined) fields.push(["public", boolValue(dep.public)]);
  return { kind: "value", value: inlineTable(fields) };
}

function isStrOr1LenTable(item: Item): boolean {
  if (asString(item) !== undefined) return true;
  const t = tableLikeOf(item);
  return t !== undefined && tableLen(t) === 1;
}

/** Updates an existing entry in place, keeping unrelated keys (cargo's `update_toml`). */
export function updateToml(dep: EditDependency, entry: Entry, ctx: PathContext): void {
  const item = entry.item;
  if (isStrOr1LenTable(item)) {
    const next = toToml(dep, ctx);
    if (item.kind === "value" && next.kind === "value") next.value.decor = { ...item.value.decor };
    entry.item = next;
    return;
  }
  const table = tableLikeOf(item);
  if (!table)
    throw new WharfError({
      code: "ADD_INVALID_DEPENDENCY",
      message: `invalid dependency \`${entry.key.key}\``,
    });
  const s = dep.source;
  const removeAll = (keys: string[]) => {
    for (const k of keys) removeKey(table, k);
  };
  const setOrRemove = (k: string, v: string | undefined) => {
    if (v !== undefined) overwriteValue(table, k, stringValue(v));
    else removeKey(table, k);
  };
  if (s?.kind === "registry") {
    overwriteValue(table, "version", stringValue(s.version));
    removeAll(["path", "git", "branch", "tag", "rev", "workspace", "base"]);
  } else if (s?.kind === "path") {
    removeKey(table, "base");
    overwriteValue(table, "path", stringValue(pathField(s, ctx)));
    setOrRemove("version", s.version);
    removeAll(["git", "branch", "tag", "rev", "workspace"]);
  } else if (s?.kind === "git") {
    overwriteValue(table, "git", stringValue(s.git));
    setOrRemove("branch", s.branch);
    setOrRemove("tag", s.tag);
    setOrRemove("rev", s.rev);
    setOrRemove("version", s.version);
    removeAll(["path", "workspace", "base"]);
  } else if (s?.kind === "workspace") {
    overwriteValue(table, "workspace", boolValue(true));
    setDotted(table, true);
    entry.key = { key: entry.key.key, leaf: {}, dotted: {} };
    removeAll([
      "version",
      "registry",
      "registry-index",
      "path",
      "git",
      "branch",
      "tag",
      "rev",
      "package",
      "default-features",
      "base",
    ]);
  }
  if (getEntry(entriesOf(table), "version") !== undefined && dep.registry !== undefined)
    overwriteValue(table, "registry", stringValue(dep.registry));
  else removeKey(table, "registry");
  if (dep.rename !== undefined) overwriteValue(table, "package", stringValue(dep.name));
  if (dep.defaultFeatures !== undefined)
    overwriteValue(table, "default-features", boolValue(dep.defaultFeatures));
  else removeKey(table, "default-features");
  if (dep.features !== undefined) {
    const existing = getEntry(entriesOf(table), "features")?.item;
    let features: string[] = [];
    if (existing?.kind === "value" && existing.value.type === "array") {
      const strs = existing.value.values.map((v) =>
        v.type === "scalar" && typeof v.decoded === "string" ? v.decoded : undefined,
      );
      if (strs.every((x) => x !== undefined)) features = [...new Set(strs as string[])];
    }
    const sorted = features.every((f, i) => i === 0 || (features[i - 1] ?? "") <= f);
    for (const f of dep.features) if (!features.includes(f)) features.push(f);
    if (sorted) features.sort(cmp);
    setDotted(table, false);
    overwriteValue(table, "features", arrayValue(features.map(stringValue)));
  } else removeKey(table, "features");
  for (const [k, v] of [
    ["optional", dep.optional],
    ["public", dep.public],
  ] as const) {
    if (v !== undefined) {
      setDotted(table, false);
      overwriteValue(table, k, boolValue(v));
    } else removeKey(table, k);
  }
}
