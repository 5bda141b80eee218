/**
 * `wharf publish`: package, check and upload the package to a registry.
 */
// the operation (git, resolver, registry client) is loaded on demand so other commands start fast
import type { Command } from "@commander-js/extra-typings";
import { contextOf } from "../program.js";

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function registerPublish(program: Command): void {
  program
    .command("publish")
    .description("Upload a package to the registry")
    .option("--dry-run", "Perform all checks without uploading")
    .option("--allow-dirty", "Allow dirty working directories to be packaged")
    .option("--no-verify", "Don't verify the contents by building them")
    .option("--registry <REGISTRY>", "Registry to upload the package to")
    .option("-p, --package <SPEC>", "Package(s) to publish", collect, [] as string[])
    .option("--workspace", "Publish all packages in the workspace")
    .option("--manifest-path <PATH>", "Path to Cargo.toml")
    .action(async (opts, command) => {
      await (await import("../../ops/publish.js")).publish(contextOf(command), {
        manifestPath: opts.manifestPath,
        registry: opts.registry,
        dryRun: opts.dryRun === true,
        allowDirty: opts.allowDirty === true,
        noVerify: opts.verify === false,
        packages: opts.package,
        workspace: opts.workspace === true,
      });
    });
}
