/**
 * `wharf new` and `wharf init`: create a package exactly as cargo 1.95 does (same files,
 * same bytes, same messages), so a project started with either tool is the same project.
 * The name rules live in @wharf/protocol's names module; this file decides what to write
 * and writes it.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { checkNewPackageName, validateRegistryName, WharfError } from "@wharf/protocol";
import type { Shell } from "../util/shell.js";
import { appendFile, createDirAll, writeFile } from "./new-fs.js";
import { rustDebugString, rustFileName, rustJoin, rustPathEq } from "./new-paths.js";
import {
  BIN_TEMPLATE,
  ignoreFileAddition,
  ignoreFilePaths,
  LIB_TEMPLATE,
  renderManifest,
  type SourceFileInformation,
  type VersionControl,
} from "./new-templates.js";
import { type Env, gitInit, isInGitWorkTree } from "./new-vcs.js";

export type { SourceFileInformation, VersionControl } from "./new-templates.js";

export const EDITIONS = ["2015", "2018", "2021", "2024"] as const;
export type Edition = (typeof EDITIONS)[number];
/** The edition cargo 1.95 writes when none is asked for. */
export const LATEST_STABLE_EDITION: Edition = "2024";

export type PackageKind = "bin" | "lib";

export interface NewOptions {
  bin?: boolean | undefined;
  lib?: boolean | undefined;
  /** package name; defaults to the directory name */
  name?: string | undefined;
  edition?: Edition | undefined;
  /** `git` or `none`; unset means git unless already inside a git work tree */
  vcs?: "git" | "none" | undefined;
  /** written as `publish = ["<registry>"]` */
  registry?: string | undefined;
}

export interface NewRequest {
  cwd: string;
  /** the path operand as the user typed it (`wharf init` defaults it to `.`) */
  path: string;
  options: NewOptions;
  shell: Shell;
  /** for HOME (init refuses it) and the environment `git` runs in */
  env?: Env | undefined;
}

export interface NewResult {
  /** the package directory, as cargo prints it */
  root: string;
  name: string;
  kind: PackageKind;
  vcs: VersionControl;
  /** files written or appended to, relative to root */
  files: string[];
}

function kindLabel(kind: PackageKind): string {
  return kind === "bin" ? "binary (application)" : "library";
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

interface ParsedOptions {
  requestedKind: PackageKind;
  autoDetectKind: boolean;
}

/** What cargo checks while parsing arguments, before it prints anything. */
function parseOptions(options: NewOptions): ParsedOptions {
  if (options.registry !== undefined) {
    const invalid = validateRegistryName(options.registry);
    if (invalid) throw new WharfError({ code: invalid.code, message: invalid.message });
  }
  if (options.bin && options.lib) {
    throw new WharfError({ code: "NEW_BIN_AND_LIB", message: "can't specify both lib and binary outputs" });
  }
  return { requestedKind: options.lib ? "lib" : "bin", autoDetectKind: !options.bin && !options.lib };
}

function packageName(path: string, options: NewOptions): string {
  if (options.name !== undefined) return options.name;
  const name = rustFileName(path);
  if (name === undefined) {
    throw new WharfError({
      code: "NEW_NO_NAME",
      message: `cannot auto-detect package name from path ${rustDebugString(path)} ; use --name to override`,
    });
  }
  return name;
}

/** A `:` would break `PATH`-style lists (e.g. when the package's bin dir is put on PATH). */
function checkPath(path: string, shell: Shell): void {
  if (path.includes(":")) {
    shell.warn(
      `the path \`${path}\` contains invalid PATH characters (usually \`:\`, \`;\`, or \`"\`)\n` +
        "It is recommended to use a different name to avoid problems.",
    );
  }
}

function checkName(name: string, nameFromDirectory: boolean, hasBin: boolean, shell: Shell): void {
  const check = checkNewPackageName(name, { nameFromDirectory, hasBin, windows: false });
  for (const warning of check.warnings) shell.warn(warning);
  if (check.error) {
    throw new WharfError({
      code: check.error.code,
      message: check.error.message,
      notes: check.error.notes,
      // cargo prints several `help:` lines; the renderer prefixes only the first
      hint: check.error.helps.length > 0 ? check.error.helps.join("\nhelp: ") : undefined,
    });
  }
}

interface MkOptions {
  path: string;
  name: string;
  vcs: VersionControl | undefined;
  sourceFiles: SourceFileInformation[];
  edition: Edition | undefined;
  registry: string | undefined;
}

function mk(request: NewRequest, opts: MkOptions): { vcs: VersionControl; files: string[] } {
  const env = request.env ?? {};
  const { path } = opts;
  const files: string[] = [];
  // A package inside someone's work tree belongs to that repository (cargo's rule); one in
  // an ignored directory does not.
  const vcs: VersionControl =
    opts.vcs ?? (isInGitWorkTree(resolve(path, ".."), request.cwd, env) ? "none" : "git");

  if (vcs === "git") {
    if (!existsSync(join(path, ".git"))) {
      createDirAll(path);
      gitInit(path, request.cwd, env);
    }
  } else {
    // hg/pijul/fossil are only ever detected (their directory exists), never initialised.
    createDirAll(path);
  }

  if (vcs !== "none") {
    if (vcs === "fossil") createDirAll(join(path, ".fossil-settings"));
    for (const relative of ignoreFilePaths(vcs)) {
      const file = join(path, relative);
      let existing: string | undefined;
      try {
        existing = readFileSync(file, "utf8");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      }
      appendFile(file, ignoreFileAddition(vcs, existing));
      files.push(relative);
    }
  }

  writeFile(
    join(path, "Cargo.toml"),
    renderManifest({
      name: opts.name,
      edition: opts.edition ?? LATEST_STABLE_EDITION,
      registry: opts.registry,
      sourceFiles: opts.sourceFiles,
    }),
  );
  files.push("Cargo.toml");

  for (const source of opts.sourceFiles) {
    const file = join(path, source.relativePath);
    if (isFile(file)) continue;
    createDirAll(dirname(file));
    // The templates are already rustfmt-clean, so cargo's rustfmt pass would not change them.
    writeFile(file, source.bin ? BIN_TEMPLATE : LIB_TEMPLATE);
    files.push(source.relativePath);
  }

  request.shell.note(
    "see more `Cargo.toml` keys and their definitions at https://doc.rust-lang.org/cargo/reference/manifest.html",
  );
  return { vcs, files };
}

function mkWithContext(request: NewRequest, opts: MkOptions): { vcs: VersionControl; files: string[] } {
  try {
    return mk(request, opts);
  } catch (error) {
    throw new WharfError({
      code: "NEW_FAILED",
      message: `failed to create package \`${opts.name}\` at \`${opts.path}\``,
      cause: error,
    });
  }
}

/** `wharf new <path>`: a new directory holding a fresh package. */
export function newPackage(request: NewRequest): NewResult {
  const { options, shell } = request;
  const parsed = parseOptions(options);
  const path = rustJoin(request.cwd, request.path);
  const name = packageName(path, options);
  const kind = parsed.requestedKind;
  shell.status("Creating", `${kindLabel(kind)} \`${name}\` package`);

  if (existsSync(path)) {
    throw new WharfError({
      code: "NEW_DESTINATION_EXISTS",
      message: `destination \`${path}\` already exists\n\nUse \`wharf init\` to initialize the directory`,
    });
  }
  checkPath(path, shell);
  checkName(name, options.name === undefined, kind === "bin", shell);

  const sourceFiles = [{ relativePath: kind === "bin" ? "src/main.rs" : "src/lib.rs", bin: kind === "bin" }];
  const made = mkWithContext(request, {
    path,
    name,
    vcs: options.vcs,
    sourceFiles,
    edition: options.edition,
    registry: options.registry,
  });
  return { root: path, name, kind, vcs: made.vcs, files: made.files };
}

/**
 * Sources `init` adopts, in cargo's order: a bin at src/main.rs or main.rs, a file named
 * after the package (a bin if it has `fn main`), a lib at src/lib.rs or lib.rs.
 */
function detectSourceFiles(path: string, name: string): SourceFileInformation[] {
  const candidates: { relativePath: string; handling: "bin" | "lib" | "detect" }[] = [
    { relativePath: "src/main.rs", handling: "bin" },
    { relativePath: "main.rs", handling: "bin" },
    { relativePath: `src/${name}.rs`, handling: "detect" },
    { relativePath: `${name}.rs`, handling: "detect" },
    { relativePath: "src/lib.rs", handling: "lib" },
    { relativePath: "lib.rs", handling: "lib" },
  ];
  const found: SourceFileInformation[] = [];
  for (const candidate of candidates) {
    const file = join(path, candidate.relativePath);
    if (!isFile(file)) continue;
    const bin =
      candidate.handling === "detect"
        ? readFileSync(file, "utf8").includes("fn main")
        : candidate.handling === "bin";
    found.push({ relativePath: candidate.relativePath, bin });
  }

  let firstBin: SourceFileInformation | undefined;
  let firstLib: SourceFileInformation | undefined;
  for (const file of found) {
    if (file.bin) {
      if (firstBin) {
        throw new WharfError({
          code: "INIT_AMBIGUOUS_BIN",
          message:
            `multiple possible binary sources found:\n  ${firstBin.relativePath}\n  ${file.relativePath}\n` +
            "cannot automatically generate Cargo.toml as the main target would be ambiguous",
        });
      }
      firstBin = file;
    } else {
      if (firstLib) throw multipleLibraries(firstLib.relativePath, file.relativePath);
      firstLib = file;
    }
  }
  return found;
}

function multipleLibraries(a: string, b: string): WharfError {
  return new WharfError({
    code: "INIT_MULTIPLE_LIBS",
    message: `cannot have a package with multiple libraries, found both \`${a}\` and \`${b}\``,
  });
}

/** An existing VCS directory decides the ignore file; two of them make it ambiguous. */
function detectVcs(path: string): VersionControl | undefined {
  const found = (["git", "hg", "pijul", "fossil"] as const).filter((vcs) =>
    existsSync(join(path, `.${vcs}`)),
  );
  if (found.length > 1) {
    throw new WharfError({
      code: "INIT_MULTIPLE_VCS",
      message:
        "more than one of .hg, .git, .pijul, .fossil configurations found and the ignore file can't be " +
        "filled in as a result. specify --vcs to override detection",
    });
  }
  return found[0];
}

/** `wharf init [path]`: make a package of an existing (or new) directory, adopting its sources. */
export function initPackage(request: NewRequest): NewResult {
  const { options, shell } = request;
  const parsed = parseOptions(options);
  const path = rustJoin(request.cwd, request.path);

  const home = request.env?.HOME;
  if (home && rustPathEq(path, home)) {
    throw new WharfError({
      code: "INIT_IN_HOME",
      message:
        "cannot create package in the home directory\n\n" +
        "help: use `wharf init <path>` to create a package in a different directory",
    });
  }
  const name = packageName(path, options);
  const sourceFiles = detectSourceFiles(path, name);
  const kind: PackageKind = parsed.autoDetectKind
    ? sourceFiles.length > 0 && !sourceFiles.some((f) => f.bin)
      ? "lib"
      : "bin"
    : parsed.requestedKind;
  // cargo names the requested kind here, not the detected one
  shell.status("Creating", `${kindLabel(parsed.requestedKind)} package`);

  if (existsSync(join(path, "Cargo.toml"))) {
    throw new WharfError({
      code: "INIT_EXISTING_PACKAGE",
      message: "`wharf init` cannot be run on existing Cargo packages",
      hint: "use `wharf new` to create a package in a new subdirectory",
    });
  }
  checkPath(path, shell);

  const hasBin = kind === "bin";
  const first = sourceFiles[0];
  if (first === undefined) {
    sourceFiles.push({ relativePath: hasBin ? "src/main.rs" : "src/lib.rs", bin: hasBin });
  } else if (sourceFiles.length === 1 && first.bin !== hasBin) {
    // The only source is of the other kind: take it as the kind asked for, but say so.
    shell.warn(`file \`${first.relativePath}\` seems to be a ${kindLabel(first.bin ? "bin" : "lib")} file`);
    first.bin = hasBin;
  } else if (sourceFiles.length > 1 && !hasBin) {
    throw multipleLibraries(first.relativePath, sourceFiles[1]!.relativePath);
  }

  checkName(name, options.name === undefined, hasBin, shell);

  const vcs = options.vcs ?? detectVcs(path);
  const made = mkWithContext(request, {
    path,
    name,
    vcs,
    sourceFiles,
    edition: options.edition,
    registry: options.registry,
  });
  return { root: path, name, kind, vcs: made.vcs, files: made.files };
}
