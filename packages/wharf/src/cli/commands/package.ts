/**
 * `wharf package`: assemble the local package into a distributable .crate, or list its files.
 */
// the operation (git, resolver, registry client) is loaded on demand so other commands start fast
import type { Command } from "@commander-js/extra-typings";
import { contextOf } from "../program.js";

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function registerPackage(program: Command): void {
  program
    .command("package")
    .description("Assemble the local package into a distributable tarball")
    .option("-l, --list", "Print files included in a package without making one")
    .option("--allow-dirty", "Allow dirty working directories to be packaged")
    .option("--no-verify", "Don't verify the contents by building them")
    .option("-p, --package <SPEC>", "Package(s) to assemble", collect, [] as string[])
    .option("--workspace", "Assemble all packages in the workspace")
    .option("--manifest-path <PATH>", "Path to Cargo.toml")
    .action(async (opts, command) => {
      await (await import("../../ops/package.js")).packageCommand(contextOf(command), {
        manifestPath: opts.manifestPath,
        list: opts.list === true,
        allowDirty: opts.allowDirty === true,
        noVerify: opts.verify === false,
        packages: opts.package,
        workspace: opts.workspace === true,
      });
    });
}
