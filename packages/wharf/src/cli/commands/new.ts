/**
 * `wharf new PATH` and `wharf init [PATH]`: create a package as cargo does.
 */
import type { Command } from "@commander-js/extra-typings";
import { WharfError } from "@wharf/protocol";

export function registerNew(program: Command): void {
  program
    .command("new")
    .description("Create a new cargo package at <path>")
    .argument("<path>")
    .action(() => {
      throw new WharfError({ code: "NOT_IMPLEMENTED", message: "`wharf new` is not implemented yet" });
    });
}

export function registerInit(program: Command): void {
  program
    .command("init")
    .description("Create a new cargo package in an existing directory")
    .argument("[path]")
    .action(() => {
      throw new WharfError({ code: "NOT_IMPLEMENTED", message: "`wharf init` is not implemented yet" });
    });
}
