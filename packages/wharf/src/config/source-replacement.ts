/**
 * `[source.NAME] replace-with` chains: every link must name a defined source or
 * registry, and a chain may not loop. Checked at load time for every source (cargo
 * checks lazily, and only loops through the starting source), so a bad config fails
 * before any download instead of part-way through a build.
 */
import { WharfError } from "@wharf/protocol";
import type { CargoConfig } from "./cargo-config.js";
import type { Sourced } from "./config-reader.js";
import { describeDefinition } from "./definition.js";

/** Where a source ends up after following `replace-with`. */
export type ReplacementTarget =
  | { kind: "source"; name: string }
  /** a `[registries.NAME]` entry, which cargo also accepts as a replacement */
  | { kind: "registry"; name: string };

export interface ResolvedReplacement {
  /** the names visited, starting with the source asked about */
  chain: string[];
  target: ReplacementTarget;
}

export function resolveSourceReplacement(config: CargoConfig, name: string): ResolvedReplacement {
  const chain = [name];
  let current = name;
  let via: Sourced<string> | undefined;
  for (;;) {
    const source = config.source.get(current);
    if (source === undefined) {
      if (via !== undefined && config.registries.has(current))
        return { chain, target: { kind: "registry", name: current } };
      if (via === undefined) return { chain, target: { kind: "source", name: current } };
      throw new WharfError({
        code: "CONFIG_SOURCE_REPLACEMENT",
        message: `could not find a configured source with the name \`${current}\` when attempting to lookup \`${name}\` (configuration in \`${describeDefinition(via.definition)}\`)`,
        hint: `define \`[source.${current}]\` or \`[registries.${current}]\`, or fix \`replace-with\``,
      });
    }
    if (source.replaceWith === undefined) return { chain, target: { kind: "source", name: current } };
    via = source.replaceWith;
    current = via.value;
    if (chain.includes(current)) {
      throw new WharfError({
        code: "CONFIG_SOURCE_REPLACEMENT",
        message: `detected a cycle of \`replace-with\` sources, the source \`${current}\` is eventually replaced with itself (configuration in \`${describeDefinition(via.definition)}\`)`,
        notes: [`chain: ${[...chain, current].join(" -> ")}`],
      });
    }
    chain.push(current);
  }
}

/** Resolves every source once so a broken chain is an error at load time. */
export function validateSourceReplacement(config: CargoConfig): void {
  for (const name of config.source.keys()) resolveSourceReplacement(config, name);
}
