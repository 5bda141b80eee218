/**
 * `wharf search`: search packages in the registry.
 */
import type { Command } from "@commander-js/extra-typings";
import { contextOf } from "../program.js";

export function registerSearch(program: Command): void {
  program
    .command("search")
    .description("Search packages in the registry. Default registry is crates.io")
    .argument("<query...>", "What to search for")
    .option("--limit <LIMIT>", "Limit the number of results (default: 10, max: 100)", "10")
    .option("--registry <REGISTRY>", "Registry to search packages in")
    .action(async (query, opts, command) => {
      await (await import("../../ops/search.js")).search(contextOf(command), {
        query: query.join(" "),
        limit: Number.parseInt(opts.limit, 10) || 10,
        registry: opts.registry,
      });
    });
}
