/**
 * cargo's `ConfigValue`: a TOML value in which every leaf remembers its Definition, and
 * the merge rules that combine config files, includes and `--config` arguments
 * (cargo's util/context/config_value.rs).
 */
import { WharfError } from "@wharf/protocol";
import { TomlDate } from "smol-toml";
import { type ConfigKey, configKeyMatches, displayConfigKey } from "./config-key.js";
import { compareDefinitions, type Definition, describeDefinition, isHigherPriority } from "./definition.js";

export type ConfigValue =
  | { kind: "string"; value: string; definition: Definition }
  | { kind: "integer"; value: bigint; definition: Definition }
  | { kind: "boolean"; value: boolean; definition: Definition }
  | { kind: "list"; items: ConfigValue[]; definition: Definition }
  | { kind: "table"; entries: Map<string, ConfigValue>; definition: Definition };

export type ConfigTable = Extract<ConfigValue, { kind: "table" }>;

/**
 * Lists that name a program (plus its arguments): concatenating two of them would build a
 * nonsense command line, so the higher-priority one replaces the other instead.
 */
export const NON_MERGEABLE_LISTS: readonly string[] = [
  "credential-alias.*",
  "doc.browser",
  "host.runner",
  "registries.*.credential-provider",
  "registry.credential-provider",
  "target.*.runner",
];

export function isNonMergeableList(key: ConfigKey): boolean {
  return NON_MERGEABLE_LISTS.some((pattern) => configKeyMatches(key, pattern));
}

/** cargo's `desc()`, used in type errors. */
export function describeKind(value: ConfigValue): string {
  return value.kind === "list" ? "array" : value.kind;
}

export function emptyTable(definition: Definition): ConfigTable {
  return { kind: "table", entries: new Map(), definition };
}

/**
 * Converts parsed TOML into a ConfigValue. Floats and datetimes are refused because cargo
 * refuses them (no cargo setting takes one), naming the key so the user can find it.
 */
export function configValueFromToml(
  value: unknown,
  definition: Definition,
  path: string[] = [],
): ConfigValue {
  if (typeof value === "string") return { kind: "string", value, definition };
  if (typeof value === "boolean") return { kind: "boolean", value, definition };
  if (typeof value === "bigint") return { kind: "integer", value, definition };
  if (Array.isArray(value)) {
    return {
      kind: "list",
      items: value.map((item, i) => configValueFromToml(item, definition, [...path, `[${i}]`])),
      definition,
    };
  }
  if (typeof value === "object" && value !== null && !(value instanceof TomlDate)) {
    const entries = new Map<string, ConfigValue>();
    for (const [k, v] of Object.entries(value)) {
      entries.set(k, configValueFromToml(v, definition, [...path, k]));
    }
    return { kind: "table", entries, definition };
  }
  const type = value instanceof TomlDate ? "datetime" : typeof value === "number" ? "float" : typeof value;
  throw new WharfError({
    code: "CONFIG_UNSUPPORTED_TYPE",
    message: `unsupported TOML configuration type \`${type}\` at \`${path.join(".").replaceAll(".[", "[")}\` in ${describeDefinition(definition)}`,
    hint: "cargo configuration only holds strings, integers, booleans, arrays and tables",
  });
}

/**
 * Merges `from` into `into` in place, cargo's `ConfigValue::merge`.
 *
 * `force` is false while walking discovered files (deepest first, so an existing value
 * wins and later, shallower lists go in front) and true for includes and `--config`
 * (the incoming value wins and its list items go last). Lists are sorted by definition
 * afterwards, so file items always precede env items, which precede cli items.
 *
 * cargo 1.95 forgets to pop the key path between sibling keys, so whether two
 * `target.*.runner` lists are replaced or concatenated depends on HashMap order there;
 * this follows the documented intent (replace) instead.
 */
export function mergeConfigValue(
  into: ConfigValue,
  from: ConfigValue,
  force: boolean,
  key: string[] = [],
): void {
  const higher = isHigherPriority(from.definition, into.definition);
  if (into.kind === "list" && from.kind === "list") {
    if (isNonMergeableList(key)) {
      if (force || higher) into.items = from.items;
    } else if (force) {
      into.items = [...into.items, ...from.items];
    } else {
      into.items = [...from.items, ...into.items];
    }
    // Array.prototype.sort is stable, as Rust's sort_by is.
    into.items.sort((a, b) => compareDefinitions(a.definition, b.definition));
    return;
  }
  if (into.kind === "table" && from.kind === "table") {
    for (const [k, value] of from.entries) {
      const existing = into.entries.get(k);
      if (existing === undefined) into.entries.set(k, value);
      else mergeConfigValue(existing, value, force, [...key, k]);
    }
    return;
  }
  if (into.kind === "list" || into.kind === "table" || from.kind === "list" || from.kind === "table") {
    throw new WharfError({
      code: "CONFIG_MERGE_TYPE",
      message:
        `failed to merge key \`${displayConfigKey(key)}\`: the value from ${describeDefinition(from.definition)} ` +
        `is ${withArticle(describeKind(from))} but the one from ${describeDefinition(into.definition)} ` +
        `is ${withArticle(describeKind(into))}`,
      hint: "a key must be a table (or an array) in every config file that sets it",
    });
  }
  if (force || higher) Object.assign(into, from);
}

export function withArticle(word: string): string {
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
}

/** A deep copy, so merging never mutates a tree the caller still holds. */
export function cloneConfigValue(value: ConfigValue): ConfigValue {
  switch (value.kind) {
    case "list":
      return { ...value, items: value.items.map(cloneConfigValue) };
    case "table":
      return {
        ...value,
        entries: new Map([...value.entries].map(([k, v]) => [k, cloneConfigValue(v)] as const)),
      };
    default:
      return { ...value };
  }
}

export type PlainConfigValue =
  | string
  | number
  | boolean
  | PlainConfigValue[]
  | { [key: string]: PlainConfigValue };

/**
 * The value without definitions, as `cargo config get --format json-value` prints it
 * (integers become JSON numbers; values beyond 2^53 lose precision there too).
 */
export function toPlain(value: ConfigValue): PlainConfigValue {
  switch (value.kind) {
    case "integer":
      return Number(value.value);
    case "list":
      return value.items.map(toPlain);
    case "table": {
      const out: { [key: string]: PlainConfigValue } = Object.create(null);
      for (const [k, v] of value.entries) out[k] = toPlain(v);
      return out;
    }
    default:
      return value.value;
  }
}
