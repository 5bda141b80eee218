/**
 * Where a configuration value came from, the way cargo records it (`Definition` in
 * cargo's util/context/value.rs). It decides two things: which value wins when two
 * sources set the same key, and what a relative path in the value is relative to.
 */
import { dirname } from "node:path";

export type Definition =
  /** the empty root table; never the origin of a user's value */
  | { readonly kind: "builtin" }
  /** a config file found by walking up from the cwd, or CARGO_HOME's */
  | { readonly kind: "path"; readonly path: string }
  /** a `CARGO_*` environment variable */
  | { readonly kind: "env"; readonly name: string }
  /** `--config KEY=VALUE` (no path) or `--config FILE` (path of that file) */
  | { readonly kind: "cli"; readonly path?: string | undefined };

export const BUILTIN: Definition = { kind: "builtin" };

const RANK: Record<Definition["kind"], number> = { builtin: 0, path: 1, env: 2, cli: 3 };

/** cargo's `Definition::is_higher_priority`: cli > env > file > builtin; equal kinds never win. */
export function isHigherPriority(a: Definition, b: Definition): boolean {
  return RANK[a.kind] > RANK[b.kind];
}

/** cargo's `Ord for Definition`, used to keep list items grouped file < env < cli. */
export function compareDefinitions(a: Definition, b: Definition): number {
  return RANK[a.kind] - RANK[b.kind];
}

/** The text cargo prints for an origin (`--show-origin`, error messages). */
export function describeDefinition(def: Definition): string {
  switch (def.kind) {
    case "path":
      return def.path;
    case "cli":
      return def.path ?? "--config cli option";
    case "env":
      return `environment variable \`${def.name}\``;
    case "builtin":
      return "default";
  }
}

/**
 * The directory relative paths in a value are resolved against: the directory that
 * holds the `.cargo` directory of the defining file (so `target-dir = "t"` in
 * /p/.cargo/config.toml means /p/t), or the cwd for env vars and `--config KEY=VALUE`.
 */
export function definitionRoot(def: Definition, cwd: string): string {
  const file = definitionFile(def);
  return file === undefined ? cwd : dirname(dirname(file));
}

/** The file a value was read from, if it came from one. */
export function definitionFile(def: Definition): string | undefined {
  return def.kind === "path" || def.kind === "cli" ? def.path : undefined;
}
