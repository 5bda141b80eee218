/**
 * Judging the programs a build script or proc-macro runs (`Command::new(x)` and friends):
 * the program's origins (a literal name, $RUSTC, a path in OUT_DIR, bytes it downloaded)
 * and its literal arguments decide the severity.
 */
import type { BuildFindingSeverity } from "./build-script-finding.js";
import { hasKind, isStringLiteral, literalValue, type Origin, pathText } from "./build-script-origins.js";
import { isShell, isToolchainVariable, judgeProgramName, type ProgramVerdict } from "./build-script-rules.js";
import type { RustNode } from "./rust-parser.js";

/** Methods on a Command that take program arguments. */
const ARG_METHODS = new Set(["arg", "args"]);

/** String literals among a call's arguments, looking into arrays, `&[...]` and `vec![...]`. */
export function literalArguments(args: RustNode | null): string[] {
  if (args === null) return [];
  const out: string[] = [];
  const visit = (n: RustNode) => {
    if (isStringLiteral(n)) out.push(literalValue(n));
    else if (n.type !== "closure_expression") for (const c of n.namedChildren) if (c !== null) visit(c);
  };
  visit(args);
  return out;
}

/** The `.arg(..)`/`.args(..)` literals chained onto a `Command::new(..)` call. */
export function chainedArguments(call: RustNode): string[] {
  const out: string[] = [];
  let cur = call;
  while (cur.parent?.type === "field_expression" && cur.parent.parent?.type === "call_expression") {
    const method = cur.parent.childForFieldName("field")?.text ?? "";
    const outer = cur.parent.parent;
    if (ARG_METHODS.has(method)) out.push(...literalArguments(outer.childForFieldName("arguments")));
    cur = outer;
  }
  return out;
}

/** For `let mut c = Command::new(..)`, the variable, so later `c.arg(..)` calls count too. */
export function boundCommandVariable(call: RustNode): string | undefined {
  let cur = call;
  while (cur.parent?.type === "field_expression" && cur.parent.parent?.type === "call_expression") {
    cur = cur.parent.parent;
  }
  const parent = cur.parent;
  if (parent?.type !== "let_declaration") return undefined;
  const pattern = parent.childForFieldName("pattern");
  return pattern?.type === "identifier" ? pattern.text : undefined;
}

/** `c.arg("x")`, `c.args(["a"])` anywhere in a file, by receiver variable. */
export function argumentsByVariable(root: RustNode): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const visit = (n: RustNode) => {
    if (n.type === "call_expression") {
      const fn = n.childForFieldName("function");
      if (fn?.type === "field_expression" && ARG_METHODS.has(fn.childForFieldName("field")?.text ?? "")) {
        let recv = fn.childForFieldName("value");
        while (recv?.type === "call_expression") {
          recv = recv.childForFieldName("function")?.childForFieldName("value") ?? null;
        }
        if (recv?.type === "identifier") {
          const list = out.get(recv.text) ?? [];
          list.push(...literalArguments(n.childForFieldName("arguments")));
          out.set(recv.text, list);
        }
      }
    }
    for (const c of n.namedChildren) if (c !== null) visit(c);
  };
  visit(root);
  return out;
}

const DOWNLOAD_IN_ARGS =
  /\b(?:curl|wget|Invoke-WebRequest|iwr|DownloadString|DownloadFile|nc|ncat|scp)\b|https?:\/\/|ftp:\/\//i;

function max(verdicts: readonly ProgramVerdict[]): ProgramVerdict | undefined {
  const rank = (s: BuildFindingSeverity) => (s === "high" ? 2 : s === "medium" ? 1 : 0);
  let best: ProgramVerdict | undefined;
  for (const v of verdicts) if (best === undefined || rank(v.severity) > rank(best.severity)) best = v;
  return best;
}

export interface ProgramFacts {
  /** where the program expression's value comes from */
  origins: readonly Origin[];
  /** literal arguments passed to it */
  args: readonly string[];
  /** whether the program is a file this code wrote from downloaded or embedded bytes */
  writtenPayload: boolean;
}

export function judgeProgram(facts: ProgramFacts): ProgramVerdict {
  const { origins, args } = facts;
  if (facts.writtenPayload) {
    return { severity: "high", why: "runs a file it wrote from downloaded or embedded bytes" };
  }
  const payload = hasKind(origins, "downloaded", "embedded");
  if (payload) return { severity: "high", why: `runs a program taken from ${payload.kind} data` };
  const temp = hasKind(origins, "temp");
  if (temp) return { severity: "high", why: `runs a program from a temporary directory (${temp.detail})` };
  const verdicts: ProgramVerdict[] = [];
  // literals with spaces are messages (`expect("RUSTC not set")`), not program names
  const names = origins.filter((o) => o.kind === "literal" && !/\s/.test(o.detail) && o.detail !== "");
  for (const n of names) verdicts.push(judgeProgramName(n.detail, args[0]));
  for (const o of origins) {
    if (o.kind === "toolchain")
      verdicts.push({ severity: "info", why: `runs the compiler toolchain (from \`${o.detail}\`)` });
    if (o.kind === "env" || o.kind === "secret-env") {
      verdicts.push(
        isToolchainVariable(o.detail)
          ? { severity: "info", why: `runs the toolchain program named by $${o.detail}` }
          : { severity: "medium", why: `runs a program named by $${o.detail}` },
      );
    }
    if (o.kind === "out-dir") verdicts.push({ severity: "medium", why: "runs a program from OUT_DIR" });
    if (o.kind === "home" || o.kind === "cargo-home") {
      verdicts.push({ severity: "medium", why: `runs a program from the home directory (${o.detail})` });
    }
  }
  const shell = names.some((n) => isShell(n.detail));
  const downloads = args.find((a) => DOWNLOAD_IN_ARGS.test(a));
  const isGit = names.some((n) => /(?:^|[\\/])git(?:\.exe)?$/i.test(n.detail));
  if (downloads !== undefined && !isGit) {
    const what = shell ? "a shell command that reaches the network" : "a command with a network address";
    verdicts.push({ severity: "high", why: `runs ${what} (\`${downloads.slice(0, 60)}\`)` });
  }
  return max(verdicts) ?? { severity: "medium", why: "runs a program whose name could not be traced" };
}

/** `Command::new`, `tokio::process::Command::new`, `duct::cmd`, `subprocess::Exec::cmd`/`shell`. */
export function isCommandConstructor(fn: RustNode | null): boolean {
  const text = pathText(fn);
  return (
    /(?:^|::)Command::new$/.test(text) ||
    /^(?:duct::)cmd$/.test(text) ||
    /(?:^|::)Exec::(?:cmd|shell)$/.test(text)
  );
}
