/**
 * `wharf clean [-p SPEC] [--release | --profile NAME]`: remove the target directory, or one
 * package's artifacts from it.
 */
import type { Command } from "@commander-js/extra-typings";
import { contextOf } from "../program.js";

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function registerClean(program: Command): void {
  program
    .command("clean")
    .description("Remove artifacts that cargo has generated in the past")
    .option("-p, --package <SPEC>", "Package to clean artifacts for", collect, [] as string[])
    .option("-r, --release", "Whether or not to clean release artifacts")
    .option("--profile <PROFILE-NAME>", "Clean artifacts of the specified profile")
    .option("--target-dir <DIRECTORY>", "Directory for all generated artifacts")
    .option("--manifest-path <PATH>", "Path to Cargo.toml")
    .option("-n, --dry-run", "Display what would be deleted without deleting anything")
    .action(async (opts, command) => {
      await (await import("../../ops/clean.js")).clean(contextOf(command), {
        manifestPath: opts.manifestPath,
        packages: opts.package,
        profile: opts.profile ?? (opts.release ? "release" : undefined),
        targetDir: opts.targetDir,
        dryRun: opts.dryRun === true,
      });
    });
}
