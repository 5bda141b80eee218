/**
 * packager: what `wharf package` puts in a .crate. The file selection cargo makes
 * (include/exclude rules, .gitignore in a git work tree, nested packages and target/ left
 * out), the archive list (Cargo.toml.orig, generated Cargo.toml, Cargo.lock,
 * .cargo_vcs_info.json, readme and license files), the normalized manifest cargo writes,
 * and the pre-publish checks. Rules and text are pure; the walks and git calls are I/O.
 * May import @wharf/protocol, ../sources (git), ../workspace, ../util and node.
 */
export * from "./archive-list.js";
export * from "./file-filter.js";
export * from "./list-files.js";
export * from "./publish-checks.js";
export * from "./publish-manifest.js";
export * from "./toml-pretty.js";
export * from "./vcs-info.js";
