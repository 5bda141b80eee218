/**
 * IndexLine -> the exact JSON text of one index line, in crates.io's key order: a registry
 * that writes the same bytes as crates.io keeps index diffs and checksums comparable.
 */
import {
  type JsonField,
  jsonFeatureMap,
  jsonNullable,
  jsonObject,
  jsonString,
  jsonStringArray,
} from "./canonical-json.js";
import type { IndexDependency, IndexLine } from "./index-line.js";

function formatDependency(dep: IndexDependency): string {
  const fields: JsonField[] = [
    ["name", jsonString(dep.name)],
    ["req", jsonString(dep.req)],
    ["features", jsonStringArray(dep.features)],
    ["optional", String(dep.optional)],
    ["default_features", String(dep.default_features)],
    ["target", jsonNullable(dep.target)],
    ["kind", jsonString(dep.kind)],
  ];
  if (dep.registry !== undefined) fields.push(["registry", jsonString(dep.registry)]);
  if (dep.package !== undefined) fields.push(["package", jsonString(dep.package)]);
  if (dep.public !== undefined) fields.push(["public", String(dep.public)]);
  if (dep.artifact !== undefined) fields.push(["artifact", jsonStringArray(dep.artifact)]);
  if (dep.bindep_target !== undefined) fields.push(["bindep_target", jsonString(dep.bindep_target)]);
  if (dep.lib) fields.push(["lib", "true"]);
  return jsonObject(fields);
}

/** One line of JSON, no trailing newline. */
export function formatIndexLine(line: IndexLine): string {
  const fields: JsonField[] = [
    ["name", jsonString(line.name)],
    ["vers", jsonString(line.vers)],
    ["deps", `[${line.deps.map(formatDependency).join(",")}]`],
    ["cksum", jsonString(line.cksum)],
    ["features", jsonFeatureMap(line.features)],
    ["yanked", String(line.yanked)],
    ["links", jsonNullable(line.links)],
  ];
  if (line.v !== undefined) fields.push(["v", String(line.v)]);
  if (line.features2 !== undefined) fields.push(["features2", jsonFeatureMap(line.features2)]);
  if (line.rust_version !== undefined) fields.push(["rust_version", jsonString(line.rust_version)]);
  if (line.pubtime !== undefined) fields.push(["pubtime", jsonString(line.pubtime)]);
  return jsonObject(fields);
}

/** A whole index file: one line per version, each ended by `\n`. */
export function formatIndexFile(lines: readonly IndexLine[]): string {
  return lines.map((l) => `${formatIndexLine(l)}\n`).join("");
}
