/**
 * Static analysis of what runs at build time: a package's build script (with the modules it
 * `mod`s and the files it `include!`s) and proc-macro libraries (every source file). Pure:
 * the caller passes a parser and a reader for the package's files; findings come out with
 * file:line, severity and a one-line reason. Nothing is executed or resolved beyond the package.
 */
import {
  type AnalysedTarget,
  type BuildScriptFinding,
  type CrateAnalysis,
  severityRank,
} from "./build-script-finding.js";
import { FileVisitor, normalizePath, type PackageFileReader } from "./build-script-visitor.js";
import type { RustParser } from "./rust-parser.js";

export type { PackageFileReader } from "./build-script-visitor.js";

export interface AnalyzeBuildScriptInput {
  /** package-relative path of the build script (`build.rs`, or `package.build`) */
  entry: string;
  read: PackageFileReader;
  /** local dependency names → package names, for `package = "..."` renames */
  renames?: ReadonlyMap<string, string> | undefined;
}

export interface AnalyzeProcMacroInput {
  /** package-relative path of the library root (`src/lib.rs`) */
  entry: string;
  /** every `.rs` file under the library's directory; analysed even when no `mod` reaches it */
  files: readonly string[];
  read: PackageFileReader;
  renames?: ReadonlyMap<string, string> | undefined;
}

/** Files past this size are skipped (a real build script is a few KiB; this bounds parse time). */
export const MAX_ANALYSED_FILE_BYTES = 4 * 1024 * 1024;

const decoder = new TextDecoder("utf-8", { fatal: false });

function textOf(content: string | Uint8Array): string {
  return typeof content === "string" ? content : decoder.decode(content);
}

/**
 * tree-sitter-rust reads `try` as the 2018 keyword, so 2015-edition `try!(x)` becomes a syntax
 * error that hides `x` from the rules. `try_(x)` has the same length (positions stay exact)
 * and parses as a call whose arguments are ordinary expressions. 2018+ code cannot write
 * `try!` (only `r#try!`, left alone).
 */
export function edition2015Compatible(text: string): string {
  return text.replace(/(?<![\w#])try!(?=\s*\()/g, "try_");
}

interface QueuedFile {
  path: string;
  modRoot: boolean;
}

interface AnalysisRun {
  target: AnalysedTarget;
  entry: string;
  read: PackageFileReader;
  renames: ReadonlyMap<string, string>;
  /** analysed after everything `mod` reaches, unless only `#[cfg(test)]` declares them */
  rest: readonly QueuedFile[];
}

function analyse(parser: RustParser, run: AnalysisRun): CrateAnalysis {
  const { target, read, renames, rest } = run;
  const queue: QueuedFile[] = [{ path: run.entry, modRoot: true }];
  const seen = new Set<string>();
  const testOnly = new Set<string>();
  const files: string[] = [];
  const findings: BuildScriptFinding[] = [];
  let restQueued = false;
  for (;;) {
    if (queue.length === 0 && !restQueued) {
      restQueued = true;
      queue.push(...rest.filter((f) => !testOnly.has(normalizePath(f.path))));
    }
    const next = queue.shift();
    if (next === undefined) break;
    const path = normalizePath(next.path);
    if (seen.has(path)) continue;
    seen.add(path);
    const content = read(path);
    if (content === undefined) continue;
    files.push(path);
    if (content.length > MAX_ANALYSED_FILE_BYTES) {
      findings.push({
        rule: "parse-error",
        severity: "medium",
        file: path,
        line: 1,
        column: 1,
        message: `file is larger than ${MAX_ANALYSED_FILE_BYTES} bytes and was not analysed`,
      });
      continue;
    }
    const text = textOf(content);
    parser.parse(edition2015Compatible(text), ({ root }) => {
      const visitor = new FileVisitor({ path, text, target, modRoot: next.modRoot, read, renames }, root);
      visitor.visit(root);
      findings.push(...visitor.findings);
      for (const candidates of visitor.refs.modules) {
        const found = candidates.find((c) => read(c) !== undefined);
        if (found !== undefined) queue.push({ path: found, modRoot: found.endsWith("/mod.rs") });
      }
      for (const candidates of visitor.refs.testModules) for (const c of candidates) testOnly.add(c);
      // an included file is part of the including one: its `mod`s resolve the same way
      for (const inc of visitor.refs.includes) queue.push({ path: inc, modRoot: next.modRoot });
    });
  }
  return { target, files, findings: tidy(findings) };
}

/** One finding per file, line and rule (the most severe), sorted by position. */
function tidy(findings: readonly BuildScriptFinding[]): BuildScriptFinding[] {
  const best = new Map<string, BuildScriptFinding>();
  for (const f of findings) {
    const key = `${f.file}\0${f.line}\0${f.rule}`;
    const prev = best.get(key);
    if (prev === undefined || severityRank(f.severity) > severityRank(prev.severity)) best.set(key, f);
  }
  return [...best.values()].sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.column - b.column ||
      (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0),
  );
}

export function analyzeBuildScript(parser: RustParser, input: AnalyzeBuildScriptInput): CrateAnalysis {
  return analyse(parser, {
    target: "build-script",
    entry: input.entry,
    read: input.read,
    renames: input.renames ?? new Map(),
    rest: [],
  });
}

export function analyzeProcMacro(parser: RustParser, input: AnalyzeProcMacroInput): CrateAnalysis {
  const entry = normalizePath(input.entry);
  const rest = [...input.files].sort().map((f) => {
    const p = normalizePath(f);
    return { path: p, modRoot: /(?:^|\/)(?:mod|lib|main)\.rs$/.test(p) };
  });
  return analyse(parser, {
    target: "proc-macro",
    entry,
    read: input.read,
    renames: input.renames ?? new Map(),
    rest,
  });
}
