/**
 * `wharf fetch`: download and verify every package Cargo.lock names.
 */
import type { Command } from "@commander-js/extra-typings";
import { fetchLocked } from "../../ops/fetch.js";
import { contextOf } from "../program.js";

export function registerFetch(program: Command): void {
  program
    .command("fetch")
    .description("Fetch dependencies of a package from the network")
    .option("--manifest-path <PATH>", "Path to Cargo.toml")
    .action(async (opts, command) => {
      await fetchLocked(contextOf(command), { manifestPath: opts.manifestPath });
    });
}
