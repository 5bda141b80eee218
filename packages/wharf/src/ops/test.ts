/**
 * `wharf test` and `wharf bench` (cargo's `run_tests` / `run_benches`): build the test
 * harnesses with dev-dependencies, then run each executable in cargo's order with the
 * filter and the arguments after `--`, then the doc tests through `rustdoc --test`. Each
 * program runs under the time, memory and process limits (and in the Sandbox with
 * `--sandbox`); one stopped by a limit is reported by name and limit. Fail-fast stops at
 * the first failing target with its exit code; `--no-fail-fast` runs everything and ends
 * with cargo's `N targets failed` list (exit 101).
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { WharfError } from "@wharf/protocol";
import type { CliContext } from "../cli/context.js";
import { findProgram, type Unit } from "../compiler/index.js";
import type { Sandbox } from "../sandbox/index.js";
import {
  compareTestTargets,
  doctestArgs,
  formatBytes,
  formatDuration,
  type LimitedResult,
  nativeDirs,
  type RunLimits,
  rerunArgs,
  runLimited,
  type TestIntent,
  type TestSelection,
  testExecutable,
  testLabel,
  testProcessEnv,
  testUnitsFor,
} from "../test-runner/index.js";
import { type BuildOptions, type BuildResult, build } from "./build.js";
import { openRunSandbox } from "./test-sandbox.js";

export interface TestOptions {
  build: BuildOptions;
  tests: TestSelection;
  intent: TestIntent;
  noRun: boolean;
  noFailFast: boolean;
  /** the filter and everything after `--`, handed to each harness */
  args: readonly string[];
  limits: RunLimits;
  /** run each test binary through the Sandbox */
  sandbox: boolean;
  /** a Sandbox to use instead of the default (tests) */
  sandboxImpl?: Sandbox | undefined;
}

interface Failure {
  unit: Unit;
  doctest: boolean;
}

function limitMessage(what: string, r: LimitedResult, limits: RunLimits): string {
  switch (r.limit) {
    case "time":
      return `${what} was stopped: it ran longer than the time limit of ${formatDuration(limits.timeoutMs)} (--timeout)`;
    case "memory":
      return `${what} was stopped: it used more than the memory limit of ${formatBytes(limits.memoryBytes)} (--memory-limit)`;
    case "processes":
      return `${what} was stopped: it started more than the process limit of ${limits.maxProcesses} processes and threads (--process-limit)`;
    default:
      return "";
  }
}

function exitDescription(r: LimitedResult): string {
  return r.code === null ? `signal: ${r.signal ?? "unknown"}` : `exit status: ${r.code}`;
}

export async function runTests(ctx: CliContext, options: TestOptions): Promise<number> {
  const { intent } = options;
  const built: BuildResult = await build(ctx, {
    ...options.build,
    units: (pkg, enabled) => testUnitsFor(pkg, options.tests, intent, enabled),
    hasDev: true,
  });
  const { layout, graph, rustc } = built;
  mkdirSync(join(built.targetDir, "tmp"), { recursive: true });
  const key = (u: Unit) => ({ pkgName: u.pkg.name, pkgVersion: u.pkg.version, target: u.target });
  const tests = graph.roots
    .filter((u) => u.mode === "test")
    .sort((a, b) => compareTestTargets(key(a), key(b)));
  const doctests = [...graph.doctests].sort((a, b) => compareTestTargets(key(a), key(b)));
  const execType = intent === "bench" ? "benches" : "unittests";
  const json = options.build.messageFormat === "json";
  if (options.noRun) {
    if (!json)
      for (const u of tests)
        ctx.shell.status("Executable", testLabel(u, testExecutable(layout, u), ctx.cwd, execType));
    return 0;
  }

  const sel = options.build.selection;
  const specFlag = sel.packages.length > 0 || sel.exclude.length > 0 || built.members.length > 1;
  const rerun = (f: Failure) =>
    `${specFlag ? `-p ${f.unit.pkg.name} ` : ""}${rerunArgs(f.unit.target, f.doctest)}`;
  const quiet = ctx.shell.verbosity === "quiet";
  const native = nativeDirs(layout, graph.units);
  const sysrootLib = join(rustc.sysroot, "lib", "rustlib", rustc.host, "lib");
  const cargoPath = findProgram("cargo", ctx.env, ctx.cwd);
  const userEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(ctx.env)) if (v !== undefined) userEnv[k] = v;
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const failures: Failure[] = [];

  /** runs one program; a failure throws (fail-fast) or is reported and recorded */
  const runOne = async (
    unit: Unit,
    doctest: boolean,
    program: string,
    args: string[],
    cwd: string,
  ): Promise<void> => {
    const sandbox = options.sandbox ? openRunSandbox(ctx.env, options.sandboxImpl) : undefined;
    try {
      const env = testProcessEnv({
        unit,
        layout,
        base: sandbox?.env ?? userEnv,
        cargoPath,
        sysrootLib,
        native,
      });
      ctx.shell.verbose("Running", `\`${[program, ...args].join(" ")}\``);
      const r = await runLimited({
        program,
        args,
        cwd,
        env,
        limits: options.limits,
        stdout: (t) => ctx.shell.stdout.write(t),
        stderr: (t) => ctx.shell.stderr.write(t),
        inheritStdout: false,
        sandbox:
          sandbox === undefined
            ? undefined
            : {
                impl: sandbox.impl,
                reads: [unit.pkg.root, built.targetDir, rustc.sysroot],
                writeDir: sandbox.writeDir,
              },
        signal: abort.signal,
        cgroups: ctx.env.WHARF_TEST_NO_CGROUPS !== "1",
      });
      if (r.code === 0 && r.limit === undefined) return;
      if (abort.signal.aborted) throw new WharfError({ code: "TEST_INTERRUPTED", message: "interrupted" });
      const failure = { unit, doctest };
      failures.push(failure);
      const which = doctest ? "doctest failed" : intent === "bench" ? "bench failed" : "test failed";
      const simple = r.code === 101 && r.limit === undefined;
      const shownProgram = doctest ? "rustdoc" : program;
      const causes: string[] = [];
      if (r.limit !== undefined) causes.push(limitMessage(`\`${shownProgram}\``, r, options.limits));
      if (!simple)
        causes.push(`process didn't exit successfully: \`${shownProgram}\` (${exitDescription(r)})`);
      const nocapture = options.args.includes("--nocapture") || options.args.includes("--no-capture");
      const abnormal =
        !simple && r.code !== null && unit.target.harness && !nocapture && r.limit === undefined;
      const error = new WharfError({
        code: r.limit === undefined ? "TEST_FAILED" : "TEST_LIMIT",
        message: `${which}, to rerun pass \`${rerun(failure)}\``,
        cause:
          causes.length === 0
            ? undefined
            : new WharfError({ code: "TEST_PROCESS", message: causes.join("\n") }),
        notes: abnormal
          ? ["test exited abnormally; to see the full output pass --no-capture to the harness."]
          : [],
        // fail-fast exits with the harness's own status, as cargo does
        exitCode: r.code !== null && r.code !== 0 && r.limit === undefined ? r.code : 101,
      });
      if (!options.noFailFast) throw error;
      ctx.shell.error(error);
    } finally {
      sandbox?.cleanup();
    }
  };

  try {
    for (const unit of tests) {
      const exe = testExecutable(layout, unit);
      ctx.shell.status("Running", testLabel(unit, exe, ctx.cwd, "unittests"));
      const args = [...options.args];
      if (intent === "bench") args.push("--bench");
      if (unit.target.harness && quiet) args.push("--quiet");
      await runOne(unit, false, exe, args, unit.pkg.root);
    }
    const rustdoc = join(rustc.sysroot, "bin", "rustdoc");
    const color =
      ctx.env.CARGO_TERM_COLOR === "always"
        ? "always"
        : ctx.env.CARGO_TERM_COLOR === "never"
          ? "never"
          : "auto";
    for (const unit of intent === "test" ? doctests : []) {
      ctx.shell.status("Doc-tests", unit.target.name);
      const args = doctestArgs({
        unit,
        layout,
        wsRoot: built.wsRoot,
        color,
        testArgs: options.args,
        quiet,
        native,
        rustdocflags: [],
        messageFormat: json ? "json" : "human",
      });
      await runOne(unit, true, rustdoc, args, unit.isMember ? built.wsRoot : unit.pkg.root);
    }
  } finally {
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
  }
  if (failures.length === 0) return 0;
  const list = failures.map((f) => `    \`${rerun(f)}\``).join("\n");
  throw new WharfError({
    code: "TEST_FAILED",
    message: `${failures.length === 1 ? "1 target" : `${failures.length} targets`} failed:\n${list}`,
  });
}
