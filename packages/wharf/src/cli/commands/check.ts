/**
 * `wharf check`: type-check the selected packages and their dependencies (metadata only).
 */
import type { Command } from "@commander-js/extra-typings";
import { contextOf } from "../program.js";
import { addCompileOptions, buildOptionsFrom, type CompileFlags } from "./build.js";

export function registerCheck(program: Command): void {
  addCompileOptions(
    program
      .command("check")
      .alias("c")
      .description("Check a local package and all of its dependencies for errors"),
  ).action(async (opts, command) => {
    const ctx = contextOf(command);
    await (await import("../../ops/build.js")).build(
      ctx,
      buildOptionsFrom(opts as CompileFlags, "check", ctx.cwd),
    );
  });
}
