/**
 * Type checks for `[profile.*]` tables in cargo config. The builder owns what the values
 * mean; this only makes sure a wrong type is reported here, naming the file, rather than
 * deep inside a build.
 */
import type { Diagnostic } from "@wharf/protocol";
import { type ConfigKey, displayConfigKey } from "./config-key.js";
import { typeError, valueError } from "./config-reader.js";
import type { ConfigTable, ConfigValue } from "./config-value.js";
import { definitionFile } from "./definition.js";

type Check = (value: ConfigValue, key: ConfigKey) => void;

const bool: Check = (v, key) => {
  if (v.kind !== "boolean") throw typeError(key, "a boolean", v);
};
const string: Check = (v, key) => {
  if (v.kind !== "string") throw typeError(key, "a string", v);
};
const stringIn =
  (allowed: readonly string[]): Check =>
  (v, key) => {
    string(v, key);
    if (v.kind === "string" && !allowed.includes(v.value)) {
      throw valueError(
        key,
        v.definition,
        `expected one of ${allowed.map((a) => `\`${a}\``).join(", ")}, found \`${v.value}\``,
      );
    }
  };
const boolOr =
  (allowed: readonly string[]): Check =>
  (v, key) => {
    if (v.kind !== "boolean") stringIn(allowed)(v, key);
  };

const CHECKS: Record<string, Check> = {
  "opt-level": (v, key) => {
    if (v.kind === "integer") {
      if (v.value < 0n || v.value > 3n)
        throw valueError(key, v.definition, `must be 0-3, "s" or "z", found ${v.value}`);
      return;
    }
    stringIn(["0", "1", "2", "3", "s", "z"])(v, key);
  },
  debug: (v, key) => {
    if (v.kind === "integer") {
      if (v.value < 0n || v.value > 2n)
        throw valueError(key, v.definition, `must be 0, 1 or 2, found ${v.value}`);
      return;
    }
    boolOr(["none", "line-directives-only", "line-tables-only", "limited", "full", "0", "1", "2"])(v, key);
  },
  "split-debuginfo": string,
  strip: boolOr(["none", "debuginfo", "symbols"]),
  "debug-assertions": bool,
  "overflow-checks": bool,
  lto: boolOr(["fat", "thin", "off"]),
  panic: stringIn(["unwind", "abort"]),
  incremental: bool,
  "codegen-units": (v, key) => {
    if (v.kind !== "integer") throw typeError(key, "an integer", v);
    if (v.value < 1n || v.value > 0xffff_ffffn)
      throw valueError(key, v.definition, `must be at least 1, found ${v.value}`);
  },
  rpath: bool,
  inherits: string,
  "codegen-backend": string,
  "trim-paths": (v, key) => {
    if (v.kind === "list") for (const item of v.items) string(item, key);
    else boolOr(["none", "macro", "diagnostics", "object", "all"])(v, key);
  },
  rustflags: (v, key) => {
    if (v.kind !== "list") throw typeError(key, "an array of strings", v);
    for (const item of v.items) string(item, key);
  },
};

/** Checks one profile table; unknown keys warn, as cargo does for manifests. */
export function validateProfileTable(
  table: ConfigTable,
  key: ConfigKey,
  warnings: Diagnostic[],
  nested: "top" | "override" = "top",
): void {
  for (const [name, value] of table.entries) {
    const k = [...key, name];
    const check = CHECKS[name];
    if (check) {
      check(value, k);
    } else if (nested === "top" && (name === "build-override" || name === "package")) {
      if (value.kind !== "table") throw typeError(k, "a table", value);
      if (name === "build-override") validateProfileTable(value, k, warnings, "override");
      else {
        for (const [pkg, pv] of value.entries) {
          if (pv.kind !== "table") throw typeError([...k, pkg], "a table", pv);
          validateProfileTable(pv, [...k, pkg], warnings, "override");
        }
      }
    } else {
      warnings.push({
        level: "warning",
        code: "CONFIG_UNUSED_PROFILE_KEY",
        file: definitionFile(value.definition),
        message: `unused config key \`${displayConfigKey(k)}\` in ${definitionFile(value.definition) ?? "configuration"}`,
      });
    }
  }
}
