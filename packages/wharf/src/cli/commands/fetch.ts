/**
 * `wharf fetch`: download and verify every package Cargo.lock names.
 */
// the operation (HTTP client, resolver, cache) is loaded on demand so other commands start fast
import type { Command } from "@commander-js/extra-typings";
import { contextOf } from "../program.js";

export function registerFetch(program: Command): void {
  program
    .command("fetch")
    .description("Fetch dependencies of a package from the network")
    .option("--manifest-path <PATH>", "Path to Cargo.toml")
    .action(async (opts, command) => {
      await (await import("../../ops/fetch.js")).fetchLocked(contextOf(command), {
        manifestPath: opts.manifestPath,
      });
    });
}
