/**
 * `wharf vendor [PATH]`: vendor every registry dependency into a directory and print the
 * config that makes cargo (or wharf) build from it, as `cargo vendor` does.
 */
// the operation (HTTP client, resolver, cache) is loaded on demand so other commands start fast
import type { Command } from "@commander-js/extra-typings";
import { contextOf } from "../program.js";

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function registerVendor(program: Command): void {
  program
    .command("vendor")
    .description("Vendor all dependencies for a project locally")
    .argument("[path]", "Where to vendor crates (`vendor` by default)")
    .option("--no-delete", "Don't delete older crates in the vendor directory")
    .option("-s, --sync <TOML>", "Additional `Cargo.toml` to sync and vendor", collect, [] as string[])
    .option("--respect-source-config", "Respect `[source]` config in `.cargo/config`")
    .option("--versioned-dirs", "Always include version in subdir name")
    .option("--manifest-path <PATH>", "Path to Cargo.toml")
    .action(async (path, opts, command) => {
      const ctx = contextOf(command);
      const result = await (await import("../../ops/vendor.js")).vendor(ctx, {
        path,
        manifestPath: opts.manifestPath,
        sync: opts.sync,
        noDelete: opts.delete === false,
        versionedDirs: opts.versionedDirs === true,
        respectSourceConfig: opts.respectSourceConfig === true,
      });
      if (ctx.shell.verbosity === "quiet") return;
      if (result.configText === "") {
        ctx.shell.stderr.write("There is no dependency to vendor in this project.\n");
      } else {
        ctx.shell.stderr.write(
          "To use vendored sources, add this to your .cargo/config.toml for this project:\n\n",
        );
        ctx.shell.out(result.configText);
      }
    });
}
