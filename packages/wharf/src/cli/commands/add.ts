/**
 * `wharf add`: add dependencies to a Cargo.toml, as `cargo add` does.
 */
// the operation (HTTP client, resolver, cache) is loaded on demand so other commands start fast
import type { Command } from "@commander-js/extra-typings";
import { contextOf } from "../program.js";

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function registerAdd(program: Command): void {
  // commander folds --x / --no-x into one value; cargo lets the later flag win, so record the order
  const seen: string[] = [];
  const cmd = program.command("add");
  for (const name of ["default-features", "no-default-features", "optional", "no-optional"])
    cmd.on(`option:${name}`, () => seen.push(name));
  cmd
    .description("Add dependencies to a Cargo.toml manifest file")
    .argument("[DEP_ID...]", "Reference to a package to add as a dependency")
    .option("--no-default-features", "Disable the default features")
    .option("--default-features", "Re-enable the default features")
    .option("-F, --features <FEATURES>", "Space or comma separated list of features to activate", collect, [])
    .option("--optional", "Mark the dependency as optional")
    .option("--no-optional", "Mark the dependency as required")
    .option("--rename <NAME>", "Rename the dependency")
    .option("--dry-run", "Don't actually write the manifest")
    .option("-p, --package <SPEC>", "Package to modify", collect, [])
    .option("--manifest-path <PATH>", "Path to Cargo.toml")
    .option("--ignore-rust-version", "Ignore `rust-version` specification in packages")
    .option("--path <PATH>", "Filesystem path to local crate to add")
    .option("--git <URI>", "Git repository location")
    .option("--branch <BRANCH>", "Git branch to download the crate from")
    .option("--tag <TAG>", "Git tag to download the crate from")
    .option("--rev <REV>", "Git reference to download the crate from")
    .option("--registry <NAME>", "Package registry for this dependency")
    .option("--dev", "Add as development dependency")
    .option("--build", "Add as build dependency")
    .option("--target <TARGET>", "Add as dependency to the given target platform")
    .action(async (crates, opts, command) => {
      const last = (yes: string, no: string): boolean | undefined => {
        const y = seen.lastIndexOf(yes);
        const n = seen.lastIndexOf(no);
        return y < 0 && n < 0 ? undefined : y > n;
      };
      const { WharfError } = await import("@wharf/protocol");
      if (opts.dev && opts.build)
        throw new WharfError({
          code: "ADD_ARGS",
          message: "the argument '--dev' cannot be used with '--build'",
        });
      if (opts.dev && last("optional", "no-optional") !== undefined)
        throw new WharfError({
          code: "ADD_ARGS",
          message: "the argument '--optional' cannot be used with '--dev'",
        });
      const kind = opts.dev ? "dev" : opts.build ? "build" : "normal";
      await (await import("../../ops/add.js")).add(contextOf(command), {
        manifestPath: opts.manifestPath,
        packages: opts.package,
        crates,
        section: { kind, target: opts.target },
        dryRun: opts.dryRun === true,
        rename: opts.rename,
        path: opts.path,
        git: opts.git,
        branch: opts.branch,
        tag: opts.tag,
        rev: opts.rev,
        registry: opts.registry === "crates-io" ? undefined : opts.registry,
        features: opts.features,
        defaultFeatures: last("default-features", "no-default-features"),
        optional: last("optional", "no-optional"),
        ignoreRustVersion: opts.ignoreRustVersion === true,
      });
    });
}
