/**
 * `wharf doc [--no-deps] [--open]`: build the documentation of the selected packages and
 * their dependencies into target/doc, as cargo does; `--open` prints the page's path.
 */
import type { Command } from "@commander-js/extra-typings";
import { contextOf } from "../program.js";
import { addCompileOptions, buildOptionsFrom, type CompileFlags } from "./build.js";

export function registerDoc(program: Command): void {
  addCompileOptions(program.command("doc").alias("d").description("Build a package's documentation"))
    .option("--no-deps", "Don't build documentation for dependencies")
    .option("--open", "Print the path of the documentation's front page once built")
    .action(async (opts, command) => {
      const ctx = contextOf(command);
      const flags = opts as CompileFlags & { deps?: boolean; open?: true };
      await (await import("../../ops/doc.js")).doc(ctx, {
        build: buildOptionsFrom(flags, "check", ctx.cwd),
        noDeps: flags.deps === false,
        open: flags.open === true,
      });
    });
}
