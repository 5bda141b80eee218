/**
 * `wharf generate-lockfile`: write Cargo.lock for the workspace, resolved from scratch.
 */
// the operation (HTTP client, resolver, cache) is loaded on demand so other commands start fast
import type { Command } from "@commander-js/extra-typings";
import { contextOf } from "../program.js";

export function registerGenerateLockfile(program: Command): void {
  program
    .command("generate-lockfile")
    .description("Generate the lockfile for a package")
    .option("--manifest-path <PATH>", "Path to Cargo.toml")
    .action(async (opts, command) => {
      await (await import("../../ops/generate-lockfile.js")).generateLockfile(contextOf(command), {
        manifestPath: opts.manifestPath,
      });
    });
}
