/**
 * `wharf remove`: remove dependencies from a Cargo.toml, as `cargo remove` does.
 */
import type { Command } from "@commander-js/extra-typings";
import { contextOf } from "../program.js";

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function registerRemove(program: Command): void {
  program
    .command("remove")
    .alias("rm")
    .description("Remove dependencies from a Cargo.toml manifest file")
    .argument("<DEP_ID...>", "Dependencies to be removed")
    .option("--dry-run", "Don't actually write the manifest")
    .option("--dev", "Remove from dev-dependencies")
    .option("--build", "Remove from build-dependencies")
    .option("--target <TARGET>", "Remove from target-dependencies")
    .option("-p, --package <SPEC>", "Package to remove from", collect, [])
    .option("--manifest-path <PATH>", "Path to Cargo.toml")
    .action(async (dependencies, opts, command) => {
      const kind = opts.dev ? "dev" : opts.build ? "build" : "normal";
      await (await import("../../ops/remove.js")).remove(contextOf(command), {
        manifestPath: opts.manifestPath,
        packages: opts.package,
        dependencies,
        section: { kind, target: opts.target },
        dryRun: opts.dryRun === true,
      });
    });
}
