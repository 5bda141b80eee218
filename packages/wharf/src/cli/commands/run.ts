/**
 * `wharf run [--bin NAME | --example NAME] [-- ARGS]`: build, then run one binary with the
 * arguments after `--`, exiting with its status; `--sandbox` runs it with the running policy.
 */
import { totalmem } from "node:os";
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
    .option("--sandbox", "Run the program in the sandbox (temp dir, no HOME, no network) with limits")
    .option("--timeout <SECS>", "Wall-clock limit with --sandbox (default 1h)")
    .option("--memory-limit <SIZE>", "Memory limit with --sandbox")
    .option("--process-limit <N>", "Process and thread limit with --sandbox")
    .argument("[args...]", "Arguments for the binary")
    .action(async (args: string[], opts, command) => {
      const ctx = contextOf(command);
      // --no-sandbox (building) makes commander default `sandbox` to true: only an explicit
      // --sandbox (running) counts
      if (command.getOptionValueSource("sandbox") !== "cli")
        (opts as { sandbox?: boolean }).sandbox = undefined;
      const flags = opts as CompileFlags;
      const options = buildOptionsFrom({ ...flags, exclude: [] }, "build", ctx.cwd);
      const { limitsFrom } = await import("../../test-runner/index.js");
      const sandboxed = opts.sandbox ? { limits: limitsFrom(opts, ctx.env, totalmem()) } : undefined;
      const code = await (await import("../../ops/run.js")).runBinary(ctx, options, args, sandboxed);
      if (code !== 0) process.exitCode = code;
    });
}
