/**
 * `wharf run`: pick the one binary to run (--bin, --example, `default-run`, or the only bin),
 * build it, then run it with the arguments given, stdio inherited, as cargo does. The
 * program is the user's own, started by the user: it runs with their environment (plus
 * cargo's CARGO_* variables), not in the build sandbox, unless `--sandbox` asks for the
 * running policy (test-sandbox.ts: cleared environment, temp dir, no network, limits).
 */
import { spawn } from "node:child_process";
import { relative } from "node:path";
import { WharfError } from "@wharf/protocol";
import type { CliContext } from "../cli/context.js";
import { type RunLimits, runLimited } from "../test-runner/index.js";
import { type BuildOptions, type BuildResult, build } from "./build.js";
import { selectedMembers } from "./build-select.js";
import { loadConfigFor, loadWorkspaceFor } from "./load.js";
import { openRunSandbox } from "./test-sandbox.js";

function pickTarget(ctx: CliContext, options: BuildOptions): { kind: "bin" | "example"; name: string } {
  const config = loadConfigFor(ctx);
  const ws = loadWorkspaceFor(ctx, config, options.manifestPath);
  const sel = options.selection;
  if (sel.bins.length + sel.examples.length > 1) {
    throw new WharfError({ code: "RUN_MANY", message: "`wharf run` can run at most one executable" });
  }
  if (sel.bins.length === 1) return { kind: "bin", name: sel.bins[0]! };
  if (sel.examples.length === 1) return { kind: "example", name: sel.examples[0]! };
  const members = selectedMembers(ws, { ...sel, workspace: false });
  const bins = members.flatMap((m) => m.targets.filter((t) => t.kind === "bin").map((t) => ({ m, t })));
  const defaults = members.flatMap((m) => (m.defaultRun === undefined ? [] : [m.defaultRun]));
  if (members.length === 1 && defaults.length === 1) return { kind: "bin", name: defaults[0]! };
  if (bins.length === 1) return { kind: "bin", name: bins[0]!.t.name };
  if (bins.length === 0) {
    throw new WharfError({
      code: "RUN_NO_BIN",
      message: "a bin target must be available for `wharf run`",
      hint: "add a src/main.rs or a [[bin]] target",
    });
  }
  throw new WharfError({
    code: "RUN_WHICH_BIN",
    message:
      "`wharf run` could not determine which binary to run. Use the `--bin` option to specify a binary, or the `default-run` manifest key.",
    notes: [`available binaries: ${bins.map((b) => b.t.name).join(", ")}`],
  });
}

/** `--sandbox`: the program runs with the test runner's policy and limits */
export interface RunSandboxOptions {
  limits: RunLimits;
}

export async function runBinary(
  ctx: CliContext,
  options: BuildOptions,
  args: readonly string[],
  sandboxed?: RunSandboxOptions,
): Promise<number> {
  const target = pickTarget(ctx, options);
  const result = await build(ctx, {
    ...options,
    selection: {
      ...options.selection,
      bins: target.kind === "bin" ? [target.name] : [],
      examples: target.kind === "example" ? [target.name] : [],
    },
  });
  const exe =
    target.kind === "bin" ? result.executables.get(target.name) : result.exampleExecutables.get(target.name);
  if (exe === undefined) {
    throw new WharfError({
      code: "RUN_NOT_BUILT",
      message: `the ${target.kind} \`${target.name}\` was not built`,
    });
  }
  const shown = relative(ctx.cwd, exe);
  const display = shown.startsWith("..") ? exe : shown;
  ctx.shell.status("Running", `\`${[display, ...args].join(" ")}\``);
  if (sandboxed !== undefined) return runSandboxed(ctx, result, exe, args, sandboxed.limits);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(ctx.env)) if (v !== undefined) env[k] = v;
  return new Promise((resolvePromise, reject) => {
    const child = spawn(exe, [...args], { cwd: ctx.cwd, env, stdio: "inherit" });
    child.on("error", reject);
    child.on("close", (code, signal) => resolvePromise(code ?? (signal ? 128 + 9 : 1)));
  });
}

async function runSandboxed(
  ctx: CliContext,
  built: BuildResult,
  exe: string,
  args: readonly string[],
  limits: RunLimits,
): Promise<number> {
  const sandbox = openRunSandbox(ctx.env);
  try {
    const r = await runLimited({
      program: exe,
      args,
      cwd: ctx.cwd,
      env: sandbox.env,
      limits,
      stdout: (t) => ctx.shell.stdout.write(t),
      stderr: (t) => ctx.shell.stderr.write(t),
      sandbox: {
        impl: sandbox.impl,
        reads: [ctx.cwd, built.targetDir, built.rustc.sysroot],
        writeDir: sandbox.writeDir,
      },
      cgroups: ctx.env.WHARF_TEST_NO_CGROUPS !== "1",
    });
    if (r.limit !== undefined) {
      const what = { time: "time", memory: "memory", processes: "process" }[r.limit];
      throw new WharfError({
        code: "RUN_LIMIT",
        message: `\`${exe}\` was stopped by its ${what} limit`,
        hint: "raise it with --timeout, --memory-limit or --process-limit",
      });
    }
    return r.code ?? 101;
  } finally {
    sandbox.cleanup();
  }
}
