/**
 * `wharf bench [BENCHNAME] [-- ARGS]`: build the `bench = true` targets with the bench
 * profile and run each harness with `--bench`, under the same limits as `wharf test`.
 */
import type { Command } from "@commander-js/extra-typings";
import { contextOf } from "../program.js";
import { addTestOptions, type TestFlags, testOptionsFrom } from "./test.js";

export function registerBench(program: Command): void {
  addTestOptions(program.command("bench").description("Execute all benchmarks of a local package"), "bench")
    .argument("[BENCHNAME]", "If specified, only run benches containing this string in their names")
    .argument("[args...]", "Arguments for the bench binary")
    .action(async (benchname: string | undefined, args: string[], opts, command) => {
      const ctx = contextOf(command);
      // --no-sandbox (building) makes commander default `sandbox` to true: only an explicit
      // --sandbox (running) counts
      if (command.getOptionValueSource("sandbox") !== "cli")
        (opts as { sandbox?: boolean }).sandbox = undefined;
      const operands = [...(benchname === undefined ? [] : [benchname]), ...args];
      const options = await testOptionsFrom(opts as TestFlags, operands, "bench", ctx);
      const code = await (await import("../../ops/test.js")).runTests(ctx, options);
      if (code !== 0) process.exitCode = code;
    });
}
