/**
 * `wharf metadata`: the workspace as machine-readable JSON, the same as `cargo metadata`.
 */
import type { Command } from "@commander-js/extra-typings";
import { WharfError } from "@wharf/protocol";

export function registerMetadata(program: Command): void {
  program
    .command("metadata")
    .description("Output the resolved dependencies of a package in machine-readable format")
    .action(() => {
      throw new WharfError({ code: "NOT_IMPLEMENTED", message: "`wharf metadata` is not implemented yet" });
    });
}
