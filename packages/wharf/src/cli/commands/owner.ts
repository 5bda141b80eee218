/**
 * `wharf owner`: list, add or remove the owners of a crate on the registry.
 */
import type { Command } from "@commander-js/extra-typings";
import { contextOf } from "../program.js";

function collect(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(",").filter((v) => v !== "")];
}

export function registerOwner(program: Command): void {
  program
    .command("owner")
    .description("Manage the owners of a crate on the registry")
    .argument("[crate]", "The crate")
    .option("-a, --add <LOGIN>", "Name of a user or team to invite as an owner", collect, [] as string[])
    .option("-r, --remove <LOGIN>", "Name of a user or team to remove as an owner", collect, [] as string[])
    .option("-l, --list", "List owners of a crate")
    .option("--registry <REGISTRY>", "Registry to use")
    .action(async (crate, opts, command) => {
      await (await import("../../ops/owner.js")).owner(contextOf(command), {
        crate,
        add: opts.add,
        remove: opts.remove,
        list: opts.list === true,
        registry: opts.registry,
      });
    });
}
