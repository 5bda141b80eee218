/**
 * `wharf test [TESTNAME] [-- ARGS]` (and the flags `wharf bench` shares): build the test
 * harnesses, run them with the filter and harness arguments, then the doc tests; limits
 * for each test binary and `--sandbox`.
 */
import { totalmem } from "node:os";
import type { Command } from "@commander-js/extra-typings";
import { WharfError } from "@wharf/protocol";
import type { TestOptions } from "../../ops/test.js";
import { contextOf } from "../program.js";
import { addCompileOptions, buildOptionsFrom, type CompileFlags } from "./build.js";

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export interface TestFlags extends CompileFlags {
  test: string[];
  tests?: true | undefined;
  bench: string[];
  benches?: true | undefined;
  doc?: true | undefined;
  /** commander turns `--no-run` / `--no-fail-fast` into `run: false` / `failFast: false` */
  run?: boolean | undefined;
  failFast?: boolean | undefined;
  timeout?: string | undefined;
  memoryLimit?: string | undefined;
  processLimit?: string | undefined;
  sandbox?: true | undefined;
}

/** The options `wharf test` and `wharf bench` take besides the compile options. */
// biome-ignore lint/suspicious/noExplicitAny: commander's typed builder changes type with each option
export function addTestOptions<C extends Command<any, any, any>>(cmd: C, intent: "test" | "bench"): C {
  let c = addCompileOptions(cmd)
    .option("--test <NAME>", "Test only the specified test target", collect, [] as string[])
    .option("--tests", "Test all targets that have `test = true` set")
    .option("--bench <NAME>", "Test only the specified bench target", collect, [] as string[])
    .option("--benches", "Test all targets that have `bench = true` set")
    .option("--no-run", "Compile, but don't run tests")
    .option("--no-fail-fast", "Run all tests regardless of failure")
    .option("--timeout <SECS>", "Wall-clock limit for each test binary (default 1h)")
    .option("--memory-limit <SIZE>", "Memory limit for each test binary (default 3/4 of RAM, min 4GiB)")
    .option("--process-limit <N>", "Limit on processes and threads of each test binary (default 4096)")
    .option(
      "--sandbox",
      "Run each test binary in the sandbox (temp dir, no HOME, no network)",
    ) as unknown as C;
  if (intent === "test") c = c.option("--doc", "Test only this library's documentation") as unknown as C;
  return c;
}

export async function testOptionsFrom(
  flags: TestFlags,
  operands: string[],
  intent: "test" | "bench",
  ctx: { cwd: string; env: Readonly<Record<string, string | undefined>> },
  operandsHadName = false,
): Promise<TestOptions> {
  const { isFiltered, limitsFrom } = await import("../../test-runner/index.js");
  const build = buildOptionsFrom(flags, "build", ctx.cwd);
  if (flags.profile === undefined && !flags.release) build.profile = intent === "bench" ? "bench" : "test";
  const s = build.selection;
  const tests = {
    lib: s.lib,
    bins: s.bins,
    allBins: s.allBins,
    tests: flags.test ?? [],
    allTests: flags.tests === true,
    examples: s.examples,
    allExamples: s.allExamples,
    benches: flags.bench ?? [],
    allBenches: flags.benches === true,
    allTargets: s.allTargets,
    doc: flags.doc === true,
  };
  if (tests.doc && isFiltered(tests))
    throw new WharfError({
      code: "CLI_CONFLICT",
      message: "can't mix --doc with other target selecting options",
    });
  if (tests.doc && flags.run === false)
    throw new WharfError({ code: "CLI_CONFLICT", message: "can't skip running doc tests with --no-run" });
  // a TESTNAME means the user knows what to run: every test target, no examples or doc tests
  if (intent === "test" && operands.length > 0 && operandsHadName && !tests.doc && !isFiltered(tests))
    tests.allTests = true;
  return {
    build,
    tests,
    intent,
    noRun: flags.run === false,
    noFailFast: flags.failFast === false,
    args: operands,
    limits: limitsFrom(flags, ctx.env, totalmem()),
    sandbox: flags.sandbox === true,
  };
}

/** whether TESTNAME was written as such, not as the first word after `--` (clap tells them apart) */
// biome-ignore lint/suspicious/noExplicitAny: any commander command
function namedBeforeDashes(command: Command<any, any, any>, testname: string | undefined): boolean {
  if (testname === undefined) return false;
  // biome-ignore lint/suspicious/noExplicitAny: any commander command
  let root: Command<any, any, any> = command;
  while (root.parent) root = root.parent;
  const raw = (root as unknown as { rawArgs?: string[] }).rawArgs ?? [];
  const dashes = raw.indexOf("--");
  return dashes < 0 || raw.slice(0, dashes).includes(testname);
}

export function registerTest(program: Command): void {
  addTestOptions(
    program
      .command("test")
      .alias("t")
      .description("Execute all unit and integration tests and build examples of a local package"),
    "test",
  )
    .argument("[TESTNAME]", "If specified, only run tests containing this string in their names")
    .argument("[args...]", "Arguments for the test binary")
    .action(async (testname: string | undefined, args: string[], opts, command) => {
      const ctx = contextOf(command);
      // --no-sandbox (building) makes commander default `sandbox` to true: only an explicit
      // --sandbox (running) counts
      if (command.getOptionValueSource("sandbox") !== "cli")
        (opts as { sandbox?: boolean }).sandbox = undefined;
      const operands = [...(testname === undefined ? [] : [testname]), ...args];
      const options = await testOptionsFrom(
        opts as TestFlags,
        operands,
        "test",
        ctx,
        namedBeforeDashes(command, testname),
      );
      const code = await (await import("../../ops/test.js")).runTests(ctx, options);
      if (code !== 0) process.exitCode = code;
    });
}
