/**
 * `wharf logout`: remove a registry's token from WHARF_HOME/credentials.toml.
 */
import type { Command } from "@commander-js/extra-typings";
import { contextOf } from "../program.js";

export function registerLogout(program: Command): void {
  program
    .command("logout")
    .description("Remove an API token from the registry locally")
    .option("--registry <REGISTRY>", "Registry to use")
    .action(async (opts, command) => {
      (await import("../../ops/login.js")).logout(contextOf(command), { registry: opts.registry });
    });
}
