/**
 * JSON written field by field, because JSON.stringify cannot give serde's output: it moves
 * integer-like keys ("1", "2") to the front of an object, while cargo and crates.io write
 * maps in BTreeMap (byte) order and structs in declaration order.
 */

export type JsonField = readonly [key: string, json: string];

export function jsonString(value: string): string {
  return JSON.stringify(value);
}

export function jsonObject(fields: readonly JsonField[]): string {
  return `{${fields.map(([k, v]) => `${jsonString(k)}:${v}`).join(",")}}`;
}

export function jsonStringArray(values: readonly string[]): string {
  return `[${values.map(jsonString).join(",")}]`;
}

export function jsonNullable(value: string | null | undefined): string {
  return value === null || value === undefined ? "null" : jsonString(value);
}

const encoder = new TextEncoder();

/** Rust's `str` ordering: by UTF-8 bytes (differs from JS's UTF-16 order above U+FFFF). */
export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  const ab = encoder.encode(a);
  const bb = encoder.encode(b);
  const n = Math.min(ab.length, bb.length);
  for (let i = 0; i < n; i++) if (ab[i] !== bb[i]) return ab[i]! - bb[i]!;
  return ab.length - bb.length;
}

/** A `BTreeMap<String, Vec<String>>` as serde_json writes it. */
export function jsonFeatureMap(map: Readonly<Record<string, readonly string[]>>): string {
  const keys = Object.keys(map).sort(compareUtf8);
  return jsonObject(keys.map((k) => [k, jsonStringArray(map[k]!)]));
}

/** Own enumerable keys only, so `__proto__` in input is data and never a prototype. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
