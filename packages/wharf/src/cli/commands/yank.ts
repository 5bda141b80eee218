/**
 * `wharf yank`: remove a pushed version from the index (or restore it with --undo).
 */
import type { Command } from "@commander-js/extra-typings";
import { contextOf } from "../program.js";

export function registerYank(program: Command): void {
  program
    .command("yank")
    .description("Remove a pushed crate from the index")
    .argument("[crate]", "The crate to yank (`name` or `name@version`)")
    // `--version` is the program's own flag (commander reads it before the subcommand), so
    // only cargo's other spelling is offered; `name@version` works as in cargo
    .option("--vers <VERSION>", "The version to yank or un-yank")
    .option("--undo", "Undo a yank, putting a version back into the index")
    .option("--registry <REGISTRY>", "Registry to use")
    .action(async (crate, opts, command) => {
      await (await import("../../ops/yank.js")).yank(contextOf(command), {
        crate,
        version: opts.vers,
        undo: opts.undo === true,
        registry: opts.registry,
      });
    });
}
