/**
 * `wharf update`: update dependencies as recorded in Cargo.lock.
 */
// the operation (HTTP client, resolver, cache) is loaded on demand so other commands start fast
import type { Command } from "@commander-js/extra-typings";
import { contextOf } from "../program.js";

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function registerUpdate(program: Command): void {
  program
    .command("update")
    .description("Update dependencies as recorded in the local lock file")
    .argument("[SPEC...]", "Package to update")
    .option("-p, --package <SPEC>", "Package to update", collect, [])
    .option("--precise <PRECISE>", "Update [SPEC] to exactly PRECISE")
    .option("-r, --recursive", "Force updating all dependencies of [SPEC]... as well")
    .option("-w, --workspace", "Only update the workspace packages")
    .option("-n, --dry-run", "Don't actually write the lockfile")
    .option("--manifest-path <PATH>", "Path to Cargo.toml")
    .action(async (specs, opts, command) => {
      await (await import("../../ops/update.js")).update(contextOf(command), {
        manifestPath: opts.manifestPath,
        packages: [...specs, ...opts.package],
        precise: opts.precise,
        recursive: Boolean(opts.recursive),
        workspace: Boolean(opts.workspace),
        dryRun: Boolean(opts.dryRun),
      });
    });
}
