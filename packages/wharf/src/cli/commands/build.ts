/**
 * `wharf build` (and the compile options `check` and `run` share): compile the selected
 * packages and targets with cargo's flags.
 */
// the operation (resolver, registry client, builder) is loaded on demand so other commands start fast
import { availableParallelism } from "node:os";
import type { Command } from "@commander-js/extra-typings";
import { WharfError } from "@wharf/protocol";
import type { BuildOptions } from "../../ops/build.js";
import { contextOf } from "../program.js";

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export interface CompileFlags {
  package: string[];
  workspace?: true | undefined;
  exclude: string[];
  lib?: true | undefined;
  bin: string[];
  bins?: true | undefined;
  example: string[];
  examples?: true | undefined;
  allTargets?: true | undefined;
  features: string[];
  allFeatures?: true | undefined;
  defaultFeatures?: boolean | undefined;
  release?: true | undefined;
  profile?: string | undefined;
  jobs?: string | undefined;
  keepGoing?: true | undefined;
  targetDir?: string | undefined;
  messageFormat?: string | undefined;
  manifestPath?: string | undefined;
  /** commander's negation of --sandbox: false means `--no-sandbox` */
  sandbox?: boolean | undefined;
}

/** Options every compiling command takes; `withTargets` adds the target selection flags. */
// biome-ignore lint/suspicious/noExplicitAny: commander's typed builder changes type with each option
export function addCompileOptions<C extends Command<any, any, any>>(cmd: C, withTargets = true): C {
  let c = cmd
    .option("-p, --package <SPEC>", "Package to build (see `cargo help pkgid`)", collect, [] as string[])
    .option(
      "-F, --features <FEATURES>",
      "Space or comma separated list of features to activate",
      collect,
      [] as string[],
    )
    .option("--all-features", "Activate all available features")
    .option("--no-default-features", "Do not activate the `default` feature")
    .option("-r, --release", "Build artifacts in release mode, with optimizations")
    .option("--profile <PROFILE-NAME>", "Build artifacts with the specified profile")
    .option("-j, --jobs <N>", "Number of parallel jobs, defaults to # of CPUs.")
    .option("--keep-going", "Do not abort the build as soon as there is an error")
    .option("--target-dir <DIRECTORY>", "Directory for all generated artifacts")
    .option("--message-format <FMT>", "Error format: human or json")
    .option("--manifest-path <PATH>", "Path to Cargo.toml")
    .option(
      "--no-sandbox",
      "Run build scripts and proc macros unconfined (no bubblewrap); prints a warning",
    ) as unknown as C;
  if (withTargets) {
    c = c
      .option("--workspace", "Build all packages in the workspace")
      .option("--exclude <SPEC>", "Exclude packages from the build", collect, [] as string[])
      .option("--lib", "Build only this package's library")
      .option("--bin <NAME>", "Build only the specified binary", collect, [] as string[])
      .option("--bins", "Build all binaries")
      .option("--example <NAME>", "Build only the specified example", collect, [] as string[])
      .option("--examples", "Build all examples")
      .option("--all-targets", "Build all targets") as unknown as C;
  }
  return c;
}

export function buildOptionsFrom(opts: CompileFlags, mode: "build" | "check", cwd: string): BuildOptions {
  if (opts.release && opts.profile !== undefined && opts.profile !== "release") {
    throw new WharfError({
      code: "CLI_CONFLICT",
      message: "conflicting usage of --profile and --release",
      hint: "the `--release` flag is the same as `--profile=release`; remove one flag or the other",
    });
  }
  let jobs: number | undefined;
  if (opts.jobs !== undefined) {
    if (!/^-?\d+$/.test(opts.jobs) || Number(opts.jobs) === 0)
      throw new WharfError({
        code: "CLI_JOBS",
        message: `invalid value '${opts.jobs}' for '--jobs <N>'`,
        hint: "jobs may not be 0",
      });
    const n = Number(opts.jobs);
    jobs = n < 0 ? Math.max(1, availableParallelism() + n) : n;
  }
  const format = opts.messageFormat ?? "human";
  if (!["human", "json", "short"].includes(format.split(",")[0]!)) {
    throw new WharfError({
      code: "CLI_MESSAGE_FORMAT",
      message: `invalid message format specifier: \`${format}\``,
    });
  }
  const features = opts.features.flatMap((v) => v.split(/[\s,]+/)).filter((f) => f !== "");
  return {
    manifestPath: opts.manifestPath,
    mode,
    selection: {
      packages: opts.package,
      workspace: opts.workspace === true,
      exclude: opts.exclude ?? [],
      lib: opts.lib === true,
      bins: opts.bin ?? [],
      allBins: opts.bins === true,
      examples: opts.example ?? [],
      allExamples: opts.examples === true,
      allTargets: opts.allTargets === true,
    },
    features: {
      features: [...new Set(features)],
      allFeatures: opts.allFeatures === true,
      defaultFeatures: opts.defaultFeatures !== false,
    },
    profile: opts.profile ?? (opts.release ? "release" : mode === "check" ? "dev" : "dev"),
    jobs,
    keepGoing: opts.keepGoing === true,
    targetDir: opts.targetDir === undefined ? undefined : resolvePath(cwd, opts.targetDir),
    messageFormat: format.startsWith("json") ? "json" : "human",
    noSandbox: opts.sandbox === false,
  };
}

function resolvePath(cwd: string, p: string): string {
  return p.startsWith("/") ? p : `${cwd.replace(/\/$/, "")}/${p}`;
}

export function registerBuild(program: Command): void {
  addCompileOptions(
    program.command("build").alias("b").description("Compile a local package and all of its dependencies"),
  ).action(async (opts, command) => {
    const ctx = contextOf(command);
    await (await import("../../ops/build.js")).build(
      ctx,
      buildOptionsFrom(opts as CompileFlags, "build", ctx.cwd),
    );
  });
}
