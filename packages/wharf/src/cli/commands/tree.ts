/**
 * `wharf tree`: the workspace's dependency graph as `cargo tree` prints it.
 */
// the operation (HTTP client, resolver, cache) is loaded on demand so other commands start fast
import type { Command } from "@commander-js/extra-typings";
import { WharfError } from "@wharf/protocol";
import { contextOf } from "../program.js";

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function registerTree(program: Command): void {
  program
    .command("tree")
    .description("Display a tree visualization of a dependency graph")
    .option("-p, --package <SPEC>", "Package to be used as the root of the tree", collect, [])
    .option("--workspace", "Display the tree for all packages in the workspace")
    .option("-e, --edges <KINDS>", "The kinds of dependencies to display", collect, [])
    .option("--depth <DEPTH>", "Maximum display depth of the dependency tree")
    .option("--prefix <PREFIX>", "Change the prefix (indentation) of how each entry is displayed", "indent")
    .option("--charset <CHARSET>", "Character set to use in output", "utf8")
    .option("-i, --invert <SPEC>", "Invert the tree direction and focus on the given package", collect, [])
    .option("-d, --duplicates", "Show only dependencies which come in multiple versions")
    .option("--no-dedupe", "Do not de-duplicate (repeats all shared dependencies)")
    .option("--target <TRIPLE>", "Filter dependencies matching the given target triple")
    .option("-F, --features <FEATURES>", "Space or comma separated list of features to activate", collect, [])
    .option("--all-features", "Activate all available features")
    .option("--no-default-features", "Do not activate the `default` feature")
    .option("--manifest-path <PATH>", "Path to Cargo.toml")
    .action(async (opts, command) => {
      let depth: number | undefined;
      if (opts.depth !== undefined) {
        if (!/^\d+$/.test(opts.depth))
          throw new WharfError({ code: "TREE_DEPTH", message: `invalid depth \`${opts.depth}\`` });
        depth = Number(opts.depth);
      }
      await (await import("../../ops/tree.js")).tree(contextOf(command), {
        manifestPath: opts.manifestPath,
        packages: opts.package,
        workspace: opts.workspace === true,
        edges: opts.edges,
        depth,
        prefix: opts.prefix,
        charset: opts.charset,
        invert: opts.invert,
        duplicates: opts.duplicates === true,
        noDedupe: opts.dedupe === false,
        target: opts.target,
        features: opts.features,
        allFeatures: opts.allFeatures === true,
        noDefaultFeatures: opts.defaultFeatures === false,
      });
    });
}
