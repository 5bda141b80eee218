/**
 * `wharf metadata`: the workspace as machine-readable JSON, the same as `cargo metadata`.
 */
import type { Command } from "@commander-js/extra-typings";
import { metadataCommand } from "../../ops/metadata-command.js";
import { contextOf } from "../program.js";

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function registerMetadata(program: Command): void {
  program
    .command("metadata")
    .description(
      "Output the resolved dependencies of a package, the concrete used versions including overrides, in machine-readable format",
    )
    .option("--no-deps", "Output information only about the workspace members and don't fetch dependencies")
    .option("--format-version <VERSION>", "Format version", "1")
    .option("--manifest-path <PATH>", "Path to Cargo.toml")
    .option(
      "--filter-platform <TRIPLE>",
      "Only include resolve dependencies matching the given target-triple",
      collect,
      [] as string[],
    )
    .option(
      "-F, --features <FEATURES>",
      "Space or comma separated list of features to activate",
      collect,
      [] as string[],
    )
    .option("--all-features", "Activate all available features")
    .option("--no-default-features", "Do not activate the `default` feature")
    .action(async (opts, command) => {
      const ctx = contextOf(command);
      const json = await metadataCommand(ctx, {
        noDeps: opts.deps === false,
        formatVersion: opts.formatVersion,
        manifestPath: opts.manifestPath,
        features: opts.features,
        allFeatures: opts.allFeatures === true,
        noDefaultFeatures: opts.defaultFeatures === false,
        filterPlatforms: opts.filterPlatform,
      });
      ctx.shell.out(`${JSON.stringify(json)}\n`);
    });
}
