/**
 * `wharf generate-lockfile`: write Cargo.lock for the workspace, resolved from scratch.
 */
import type { Command } from "@commander-js/extra-typings";
import { generateLockfile } from "../../ops/generate-lockfile.js";
import { contextOf } from "../program.js";

export function registerGenerateLockfile(program: Command): void {
  program
    .command("generate-lockfile")
    .description("Generate the lockfile for a package")
    .option("--manifest-path <PATH>", "Path to Cargo.toml")
    .action(async (opts, command) => {
      await generateLockfile(contextOf(command), { manifestPath: opts.manifestPath });
    });
}
