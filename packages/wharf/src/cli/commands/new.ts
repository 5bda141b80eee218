/**
 * `wharf new PATH` and `wharf init [PATH]`: create a package as cargo does. Argument
 * parsing only; ../../ops/new.ts does the work.
 */
import { type Command, Option } from "@commander-js/extra-typings";
import { EDITIONS, initPackage, type NewOptions, newPackage } from "../../ops/new.js";
import { contextOf } from "../program.js";

// cargo's `arg_new_opts` plus `--registry`, shared by both commands. Only git and none
// are offered for --vcs: Wharf does not drive hg, pijul or fossil.
const vcsOption = () =>
  new Option(
    "--vcs <VCS>",
    "Initialize a new repository for the given version control system, overriding a global configuration.",
  ).choices(["git", "none"] as const);
const editionOption = () =>
  new Option("--edition <YEAR>", "Edition to set for the crate generated").choices(EDITIONS);
const BIN_HELP = "Use a binary (application) template [default]";
const LIB_HELP = "Use a library template";
const NAME_HELP = "Set the resulting package name, defaults to the directory name";
const REGISTRY_HELP = "Registry to use";

export function registerNew(program: Command): void {
  program
    .command("new")
    .description("Create a new cargo package at <path>")
    .argument("<path>")
    .addOption(vcsOption())
    .option("--bin", BIN_HELP)
    .option("--lib", LIB_HELP)
    .addOption(editionOption())
    .option("--name <NAME>", NAME_HELP)
    .option("--registry <REGISTRY>", REGISTRY_HELP)
    .action((path, options, command) => {
      const ctx = contextOf(command);
      const opts: NewOptions = { ...options };
      newPackage({ cwd: ctx.cwd, path, options: opts, shell: ctx.shell, env: ctx.env });
    });
}

export function registerInit(program: Command): void {
  program
    .command("init")
    .description("Create a new cargo package in an existing directory")
    .argument("[path]", "", ".")
    .addOption(vcsOption())
    .option("--bin", BIN_HELP)
    .option("--lib", LIB_HELP)
    .addOption(editionOption())
    .option("--name <NAME>", NAME_HELP)
    .option("--registry <REGISTRY>", REGISTRY_HELP)
    .action((path, options, command) => {
      const ctx = contextOf(command);
      const opts: NewOptions = { ...options };
      initPackage({ cwd: ctx.cwd, path, options: opts, shell: ctx.shell, env: ctx.env });
    });
}
