/**
 * Parses a build script's stdout (pure): both the `cargo::KEY=VALUE` syntax and the older
 * `cargo:KEY=VALUE` one, in which an unknown KEY is metadata for dependents (DEP_<links>_KEY).
 * The result is what cargo keeps in `output` and applies to the package's rustc runs.
 */
import { WharfError } from "@wharf/protocol";

export type LinkArgKind = "all" | "bins" | "bin" | "tests" | "examples" | "benches" | "cdylib";

export interface BuildOutput {
  linkLibs: string[];
  linkSearch: string[];
  linkArgs: { kind: LinkArgKind; bin?: string | undefined; arg: string }[];
  cfgs: string[];
  checkCfgs: string[];
  env: [string, string][];
  metadata: [string, string][];
  rerunIfChanged: string[];
  rerunIfEnvChanged: string[];
  warnings: string[];
  errors: string[];
}

export function emptyBuildOutput(): BuildOutput {
  return {
    linkLibs: [],
    linkSearch: [],
    linkArgs: [],
    cfgs: [],
    checkCfgs: [],
    env: [],
    metadata: [],
    rerunIfChanged: [],
    rerunIfEnvChanged: [],
    warnings: [],
    errors: [],
  };
}

const KNOWN = new Set([
  "rustc-flags",
  "rustc-link-lib",
  "rustc-link-search",
  "rustc-link-arg",
  "rustc-link-arg-bins",
  "rustc-link-arg-bin",
  "rustc-link-arg-tests",
  "rustc-link-arg-examples",
  "rustc-link-arg-benches",
  "rustc-cdylib-link-arg",
  "rustc-cfg",
  "rustc-check-cfg",
  "rustc-env",
  "warning",
  "error",
  "rerun-if-changed",
  "rerun-if-env-changed",
  "metadata",
]);

function bad(what: string, line: string, pkg: string): WharfError {
  return new WharfError({
    code: "BUILD_SCRIPT_OUTPUT",
    message: `invalid output in build script of \`${pkg}\`: \`${line}\``,
    hint: what,
  });
}

/** `-l foo -L bar` from `rustc-flags` */
function parseFlags(value: string, out: BuildOutput, line: string, pkg: string): void {
  const words = value.split(/\s+/).filter((w) => w !== "");
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    let flag: string;
    let arg: string | undefined;
    if (w === "-l" || w === "-L") {
      flag = w;
      arg = words[++i];
    } else if (w.startsWith("-l") || w.startsWith("-L")) {
      flag = w.slice(0, 2);
      arg = w.slice(2);
    } else throw bad("only `-l` and `-L` flags are allowed in `rustc-flags`", line, pkg);
    if (arg === undefined || arg === "") throw bad("a flag in `rustc-flags` is missing its value", line, pkg);
    if (flag === "-l") out.linkLibs.push(arg);
    else out.linkSearch.push(arg);
  }
}

export function parseBuildOutput(stdout: string, pkg: string): BuildOutput {
  const out = emptyBuildOutput();
  for (const raw of stdout.split("\n")) {
    const line = raw.replace(/\r$/, "");
    let rest: string;
    let newSyntax: boolean;
    if (line.startsWith("cargo::")) {
      rest = line.slice("cargo::".length);
      newSyntax = true;
    } else if (line.startsWith("cargo:")) {
      rest = line.slice("cargo:".length);
      newSyntax = false;
    } else continue;
    const eq = rest.indexOf("=");
    if (eq < 0) {
      if (newSyntax) throw bad("expected `cargo::KEY=VALUE`", line, pkg);
      continue;
    }
    const key = rest.slice(0, eq).trim();
    const value = rest.slice(eq + 1).trim();
    if (!KNOWN.has(key) || (!newSyntax && key === "metadata")) {
      if (newSyntax) throw bad(`unknown build script instruction \`${key}\``, line, pkg);
      out.metadata.push([key, value]);
      continue;
    }
    switch (key) {
      case "rustc-flags":
        parseFlags(value, out, line, pkg);
        break;
      case "rustc-link-lib":
        out.linkLibs.push(value);
        break;
      case "rustc-link-search":
        out.linkSearch.push(value);
        break;
      case "rustc-link-arg":
        out.linkArgs.push({ kind: "all", arg: value });
        break;
      case "rustc-link-arg-bins":
        out.linkArgs.push({ kind: "bins", arg: value });
        break;
      case "rustc-link-arg-bin": {
        const e = value.indexOf("=");
        if (e < 0) throw bad("expected `rustc-link-arg-bin=BIN=ARG`", line, pkg);
        out.linkArgs.push({ kind: "bin", bin: value.slice(0, e), arg: value.slice(e + 1) });
        break;
      }
      case "rustc-link-arg-tests":
        out.linkArgs.push({ kind: "tests", arg: value });
        break;
      case "rustc-link-arg-examples":
        out.linkArgs.push({ kind: "examples", arg: value });
        break;
      case "rustc-link-arg-benches":
        out.linkArgs.push({ kind: "benches", arg: value });
        break;
      case "rustc-cdylib-link-arg":
        out.linkArgs.push({ kind: "cdylib", arg: value });
        break;
      case "rustc-cfg":
        out.cfgs.push(value);
        break;
      case "rustc-check-cfg":
        out.checkCfgs.push(value);
        break;
      case "rustc-env": {
        const e = value.indexOf("=");
        if (e < 0) throw bad("expected `rustc-env=VAR=VALUE`", line, pkg);
        out.env.push([value.slice(0, e), value.slice(e + 1)]);
        break;
      }
      case "warning":
        out.warnings.push(value);
        break;
      case "error":
        out.errors.push(value);
        break;
      case "rerun-if-changed":
        out.rerunIfChanged.push(value);
        break;
      case "rerun-if-env-changed":
        out.rerunIfEnvChanged.push(value);
        break;
      case "metadata": {
        const e = value.indexOf("=");
        if (e < 0) throw bad("expected `metadata=KEY=VALUE`", line, pkg);
        out.metadata.push([value.slice(0, e), value.slice(e + 1)]);
        break;
      }
    }
  }
  return out;
}

/** Whether a link-arg directive applies to a unit of the script's own package. */
export function linkArgApplies(
  a: BuildOutput["linkArgs"][number],
  target: { kind: string; name: string; crateTypes: readonly string[] },
): boolean {
  switch (a.kind) {
    case "all":
      return target.kind === "bin" || target.kind === "example" || target.crateTypes.includes("cdylib");
    case "bins":
      return target.kind === "bin";
    case "bin":
      return target.kind === "bin" && target.name === a.bin;
    case "examples":
      return target.kind === "example";
    case "tests":
      return target.kind === "test";
    case "benches":
      return target.kind === "bench";
    case "cdylib":
      return target.crateTypes.includes("cdylib");
  }
}
