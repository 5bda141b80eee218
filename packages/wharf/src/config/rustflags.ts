/**
 * Which rustflags a compilation gets, in cargo's order of precedence: the first source
 * that is set wins outright (they are not combined):
 * CARGO_ENCODED_RUSTFLAGS, RUSTFLAGS, `target.<triple>.rustflags` plus every matching
 * `target.'cfg(..)'.rustflags`, then `build.rustflags` (which includes CARGO_BUILD_RUSTFLAGS).
 */
import type { ConfigReader, Env } from "./config-reader.js";
import { readTargetConfig } from "./read-cargo-config.js";

export type FlagsKind = "rustflags" | "rustdocflags";

export interface FlagsForOptions {
  reader: ConfigReader;
  env: Env;
  /** the target triple being compiled for */
  triple: string;
  /** evaluates a `cfg(...)` target key against that triple; the caller owns cfg logic */
  cfgMatches: (cfgKey: string) => boolean;
  kind?: FlagsKind;
}

export function flagsFor(options: FlagsForOptions): { flags: string[]; from: string } {
  const kind = options.kind ?? "rustflags";
  const envName = kind === "rustflags" ? "RUSTFLAGS" : "RUSTDOCFLAGS";
  const encoded = options.env[`CARGO_ENCODED_${envName}`];
  if (encoded !== undefined) {
    return { flags: encoded === "" ? [] : encoded.split("\x1f"), from: `CARGO_ENCODED_${envName}` };
  }
  const plain = options.env[envName];
  if (plain !== undefined) {
    return {
      flags: plain
        .split(" ")
        .map((s) => s.trim())
        .filter((s) => s !== ""),
      from: envName,
    };
  }
  const fromTarget = [...(readTargetConfig(options.reader, options.triple)[kind]?.value ?? [])];
  // cargo applies cfg-keyed flags for rustflags only.
  if (kind === "rustflags") {
    for (const key of options.reader.tableKeys("target")) {
      if (key.startsWith("cfg(") && options.cfgMatches(key)) {
        fromTarget.push(...(readTargetConfig(options.reader, key).rustflags?.value ?? []));
      }
    }
  }
  if (fromTarget.length > 0) return { flags: fromTarget, from: `target.${options.triple}` };
  const build = options.reader.getStringList(["build", kind]);
  return { flags: build?.value ?? [], from: build ? `build.${kind}` : "none" };
}
