/**
 * `wharf run [--bin NAME | --example NAME] [-- ARGS]`: build, then run one binary with the
 * arguments after `--`, exiting with its status.
 */
import type { Command } from "@commander-js/extra-typings";
import { contextOf } from "../program.js";
import { addCompileOptions, buildOptionsFrom, type CompileFlags } from "./build.js";

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function registerRun(program: Command): void {
  addCompileOptions(
    program.command("run").alias("r").description("Run a binary or example of the local package"),
    false,
  )
    .option("--bin <NAME>", "Name of the bin target to run", collect, [] as string[])
    .option("--example <NAME>", "Name of the example target to run", collect, [] as string[])
    .argument("[args...]", "Arguments for the binary")
    .action(async (args: string[], opts, command) => {
      const ctx = contextOf(command);
      const flags = opts as CompileFlags;
      const options = buildOptionsFrom({ ...flags, exclude: [] }, "build", ctx.cwd);
      const code = await (await import("../../ops/run.js")).runBinary(ctx, options, args);
      if (code !== 0) process.exitCode = code;
    });
}
