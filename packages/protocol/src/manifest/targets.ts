/**
 * Cargo's target conventions: explicit [lib]/[[bin]]/[[example]]/[[test]]/[[bench]] sections
 * merged with what the directory layout implies (src/lib.rs, src/main.rs, src/bin/*.rs,
 * src/bin/<name>/main.rs, examples/, tests/, benches/, build.rs), validated, and turned into
 * Targets with cargo's defaults for doc, doctest, test and bench.
 */
import { WharfError } from "../errors/index.js";
import type { FileProbe } from "./file-probe.js";
import type { Target } from "./package.js";
import { compareStrings } from "./parse-manifest.js";
import { extension, fileStem, joinPath, normalizePath } from "./paths.js";
import type { Edition, PackageBuild, TomlTarget } from "./types.js";
import { EDITIONS } from "./types.js";

type Kind = "bin" | "example" | "test" | "bench";
const HUMAN: Record<Kind | "lib", string> = {
  lib: "library",
  bin: "binary",
  example: "example",
  test: "test",
  bench: "benchmark",
};
const DIR: Record<Exclude<Kind, "bin">, string> = { example: "examples", test: "tests", bench: "benches" };
const AUTO_FLAG: Record<Kind, string> = {
  bin: "autobins",
  example: "autoexamples",
  test: "autotests",
  bench: "autobenches",
};

/** Names cargo reserves in target/ for its own directories. */
const CONFLICTING_ARTIFACT_NAMES = ["deps", "examples", "build", "incremental"];

function targetError(message: string): WharfError {
  return new WharfError({ code: "MANIFEST_INVALID_TARGET", message });
}

export interface TargetContext {
  root: string;
  packageName: string;
  edition: Edition;
  probe: FileProbe;
  warnings: string[];
  /** non-fatal target problems cargo collects and reports together */
  errors: string[];
}

function inferFromDirectory(ctx: TargetContext, rel: string): [string, string][] {
  const entries = ctx.probe.readDir(joinPath(ctx.root, rel));
  if (!entries) return [];
  const out: [string, string][] = [];
  for (const e of entries) {
    if (e.name.startsWith(".")) continue;
    if (e.isDir) {
      const main = `${rel}/${e.name}/main.rs`;
      if (ctx.probe.exists(joinPath(ctx.root, main))) out.push([e.name, main]);
    } else if (extension(e.name) === "rs") {
      out.push([fileStem(e.name), `${rel}/${e.name}`]);
    }
  }
  return out;
}

function inferredBins(ctx: TargetContext): [string, string][] {
  const out: [string, string][] = [];
  if (ctx.probe.exists(joinPath(ctx.root, "src/main.rs"))) out.push([ctx.packageName, "src/main.rs"]);
  out.push(...inferFromDirectory(ctx, "src/bin"));
  return out;
}

function validateTargetName(t: TomlTarget, kind: Kind | "lib"): string {
  if (t.name === undefined) throw targetError(`${HUMAN[kind]} target ${kind}.name is required`);
  if (t.name.trim() === "") throw targetError(`${HUMAN[kind]} target names cannot be empty`);
  return t.name;
}

function deprecatedUnderscore(
  ctx: TargetContext,
  old: unknown,
  current: unknown,
  name: string,
  options: { key: string; what: string },
): void {
  if (old === undefined) return;
  const oldKey = options.key.replace(/-/g, "_");
  if (current !== undefined) {
    ctx.warnings.push(
      `\`${oldKey}\` is redundant with \`${options.key}\`, preferring \`${options.key}\` in the \`${name}\` ${options.what}`,
    );
  } else if (ctx.edition === "2024") {
    throw targetError(
      `\`${oldKey}\` is unsupported as of the 2024 edition; instead use \`${options.key}\`\n(in the \`${name}\` ${options.what})`,
    );
  } else {
    ctx.warnings.push(
      `\`${oldKey}\` is deprecated in favor of \`${options.key}\` and will not work in the 2024 edition\n(in the \`${name}\` ${options.what})`,
    );
  }
}

function crateTypes(t: TomlTarget): string[] | undefined {
  return t.crateType ?? t.crateType2;
}
function procMacro(t: TomlTarget): boolean | undefined {
  return t.procMacro ?? t.procMacro2;
}

function validateCommon(ctx: TargetContext, t: TomlTarget, kind: Kind | "lib"): void {
  const name = t.name ?? "";
  deprecatedUnderscore(ctx, t.procMacro2, t.procMacro, name, {
    key: "proc-macro",
    what: `${HUMAN[kind]} target`,
  });
  deprecatedUnderscore(ctx, t.crateType2, t.crateType, name, {
    key: "crate-type",
    what: `${HUMAN[kind]} target`,
  });
}

function allNamedWithPaths(targets: TomlTarget[] | undefined): boolean {
  return (targets ?? []).every((t) => t.name !== undefined && t.path !== undefined);
}

function mergeWithInferred(
  ctx: TargetContext,
  toml: TomlTarget[] | undefined,
  inferred: [string, string][],
  options: { kind: Kind; autodiscover: boolean | undefined },
): TomlTarget[] {
  const inferredTargets: TomlTarget[] = inferred.map(([name, path]) => ({ name, path }));
  let result: TomlTarget[];
  if (toml === undefined) {
    result = options.autodiscover === false ? [] : inferredTargets;
  } else {
    result = [...toml];
    const abs = (t: TomlTarget) => (t.path === undefined ? undefined : joinPath(ctx.root, t.path));
    const names = new Set(toml.map((t) => t.name));
    const paths = new Set(toml.map(abs));
    const rest = inferredTargets.filter((t) => !names.has(t.name) && !paths.has(abs(t)));
    let autodiscover = options.autodiscover;
    if (autodiscover === undefined) {
      if (ctx.edition === "2015") {
        if (rest.length > 0) {
          const list = rest.map((t) => `* ${t.path}\n`).join("");
          ctx.warnings.push(
            `An explicit [[${options.kind}]] section is specified in Cargo.toml which currently\n` +
              `disables Cargo from automatically inferring other ${HUMAN[options.kind]} targets.\n` +
              `This inference behavior will change in the Rust 2018 edition and the following\n` +
              `files will be included as a ${HUMAN[options.kind]} target:\n\n${list}\n` +
              `This is likely to break cargo build or cargo test as these files may not be\n` +
              `ready to be compiled as a ${HUMAN[options.kind]} target today. You can future-proof yourself\n` +
              `and disable this warning by adding \`${AUTO_FLAG[options.kind]} = false\` to your [package]\n` +
              "section. You may also move the files to a location where Cargo would not\n" +
              "automatically infer them to be a target, such as in subfolders.\n\n" +
              "For more information on this warning you can consult\nhttps://github.com/rust-lang/cargo/issues/5330",
          );
        }
        autodiscover = false;
      } else {
        autodiscover = true;
      }
    }
    if (autodiscover) result.push(...rest);
  }
  return result.sort((a, b) => compareStrings(a.name ?? "", b.name ?? ""));
}

function targetPath(
  ctx: TargetContext,
  t: TomlTarget,
  inferred: [string, string][],
  kind: Kind,
  legacy: (t: TomlTarget) => string | undefined,
): string {
  if (t.path !== undefined) return t.path;
  const name = t.name!;
  const matching = inferred.filter(([n]) => n === name).map(([, p]) => p);
  if (matching.length === 1) return matching[0]!;
  if (ctx.edition === "2015") {
    const l = legacy(t);
    if (l !== undefined) return l;
  }
  if (matching.length === 0) {
    const [file, dir] = possiblePaths(name, kind, false);
    const wrong = possiblePaths(name, kind, true)
      .map((w, i) => [w, possiblePaths(name, kind, false)[i]!] as const)
      .find(([w]) => ctx.probe.exists(joinPath(ctx.root, w)));
    if (wrong) {
      throw targetError(
        `can't find \`${name}\` ${kind} at default paths, but found a file at \`${wrong[0]}\`.\n` +
          `Perhaps rename the file to \`${wrong[1]}\` for target auto-discovery, or specify ${kind}.path if you want to use a non-default path.`,
      );
    }
    throw targetError(
      `can't find \`${name}\` ${kind} at \`${file}\` or \`${dir}\`. Please specify ${kind}.path if you want to use a non-default path.`,
    );
  }
  throw targetError(
    `cannot infer path for \`${name}\` ${kind}\nCargo doesn't know which to use because multiple target files found at \`${matching[0]}\` and \`${matching[1]}\`.`,
  );
}

function possiblePaths(name: string, kind: Kind, commonlyWrong: boolean): [string, string] {
  let dir: string;
  if (commonlyWrong) dir = kind === "bin" ? "src/bins" : kind;
  else dir = kind === "bin" ? "src/bin" : DIR[kind];
  return [`${dir}/${name}.rs`, `${dir}/${name}/main.rs`];
}

/** Normalized [lib], or undefined when the package has none. */
export function normalizeLib(
  ctx: TargetContext,
  lib: TomlTarget | undefined,
  autolib: boolean | undefined,
): TomlTarget | undefined {
  if (autolib === false && (lib === undefined || (lib.name !== undefined && lib.path !== undefined))) {
    if (!lib) return undefined;
    validateLibName(lib);
    validateCommon(ctx, lib, "lib");
    return { ...lib, path: normalizePath(lib.path!) };
  }
  const inferred = ctx.probe.exists(joinPath(ctx.root, "src/lib.rs")) ? "src/lib.rs" : undefined;
  let out: TomlTarget | undefined = lib ? { ...lib } : inferred ? { path: inferred } : undefined;
  if (!out) return undefined;
  out = { ...out, name: out.name ?? ctx.packageName.replace(/-/g, "_") };
  validateLibName(out);
  validateCommon(ctx, out, "lib");
  if (out.path === undefined) {
    if (inferred) out.path = inferred;
    else {
      const legacy = `src/${out.name}.rs`;
      if (ctx.edition === "2015" && ctx.probe.exists(joinPath(ctx.root, legacy))) {
        ctx.warnings.push(
          `path \`${legacy}\` was erroneously implicitly accepted for library \`${out.name}\`,\nplease rename the file to \`src/lib.rs\` or set lib.path in Cargo.toml`,
        );
        out.path = legacy;
      } else {
        throw targetError(
          `can't find library \`${out.name}\`, rename file to \`src/lib.rs\` or specify lib.path`,
        );
      }
    }
  }
  out.path = normalizePath(out.path);
  return out;
}

function validateLibName(lib: TomlTarget): void {
  const name = validateTargetName(lib, "lib");
  if (name.includes("-")) throw targetError(`library target names cannot contain hyphens: ${name}`);
}

export function normalizeBins(
  ctx: TargetContext,
  bins: TomlTarget[] | undefined,
  options: { autodiscover: boolean | undefined; hasLib: boolean },
): TomlTarget[] {
  const validate = (bin: TomlTarget) => {
    const name = validateTargetName(bin, "bin");
    if (CONFLICTING_ARTIFACT_NAMES.includes(name)) {
      throw targetError(
        `the binary target name \`${name}\` is forbidden, it conflicts with cargo's build directory names`,
      );
    }
    const types = crateTypes(bin);
    if (types !== undefined && types.length > 0) {
      ctx.errors.push(
        `the target \`${name}\` is a binary and can't have any crate-types set (currently "${types.join(", ")}")`,
      );
    } else if (types !== undefined) {
      validateCommon(ctx, bin, "bin");
    }
    if (procMacro(bin) === true) {
      ctx.errors.push(`the target \`${name}\` is a binary and can't have \`proc-macro\` set \`true\``);
    } else if (types === undefined) {
      validateCommon(ctx, bin, "bin");
    }
  };
  if (options.autodiscover === false && allNamedWithPaths(bins)) {
    return (bins ?? []).map((b) => {
      validate(b);
      return { ...b, path: normalizePath(b.path!) };
    });
  }
  const inferred = inferredBins(ctx);
  const merged = mergeWithInferred(ctx, bins, inferred, { kind: "bin", autodiscover: options.autodiscover });
  return merged.map((bin) => {
    validate(bin);
    const path = targetPath(ctx, bin, inferred, "bin", () => {
      const name = bin.name!;
      const candidates = [...(options.hasLib ? [] : [`src/${name}.rs`]), "src/main.rs", "src/bin/main.rs"];
      const found = candidates.find((c) => ctx.probe.exists(joinPath(ctx.root, c)));
      if (found) {
        ctx.warnings.push(
          `path \`${found}\` was erroneously implicitly accepted for binary \`${name}\`,\nplease set bin.path in Cargo.toml`,
        );
      }
      return found;
    });
    return { ...bin, path: normalizePath(path) };
  });
}

/** [[example]], [[test]] and [[bench]] share one procedure. */
export function normalizeTargetsOfKind(
  ctx: TargetContext,
  targets: TomlTarget[] | undefined,
  options: { kind: Exclude<Kind, "bin">; autodiscover: boolean | undefined },
): TomlTarget[] {
  const { kind } = options;
  if (options.autodiscover === false && allNamedWithPaths(targets)) {
    return (targets ?? []).map((t) => {
      validateTargetName(t, kind);
      validateCommon(ctx, t, kind);
      return { ...t, path: normalizePath(t.path!) };
    });
  }
  const inferred = inferFromDirectory(ctx, DIR[kind]);
  const merged = mergeWithInferred(ctx, targets, inferred, { kind, autodiscover: options.autodiscover });
  for (const t of merged) {
    validateTargetName(t, kind);
    validateCommon(ctx, t, kind);
  }
  const legacyWarnings: string[] = [];
  const out: TomlTarget[] = [];
  for (const t of merged) {
    try {
      const path = targetPath(ctx, t, inferred, kind, (target) => {
        if (
          kind !== "bench" ||
          target.name !== "bench" ||
          !ctx.probe.exists(joinPath(ctx.root, "src/bench.rs"))
        )
          return undefined;
        legacyWarnings.push(
          "path `src/bench.rs` was erroneously implicitly accepted for benchmark `bench`,\nplease set bench.path in Cargo.toml",
        );
        return "src/bench.rs";
      });
      out.push({ ...t, path: normalizePath(path) });
    } catch (error) {
      if (error instanceof WharfError) ctx.errors.push(error.message);
      else throw error;
    }
  }
  ctx.warnings.push(...legacyWarnings);
  return out;
}

export function normalizeBuild(
  build: PackageBuild | undefined,
  root: string,
  probe: FileProbe,
): PackageBuild {
  if (build === undefined) {
    return probe.isFile(joinPath(root, "build.rs"))
      ? { kind: "single", path: "build.rs" }
      : { kind: "auto", value: false };
  }
  if (build.kind === "auto") return build.value ? { kind: "single", path: "build.rs" } : build;
  if (build.kind === "single") {
    if (fileStem(build.path) === "") throw targetError("invalid `package.build` file name");
    return { kind: "single", path: normalizePath(build.path) };
  }
  for (const p of build.paths) if (fileStem(p) === "") throw targetError("invalid `package.build` file name");
  return build;
}

function parseEdition(value: string, what: string): Edition {
  if ((EDITIONS as readonly string[]).includes(value)) return value as Edition;
  throw targetError(
    `failed to parse the \`edition\` key of ${what}: supported edition values are ${EDITIONS.map((e) => `\`${e}\``).join(", ")}, but \`${value}\` is unknown`,
  );
}

function configure(ctx: TargetContext, t: TomlTarget, target: Target, kind: Kind | "lib"): Target {
  const out: Target = {
    ...target,
    test: t.test ?? target.test,
    doc: t.doc ?? target.doc,
    doctest: t.doctest ?? target.doctest,
    bench: t.bench ?? target.bench,
    harness: t.harness ?? target.harness,
    procMacro: procMacro(t) ?? target.procMacro,
    docScrapeExamples: t.docScrapeExamples,
    forHost: procMacro(t) ?? target.forHost,
  };
  if (t.edition !== undefined) {
    ctx.warnings.push(`\`edition\` is set on ${HUMAN[kind]} \`${target.name}\` which is deprecated`);
    out.edition = parseEdition(t.edition, `${HUMAN[kind]} \`${target.name}\``);
  }
  return out;
}

function baseTarget(ctx: TargetContext, name: string, path: string): Target {
  return {
    kind: "bin",
    crateTypes: ["bin"],
    name,
    srcPath: normalizePath(joinPath(ctx.root, path)),
    edition: ctx.edition,
    doc: false,
    doctest: false,
    test: true,
    bench: true,
    harness: true,
    procMacro: false,
    forHost: false,
  };
}

function checkUnique(targets: TomlTarget[], kind: string): void {
  const seen = new Set<string>();
  for (const t of targets) {
    if (seen.has(t.name!)) {
      throw targetError(
        `found duplicate ${kind} name ${t.name}, but all ${kind} targets must have a unique name`,
      );
    }
    seen.add(t.name!);
  }
}

export interface NormalizedTargets {
  lib?: TomlTarget | undefined;
  bins: TomlTarget[];
  examples: TomlTarget[];
  tests: TomlTarget[];
  benches: TomlTarget[];
  build: PackageBuild;
}

/** Normalized target sections -> Targets, in cargo's order (lib, bins, examples, tests, benches, build scripts). */
export function toTargets(ctx: TargetContext, n: NormalizedTargets): Target[] {
  const out: Target[] = [];
  if (n.lib) {
    const lib = n.lib;
    const types = crateTypes(lib);
    let kinds: string[];
    if (types?.includes("dylib") && types.includes("cdylib")) {
      throw targetError(`library \`${lib.name}\` cannot set the crate type of both \`dylib\` and \`cdylib\``);
    } else if (types?.includes("proc-macro")) {
      ctx.warnings.push(
        `library \`${lib.name}\` should only specify \`proc-macro = true\` instead of setting \`crate-type\``,
      );
      if (types.length > 1) throw targetError("cannot mix `proc-macro` crate type with others");
      kinds = ["proc-macro"];
    } else if (types) kinds = [...types];
    else if (procMacro(lib) === true) kinds = ["proc-macro"];
    else kinds = ["lib"];
    const t = {
      ...baseTarget(ctx, lib.name!, lib.path!),
      kind: "lib" as const,
      crateTypes: kinds,
      doc: true,
      doctest: true,
    };
    out.push(configure(ctx, lib, t, "lib"));
  }
  checkUnique(n.bins, "binary");
  for (const bin of n.bins) {
    const t = {
      ...baseTarget(ctx, bin.name!, bin.path!),
      kind: "bin" as const,
      doc: true,
      requiredFeatures: bin.requiredFeatures,
      binName: bin.filename,
    };
    out.push(configure(ctx, bin, t, "bin"));
  }
  checkUnique(n.examples, "example");
  for (const ex of n.examples) {
    const types = crateTypes(ex) ?? [];
    const isBin = types.length === 0 || types.every((c) => c === "bin");
    const t = {
      ...baseTarget(ctx, ex.name!, ex.path!),
      kind: "example" as const,
      crateTypes: isBin ? ["bin"] : types,
      requiredFeatures: ex.requiredFeatures,
      test: false,
      bench: false,
    };
    out.push(configure(ctx, ex, t, "example"));
  }
  checkUnique(n.tests, "test");
  for (const test of n.tests) {
    const t = {
      ...baseTarget(ctx, test.name!, test.path!),
      kind: "test" as const,
      requiredFeatures: test.requiredFeatures,
      bench: false,
    };
    out.push(configure(ctx, test, t, "test"));
  }
  checkUnique(n.benches, "bench");
  for (const bench of n.benches) {
    const t = {
      ...baseTarget(ctx, bench.name!, bench.path!),
      kind: "bench" as const,
      requiredFeatures: bench.requiredFeatures,
      test: false,
    };
    out.push(configure(ctx, bench, t, "bench"));
  }
  const scripts =
    n.build.kind === "single" ? [n.build.path] : n.build.kind === "multiple" ? n.build.paths : [];
  const stems = new Map<string, string[]>();
  for (const s of scripts) stems.set(fileStem(s), [...(stems.get(fileStem(s)) ?? []), s]);
  const dup = [...stems].filter(([, v]) => v.length > 1);
  if (dup.length > 0) {
    throw targetError(
      `found build scripts with duplicate file stems, but all build scripts must have a unique file stem${dup.map(([stem, paths]) => `\n  for stem \`${stem}\`: ${paths.join(", ")}`).join("")}`,
    );
  }
  for (const script of scripts) {
    out.push({
      ...baseTarget(ctx, `build-script-${fileStem(script)}`, script),
      kind: "custom-build",
      forHost: true,
      bench: false,
      test: false,
      docScrapeExamples: false,
    });
  }
  return out;
}
