/**
 * Reading keys from the merged cargo config the way cargo does (`get_cv_with_env` and
 * the typed getters): files and `--config` values from the merged tree, `CARGO_*`
 * environment variables on top, every value keeping its Definition so paths resolve
 * against the right directory and errors name the right file or variable.
 */
import { isAbsolute, join, resolve } from "node:path";
import { type Diagnostic, WharfError } from "@wharf/protocol";
import { type ConfigKey, displayConfigKey, envKeyFor, parseConfigKey } from "./config-key.js";
import {
  type ConfigTable,
  type ConfigValue,
  describeKind,
  isNonMergeableList,
  withArticle,
} from "./config-value.js";
import {
  compareDefinitions,
  type Definition,
  definitionRoot,
  describeDefinition,
  isHigherPriority,
} from "./definition.js";

/** A value and where it was defined. */
export interface Sourced<T> {
  readonly value: T;
  readonly definition: Definition;
}

/** A path-like config value: the text as written and the absolute path it means. */
export interface ConfigPath {
  readonly raw: string;
  readonly resolved: string;
  readonly definition: Definition;
}

/** A program with arguments (`runner`, `credential-provider`): a string or an array. */
export interface PathAndArgs {
  /** the program; resolved against the defining directory only when it contains a `/` */
  readonly program: ConfigPath;
  readonly args: readonly string[];
}

export type Env = Readonly<Record<string, string | undefined>>;

export function typeError(key: ConfigKey, expected: string, found: ConfigValue): WharfError {
  return new WharfError({
    code: "CONFIG_TYPE",
    message: `invalid type for \`${displayConfigKey(key)}\` in ${describeDefinition(found.definition)}: expected ${expected}, found ${withArticle(describeKind(found))}`,
  });
}

export function valueError(key: ConfigKey, definition: Definition, problem: string): WharfError {
  return new WharfError({
    code: "CONFIG_VALUE",
    message: `invalid value for \`${displayConfigKey(key)}\` in ${describeDefinition(definition)}: ${problem}`,
  });
}

export class ConfigReader {
  readonly values: ConfigTable;
  readonly env: Env;
  readonly cwd: string;
  /** warnings found while reading (misspelled env vars); appended to, never cleared */
  readonly warnings: Diagnostic[] = [];
  readonly #warned = new Set<string>();
  readonly #normalizedEnv = new Map<string, string>();

  constructor(options: { values: ConfigTable; env: Env; cwd: string }) {
    this.values = options.values;
    this.env = options.env;
    this.cwd = options.cwd;
    for (const name of Object.keys(options.env)) {
      this.#normalizedEnv.set(name.toUpperCase().replaceAll("-", "_"), name);
    }
  }

  /** The merged file/`--config` value of a key, without the environment (cargo's `get_cv`). */
  getCv(key: ConfigKey | string): ConfigValue | undefined {
    const parts = typeof key === "string" ? parseConfigKey(key) : key;
    let value: ConfigValue = this.values;
    for (const [i, part] of parts.entries()) {
      if (value.kind !== "table") {
        throw new WharfError({
          code: "CONFIG_TYPE",
          message: `expected table for configuration key \`${displayConfigKey(parts.slice(0, i))}\`, but found ${describeKind(value)} in ${describeDefinition(value.definition)}`,
        });
      }
      const next = value.entries.get(part);
      if (next === undefined) return undefined;
      value = next;
    }
    return value;
  }

  /** The environment variable for a key, warning (once) when only a misspelled one is set. */
  envFor(key: ConfigKey): string | undefined {
    const name = envKeyFor(key);
    const value = this.env[name];
    if (value !== undefined) return value;
    const near = this.#normalizedEnv.get(name);
    if (near !== undefined && !this.#warned.has(near)) {
      this.#warned.add(near);
      this.warnings.push({
        level: "warning",
        code: "CONFIG_ENV_CASE",
        message: `environment variables are expected to use uppercase letters and underscores, the variable \`${near}\` will be ignored and have no effect`,
      });
    }
    return undefined;
  }

  /**
   * cargo's `get_cv_with_env`: an env var beats a file but not `--config`; for lists the
   * env var's whitespace-separated words are appended (file items, then env, then cli),
   * except for program lists such as `target.*.runner`, which the env var replaces.
   */
  getCvWithEnv(key: ConfigKey | string): ConfigValue | undefined {
    const parts = typeof key === "string" ? parseConfigKey(key) : key;
    const cv = this.getCv(parts);
    if (parts.length === 0) return cv;
    const env = this.envFor(parts);
    if (env === undefined) return cv;
    const envDef: Definition = { kind: "env", name: envKeyFor(parts) };
    if (cv !== undefined && cv.kind !== "list" && !isHigherPriority(envDef, cv.definition)) return cv;
    if (env === "true" || env === "false")
      return { kind: "boolean", value: env === "true", definition: envDef };
    if (/^[+-]?[0-9]+$/.test(env)) {
      const n = BigInt(env);
      if (n >= -(2n ** 63n) && n < 2n ** 63n) return { kind: "integer", value: n, definition: envDef };
    }
    if (cv?.kind === "list") {
      let items = [...cv.items];
      if (isNonMergeableList(parts)) {
        const first = items[0];
        if (first !== undefined && isHigherPriority(first.definition, envDef)) return cv;
        items = [];
      }
      for (const word of env.split(/\s+/).filter((w) => w !== "")) {
        items.push({ kind: "string", value: word, definition: envDef });
      }
      items.sort((a, b) => compareDefinitions(a.definition, b.definition));
      return { kind: "list", items, definition: cv.definition };
    }
    return { kind: "string", value: env, definition: envDef };
  }

  /**
   * A scalar key read as cargo's typed getters do: the env var is parsed as the wanted
   * type (so `CARGO_BUILD_JOBS=abc` is an error naming the variable) rather than guessed.
   */
  #typed<T>(
    key: ConfigKey,
    kind: "string" | "boolean" | "integer",
    expected: string,
    parseEnv: (text: string) => T | undefined,
  ): Sourced<T> | undefined {
    const cv = this.getCv(key);
    const envText = this.envFor(key);
    const envDef: Definition = { kind: "env", name: envKeyFor(key) };
    if (cv !== undefined && cv.kind !== kind) throw typeError(key, expected, cv);
    if (envText !== undefined && (cv === undefined || isHigherPriority(envDef, cv.definition))) {
      const parsed = parseEnv(envText);
      if (parsed === undefined) throw valueError(key, envDef, `expected ${expected}, found \`${envText}\``);
      return { value: parsed, definition: envDef };
    }
    if (cv === undefined) return undefined;
    return { value: (cv as { value: unknown }).value as T, definition: cv.definition };
  }

  getString(key: ConfigKey | string): Sourced<string> | undefined {
    return this.#typed(toKey(key), "string", "a string", (t) => t);
  }

  getBool(key: ConfigKey | string): Sourced<boolean> | undefined {
    return this.#typed(toKey(key), "boolean", "a boolean", (t) =>
      t === "true" ? true : t === "false" ? false : undefined,
    );
  }

  getInteger(key: ConfigKey | string): Sourced<bigint> | undefined {
    return this.#typed(toKey(key), "integer", "an integer", (t) =>
      /^[+-]?[0-9]+$/.test(t) ? BigInt(t) : undefined,
    );
  }

  /** An integer that must fit `min..=max` (cargo deserializes into u32/u64 and friends). */
  getNumber(key: ConfigKey | string, range: { min: number; max: number }): Sourced<number> | undefined {
    const v = this.getInteger(key);
    if (v === undefined) return undefined;
    if (v.value < BigInt(range.min) || v.value > BigInt(range.max)) {
      throw valueError(toKey(key), v.definition, `${v.value} is out of range (${range.min} to ${range.max})`);
    }
    return { value: Number(v.value), definition: v.definition };
  }

  /** cargo's `StringList`: a whitespace-separated string or an array of strings. */
  getStringList(key: ConfigKey | string): Sourced<string[]> | undefined {
    const parts = toKey(key);
    const cv = this.getCvWithEnv(parts);
    if (cv === undefined) return undefined;
    if (cv.kind === "string")
      return { value: cv.value.split(/\s+/).filter((w) => w !== ""), definition: cv.definition };
    if (cv.kind === "list") {
      const value = cv.items.map((item, i) => {
        if (item.kind !== "string")
          throw typeError([...parts.slice(0, -1), `${parts.at(-1)}[${i}]`], "a string", item);
        return item.value;
      });
      // The list's own definition is its lowest-priority one; the highest one decides paths.
      const definition = cv.items.at(-1)?.definition ?? cv.definition;
      return { value, definition };
    }
    throw typeError(parts, "a string or array of strings", cv);
  }

  /** A path relative to the directory holding the defining `.cargo` dir (ConfigRelativePath). */
  getPath(key: ConfigKey | string): ConfigPath | undefined {
    const v = this.getString(key);
    if (v === undefined) return undefined;
    return { raw: v.value, resolved: this.resolvePath(v.value, v.definition), definition: v.definition };
  }

  /** `runner`-style value: first word is the program, the rest are its arguments. */
  getPathAndArgs(key: ConfigKey | string): PathAndArgs | undefined {
    const list = this.getStringList(key);
    if (list === undefined) return undefined;
    const [program, ...args] = list.value;
    if (program === undefined) {
      throw valueError(toKey(key), list.definition, "expected at least one element (the program)");
    }
    return {
      program: {
        raw: program,
        resolved: this.resolveProgram(program, list.definition),
        definition: list.definition,
      },
      args,
    };
  }

  resolvePath(value: string, definition: Definition): string {
    return isAbsolute(value) ? value : resolve(join(definitionRoot(definition, this.cwd), value));
  }

  /** cargo's `string_to_path`: a bare name (`gcc`) is looked up on PATH, not made relative. */
  resolveProgram(value: string, definition: Definition): string {
    return value.includes("/") ? this.resolvePath(value, definition) : value;
  }

  /** Keys of a table in the merged files (env vars cannot add table keys in cargo). */
  tableKeys(key: ConfigKey | string): string[] {
    const parts = toKey(key);
    const cv = this.getCv(parts);
    if (cv === undefined) return [];
    if (cv.kind !== "table") throw typeError(parts, "a table", cv);
    return [...cv.entries.keys()].sort();
  }
}

function toKey(key: ConfigKey | string): ConfigKey {
  return typeof key === "string" ? parseConfigKey(key) : key;
}
