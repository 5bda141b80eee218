/**
 * Builds the commander program: global options like cargo's, then one small file per
 * command under ./commands. Commands are thin: parse arguments, call one operation in
 * ../ops, print what it returns.
 */
import { Command, CommanderError, Option } from "@commander-js/extra-typings";
import { ExitCode, WharfError } from "@wharf/protocol";
import { type ColorChoice, Shell, type Verbosity } from "../util/shell.js";
import { COMMANDS } from "./commands/index.js";
import type { CliContext, GlobalOptions } from "./context.js";

export const WHARF_VERSION = "0.1.0";

type AnyCommand = { parent: AnyCommand | null };
const CONTEXTS = new WeakMap<object, CliContext>();

export interface RunOptions {
  argv: readonly string[];
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  stdout: { write(chunk: string): unknown; isTTY?: boolean | undefined };
  stderr: { write(chunk: string): unknown; isTTY?: boolean | undefined };
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function buildProgram(run: RunOptions, onContext: (ctx: CliContext) => void): Command {
  const program = new Command("wharf")
    .description("Wharf: a security-hardened, Cargo-compatible Rust package manager")
    .version(`wharf ${WHARF_VERSION}`, "-V, --version", "Print version info and exit")
    .option("-v, --verbose", "Use verbose output")
    .option("-q, --quiet", "Do not print cargo log messages")
    .addOption(new Option("--color <WHEN>", "Coloring").choices(["auto", "always", "never"] as const))
    .option("--config <KEY=VALUE|PATH>", "Override a configuration value", collect, [] as string[])
    .option("--offline", "Run without accessing the network")
    .option("--locked", "Assert that `Cargo.lock` will remain unchanged")
    .option("--frozen", "Equivalent to specifying both --locked and --offline")
    .option("-Z <FLAG>", "Unstable (nightly-only) flags, accepted and ignored", collect, [] as string[])
    .showHelpAfterError(false)
    .configureOutput({
      writeOut: (s) => run.stdout.write(s),
      writeErr: (s) => run.stderr.write(s),
    })
    .exitOverride();

  program.hook("preAction", (_this, action) => {
    const o = action.optsWithGlobals() as {
      verbose?: boolean;
      quiet?: boolean;
      color?: ColorChoice;
      config?: string[];
      offline?: boolean;
      locked?: boolean;
      frozen?: boolean;
      Z?: string[];
    };
    const verbosity: Verbosity = o.quiet ? "quiet" : o.verbose ? "verbose" : "normal";
    const shell = new Shell({
      stdout: run.stdout,
      stderr: run.stderr,
      color: o.color,
      verbosity,
      env: run.env,
    });
    const globals: GlobalOptions = {
      config: o.config ?? [],
      offline: Boolean(o.offline || o.frozen),
      locked: Boolean(o.locked || o.frozen),
      frozen: Boolean(o.frozen),
      unstable: o.Z ?? [],
    };
    for (const flag of globals.unstable) shell.warn(`ignoring unstable flag \`-Z ${flag}\`: wharf has none`);
    const ctx: CliContext = { cwd: run.cwd, env: run.env, shell, globals };
    CONTEXTS.set(program, ctx);
    onContext(ctx);
  });

  for (const register of COMMANDS) register(program);
  return program;
}

/** Runs one CLI invocation and returns its exit code; never throws. */
export async function runCli(run: RunOptions): Promise<number> {
  let ctx: CliContext | undefined;
  const program = buildProgram(run, (c) => {
    ctx = c;
  });
  try {
    await program.parseAsync([...run.argv], { from: "user" });
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version") return ExitCode.ok;
      if (error.code === "commander.help") return ExitCode.ok;
      // commander already printed its message
      return ExitCode.usage;
    }
    const shell = ctx?.shell ?? new Shell({ stdout: run.stdout, stderr: run.stderr, env: run.env });
    shell.error(error);
    return error instanceof WharfError ? error.exitCode : ExitCode.failure;
  }
}

/** Commands reach their context through this; set by the preAction hook. */
export function contextOf(command: AnyCommand): CliContext {
  let root: AnyCommand = command;
  while (root.parent) root = root.parent;
  const ctx = CONTEXTS.get(root);
  if (!ctx) throw new Error("CLI context missing: the preAction hook did not run");
  return ctx;
}
