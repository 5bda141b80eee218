/**
 * Walks one Rust file's syntax tree and reports what a build script or proc-macro could do
 * to the machine that builds it: network use, programs it runs, secrets and paths it reads,
 * where it writes, embedded binaries and blobs, unsafe code and FFI. Code inside `quote!`
 * (generated for the user's crate, not run at build time) and `#[cfg(test)]`/`#[test]` items
 * is skipped, except for the blob check. Also returns the `mod` and `include!` files the
 * file pulls in, for the caller to follow.
 */
import { BYTE_ARRAY_MIN_ELEMENTS, encodedBlob } from "./build-script-blobs.js";
import {
  argumentsByVariable,
  boundCommandVariable,
  chainedArguments,
  isCommandConstructor,
  judgeProgram,
} from "./build-script-commands.js";
import {
  type AnalysedTarget,
  type BuildFindingSeverity,
  type BuildScriptFinding,
  BuildScriptRule,
  type BuildScriptRuleId,
} from "./build-script-finding.js";
import {
  envMacroName,
  envReadName,
  hasKind,
  isStringLiteral,
  literalOrigins,
  literalValue,
  macroName,
  OriginScope,
  pathRoot,
  pathText,
} from "./build-script-origins.js";
import { isReadCall, judgeRead, judgeWrite, writeCall } from "./build-script-paths.js";
import {
  includeTargetKind,
  isCredentialPath,
  isSecretVariable,
  judgeProgramName,
  LIBC_NETWORK,
  LIBC_PROCESS,
  NETWORK_CRATES,
  NETWORK_MODULES,
  SOCKET_METHODS,
  SOCKET_TYPES,
  sniffExecutable,
} from "./build-script-rules.js";
import type { RustNode } from "./rust-parser.js";
import { LineIndex } from "./text-positions.js";

/** Reads a file of the package by its package-relative path: text, bytes, or absent. */
export type PackageFileReader = (path: string) => string | Uint8Array | undefined;

export interface FileReferences {
  /** `mod x;` declarations: the candidate files, first match wins */
  modules: string[][];
  /** `include!("x")` files, resolved against the including file */
  includes: string[];
  /** `#[cfg(test)] mod x;`: files that only tests compile */
  testModules: string[][];
}

export interface VisitFileInput {
  /** package-relative path with `/` separators */
  path: string;
  text: string;
  target: AnalysedTarget;
  /** whether this file is a module root (`mod x;` resolves next to it, not in a subdirectory) */
  modRoot: boolean;
  read: PackageFileReader;
  renames: ReadonlyMap<string, string>;
}

const QUOTE_MACROS = new Set([
  "quote",
  "quote_spanned",
  "parse_quote",
  "parse_quote_spanned",
  "quote::quote",
  "syn::parse_quote",
]);
const WRITE_METHODS = new Set(["write_all", "write", "write_fmt"]);
const READ_INTO_METHODS = new Set(["read_to_end", "read_to_string", "read", "read_exact"]);
const EXTEND_METHODS = new Set(["push", "push_str", "extend", "extend_from_slice", "insert", "append"]);

/** `a/b/../c` → `a/c`; keeps leading `..` that climb out of the package. */
export function normalizePath(path: string): string {
  const out: string[] = [];
  for (const seg of path.replace(/\\/g, "/").split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === ".." && out.length > 0 && out[out.length - 1] !== "..") out.pop();
    else out.push(seg);
  }
  return out.join("/");
}

function dirOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i === -1 ? "" : path.slice(0, i);
}

function join(dir: string, rel: string): string {
  return normalizePath(dir === "" ? rel : `${dir}/${rel}`);
}

function envReason(name: string): string {
  const what =
    name === "HOME" || name === "USERPROFILE" ? "the home directory" : "a secret-like environment variable";
  return `reads ${what} ($${name})`;
}

export class FileVisitor {
  readonly findings: BuildScriptFinding[] = [];
  readonly refs: FileReferences = { modules: [], includes: [], testModules: [] };
  readonly #in: VisitFileInput;
  readonly #lines: LineIndex;
  readonly #scope: OriginScope;
  readonly #commandArgs: Map<string, string[]>;
  /** identifiers and literals of paths written from downloaded or embedded bytes */
  readonly #payloadPaths = new Set<string>();
  /** `let f = File::create(p)`: f → the names and literals in p */
  readonly #handles = new Map<string, string[]>();
  readonly #strong: BuildFindingSeverity;

  constructor(input: VisitFileInput, root: RustNode) {
    this.#in = input;
    this.#lines = new LineIndex(input.text);
    this.#scope = new OriginScope(input.renames);
    this.#commandArgs = argumentsByVariable(root);
    // unsafe and FFI are a build-script concern; in a proc-macro they are worth knowing only
    this.#strong = input.target === "build-script" ? "medium" : "info";
    this.#bindConstants(root);
  }

  report(node: RustNode, rule: BuildScriptRuleId, severity: BuildFindingSeverity, message: string): void {
    this.#reportAt(node.startIndex, rule, severity, message);
  }

  #reportAt(offset: number, rule: BuildScriptRuleId, severity: BuildFindingSeverity, message: string): void {
    const pos = this.#lines.position(offset);
    this.findings.push({ rule, severity, file: this.#in.path, line: pos.line, column: pos.column, message });
  }

  visit(node: RustNode, modPath: readonly string[] = [], inQuote = false): void {
    if (node.type === "string_literal" || node.type === "raw_string_literal") {
      this.#literal(node, inQuote);
      return;
    }
    if (node.type === "array_expression" || node.type === "token_tree") this.#sequence(node);
    if (!inQuote) this.#rules(node);
    if (node.type === "macro_invocation") {
      const name = macroName(node);
      if (QUOTE_MACROS.has(name)) inQuote = true;
      else if (!inQuote) this.#macro(node, name);
    }
    const fn = node.type === "function_item";
    if (fn) this.#scope.enter();
    this.#children(node, modPath, inQuote);
    if (fn) this.#scope.leave();
  }

  #children(node: RustNode, modPath: readonly string[], inQuote: boolean): void {
    let skipNext = false;
    let pathAttr: string | undefined;
    const nested = node.type === "mod_item" && node.childForFieldName("body") !== null;
    const childPath = nested ? [...modPath, node.childForFieldName("name")?.text ?? ""] : modPath;
    for (const child of node.children) {
      if (child === null) continue;
      if (child.type === "attribute_item") {
        const attr = pathText(child);
        if (/^#\[(?:cfg\(test\)|test|bench)\]$/.test(attr)) skipNext = true;
        const m = /^#\s*\[\s*path\s*=\s*"([^"]+)"\s*\]$/.exec(child.text);
        if (m?.[1] !== undefined) pathAttr = m[1];
        if (!inQuote && /^#\[link\(/.test(attr)) {
          this.report(child, BuildScriptRule.ffi, this.#strong, "links a native library (#[link])");
        }
        continue;
      }
      if (child.type === "line_comment" || child.type === "block_comment") continue;
      if (skipNext) {
        if (child.type === "mod_item" && child.childForFieldName("body") === null) {
          this.#module(child, childPath, pathAttr, this.refs.testModules);
        }
        skipNext = false;
        pathAttr = undefined;
        continue;
      }
      if (child.type === "mod_item" && child.childForFieldName("body") === null)
        this.#module(child, childPath, pathAttr, this.refs.modules);
      pathAttr = undefined;
      this.visit(child, childPath, inQuote);
    }
  }

  #bindConstants(root: RustNode): void {
    for (const item of root.descendantsOfType(["const_item", "static_item"])) {
      const name = item?.childForFieldName("name")?.text;
      if (item && name) this.#scope.bind(name, this.#scope.originsOf(item.childForFieldName("value")));
    }
  }

  #module(node: RustNode, modPath: readonly string[], pathAttr: string | undefined, into: string[][]): void {
    const name = node.childForFieldName("name")?.text;
    if (name === undefined) return;
    const dir = dirOf(this.#in.path);
    const stem = this.#in.path.slice(dir.length).replace(/^\//, "").replace(/\.rs$/, "");
    const base = join(this.#in.modRoot ? dir : join(dir, stem), modPath.join("/"));
    if (pathAttr !== undefined) {
      into.push([join(modPath.length === 0 ? dir : base, pathAttr)]);
      return;
    }
    into.push([join(base, `${name}.rs`), join(base, `${name}/mod.rs`)]);
  }

  #literal(node: RustNode, inQuote: boolean): void {
    const value = literalValue(node);
    const blob = encodedBlob(
      node.type === "raw_string_literal" ? value : node.text.slice(node.text.indexOf('"') + 1, -1),
    );
    if (blob !== undefined) {
      this.report(
        node,
        BuildScriptRule.encodedBlob,
        "high",
        `${blob.length}-character ${blob.kind} string: an encoded payload?`,
      );
    }
    if (!inQuote && isCredentialPath(value)) {
      this.report(
        node,
        BuildScriptRule.credentialPath,
        "high",
        `names a credential location: \`${value.slice(0, 60)}\``,
      );
    }
  }

  /** Blobs split over many literals (`concat!("AAAA", "BBBB")`, arrays of strings), and big byte arrays. */
  #sequence(node: RustNode): void {
    const kids = node.namedChildren.filter((c): c is RustNode => c !== null);
    const strings = kids.filter((c) => isStringLiteral(c));
    if (strings.length >= 2) {
      const joined = strings
        .map((s) =>
          s.type === "raw_string_literal" ? literalValue(s) : s.text.slice(s.text.indexOf('"') + 1, -1),
        )
        .join("");
      const blob = encodedBlob(joined);
      if (blob !== undefined && strings.every((s) => encodedBlob(s.text) === undefined)) {
        this.report(
          node,
          BuildScriptRule.encodedBlob,
          "high",
          `${blob.length}-character ${blob.kind} text split over ${strings.length} literals: an encoded payload?`,
        );
      }
    }
    if (node.type === "array_expression") {
      const numbers = kids.filter((c) => c.type === "integer_literal").length;
      if (numbers >= BYTE_ARRAY_MIN_ELEMENTS && numbers >= kids.length * 0.9) {
        this.report(
          node,
          BuildScriptRule.encodedBlob,
          "medium",
          `array of ${numbers} numbers: an embedded binary?`,
        );
      }
    }
  }

  #rules(node: RustNode): void {
    switch (node.type) {
      case "let_declaration":
        this.#let(node);
        break;
      case "let_condition":
      case "for_expression":
        this.#scope.bindPattern(
          node.childForFieldName("pattern"),
          this.#scope.originsOf(node.childForFieldName("value")),
        );
        break;
      case "match_expression": {
        const origins = this.#scope.originsOf(node.childForFieldName("value"));
        for (const arm of node.childForFieldName("body")?.namedChildren ?? []) {
          if (arm?.type === "match_arm") this.#scope.bindPattern(arm.childForFieldName("pattern"), origins);
        }
        break;
      }
      case "assignment_expression":
      case "compound_assignment_expr": {
        const left = node.childForFieldName("left");
        if (left?.type === "identifier")
          this.#scope.bind(left.text, this.#scope.originsOf(node.childForFieldName("right")));
        break;
      }
      case "closure_expression":
        this.#closure(node);
        break;
      case "call_expression":
        this.#call(node);
        break;
      case "identifier":
      case "type_identifier":
        this.#identifier(node);
        break;
      case "extern_crate_declaration": {
        const name = node.childForFieldName("name")?.text;
        if (name !== undefined) this.#crateUse(node, name, "");
        break;
      }
      case "unsafe_block":
        this.report(node, BuildScriptRule.unsafeCode, this.#strong, "unsafe block");
        break;
      case "function_modifiers":
        if (/\bunsafe\b/.test(node.text))
          this.report(node, BuildScriptRule.unsafeCode, this.#strong, "unsafe fn");
        break;
      case "impl_item":
        if (node.children.some((c) => c?.type === "unsafe"))
          this.report(node, BuildScriptRule.unsafeCode, this.#strong, "unsafe impl");
        break;
      case "macro_definition":
        for (const rule of node.namedChildren) {
          const body = rule?.type === "macro_rule" ? rule.childForFieldName("right") : null;
          if (body) this.#tokenText(body);
        }
        break;
      case "foreign_mod_item":
        this.report(node, BuildScriptRule.ffi, this.#strong, "declares foreign functions (extern block)");
        break;
      case "ERROR":
        this.report(
          node,
          BuildScriptRule.parseError,
          "info",
          "syntax the parser could not read; rules may miss code here",
        );
        break;
    }
  }

  #let(node: RustNode): void {
    const value = node.childForFieldName("value");
    const pattern = node.childForFieldName("pattern");
    this.#scope.bindPattern(pattern, this.#scope.originsOf(value));
    if (value === null || pattern?.type !== "identifier") return;
    // `let f = File::create(p)?;` remembers p, so `f.write_all(payload)` marks p as a payload
    const create = [value, ...value.descendantsOfType("call_expression")].find((c) => {
      const fn = pathText(c?.childForFieldName("function") ?? null);
      return (
        c?.type === "call_expression" &&
        (/(?:^|::)File::create(?:_new)?$/.test(fn) || /OpenOptions::new\(\).*\.open$/.test(fn))
      );
    });
    if (create)
      this.#handles.set(
        pattern.text,
        this.#pathKeys(create.childForFieldName("arguments")?.namedChildren[0] ?? null),
      );
  }

  /** Closure parameters take the origins of what the closure is called on (`var("HOME").map(|h| ..)`). */
  #closure(node: RustNode): void {
    const args = node.parent;
    const call = args?.parent;
    if (args?.type !== "arguments" || call?.type !== "call_expression") return;
    const fn = call.childForFieldName("function");
    if (fn?.type !== "field_expression") return;
    const origins = this.#scope.originsOf(fn.childForFieldName("value"));
    for (const p of node.childForFieldName("parameters")?.namedChildren ?? [])
      this.#scope.bindPattern(p, origins);
  }

  /** Identifiers and literal strings of a path expression, to connect writes with later runs. */
  #pathKeys(node: RustNode | null): string[] {
    if (node === null) return [];
    const keys: string[] = [];
    const visit = (n: RustNode) => {
      if (n.type === "identifier") keys.push(`id:${n.text}`);
      else if (isStringLiteral(n)) keys.push(`lit:${literalValue(n)}`);
      for (const c of n.namedChildren) if (c !== null) visit(c);
    };
    visit(node);
    return keys;
  }

  #markPayload(target: RustNode | null, data: RustNode | null): void {
    if (hasKind(this.#scope.originsOf(data), "downloaded", "embedded")) {
      for (const k of this.#pathKeys(target)) this.#payloadPaths.add(k);
    }
  }

  #call(node: RustNode): void {
    const fnNode = node.childForFieldName("function");
    const fn = pathText(fnNode);
    const argsNode = node.childForFieldName("arguments");
    const args = (argsNode?.namedChildren ?? []).filter((c): c is RustNode => c !== null);
    const envName = envReadName(node);
    if (envName !== undefined) this.#envRead(node, envName);
    if (/(?:^|::)env::vars(?:_os)?$/.test(fn)) {
      this.report(node, BuildScriptRule.envDump, "info", "reads every environment variable (env::vars)");
    }
    if (
      /(?:^|::|\.)home_dir$/.test(fn) ||
      /^(?:dirs|directories|home)(?:_next)?::\w*(?:home|config|data|cache)\w*_dir$/.test(fn)
    ) {
      this.report(node, BuildScriptRule.pathRead, "high", `looks up the user's home directory (\`${fn}()\`)`);
    }
    if (isCommandConstructor(fnNode)) this.#command(node, args[0] ?? null);
    const libc = /^(?:::)?libc::(\w+)$/.exec(fn)?.[1];
    if (libc !== undefined && LIBC_PROCESS.has(libc)) {
      this.report(
        node,
        BuildScriptRule.process,
        "high",
        `runs a program through libc::${libc}, bypassing std::process`,
      );
    }
    if (libc !== undefined && LIBC_NETWORK.has(libc)) {
      this.report(node, BuildScriptRule.network, "high", `opens network connections through libc::${libc}`);
    }
    if (
      /(?:^|::)(?:dlopen|LoadLibrary[AW]?)$/.test(fn) ||
      /(?:^|::)libloading::Library::new$|^Library::new$/.test(fn)
    ) {
      this.report(node, BuildScriptRule.ffi, this.#strong, "loads a native library at run time");
    }
    const write = writeCall(fn);
    if (write !== undefined) {
      const target = args[write.target] ?? null;
      const verdict = judgeWrite(this.#scope.originsOf(target));
      if (verdict) this.report(node, BuildScriptRule.pathWrite, verdict.severity, verdict.why);
      if (write.data !== undefined) this.#markPayload(target, args[write.data] ?? null);
    }
    if (isReadCall(fn)) {
      const verdict = judgeRead(this.#scope.originsOf(args[0] ?? null));
      if (verdict) this.report(node, BuildScriptRule.pathRead, verdict.severity, verdict.why);
    }
    if (fnNode?.type === "field_expression") this.#method(node, fnNode, args);
    if (/(?:^|::)io::copy$/.test(fn) && args.length === 2) {
      const writer = args[1]?.childForFieldName("value") ?? args[1] ?? null;
      if (writer?.type === "identifier") {
        this.#scope.bind(writer.text, this.#scope.originsOf(args[0] ?? null));
        const handle = this.#handles.get(writer.text);
        if (handle && hasKind(this.#scope.originsOf(args[0] ?? null), "downloaded", "embedded")) {
          for (const k of handle) this.#payloadPaths.add(k);
        }
      }
    }
  }

  #method(node: RustNode, fnNode: RustNode, args: RustNode[]): void {
    const method = fnNode.childForFieldName("field")?.text ?? "";
    const receiver = fnNode.childForFieldName("value");
    if (SOCKET_METHODS.has(method))
      this.report(node, BuildScriptRule.network, "high", `resolves network addresses (${method})`);
    if (method === "open" && /OpenOptions/.test(receiver?.text ?? "")) {
      const writes = /\.(?:write|append|create|create_new|truncate)\(\s*true\s*\)/.test(receiver?.text ?? "");
      const origins = this.#scope.originsOf(args[0] ?? null);
      const verdict = writes ? judgeWrite(origins) : judgeRead(origins);
      if (verdict)
        this.report(
          node,
          writes ? BuildScriptRule.pathWrite : BuildScriptRule.pathRead,
          verdict.severity,
          verdict.why,
        );
    }
    if (receiver?.type === "identifier") {
      if (READ_INTO_METHODS.has(method)) {
        const origins = this.#scope.originsOf(receiver);
        for (const a of args) {
          const target = a.type === "reference_expression" ? a.childForFieldName("value") : null;
          if (target?.type === "identifier") this.#scope.bind(target.text, origins);
        }
      }
      if (EXTEND_METHODS.has(method)) {
        for (const a of args) this.#scope.bind(receiver.text, this.#scope.originsOf(a));
      }
      const handle = this.#handles.get(receiver.text);
      if (
        handle &&
        WRITE_METHODS.has(method) &&
        args.some((a) => hasKind(this.#scope.originsOf(a), "downloaded", "embedded"))
      ) {
        for (const k of handle) this.#payloadPaths.add(k);
      }
    }
  }

  #envRead(node: RustNode, name: string): void {
    if (!isSecretVariable(name)) return;
    const what =
      name === "HOME" || name === "USERPROFILE" ? "the home directory" : "a secret-like environment variable";
    this.report(node, BuildScriptRule.secretEnv, "high", `reads ${what} ($${name})`);
  }

  #command(node: RustNode, program: RustNode | null): void {
    const variable = boundCommandVariable(node);
    const args = [
      ...chainedArguments(node),
      ...(variable === undefined ? [] : (this.#commandArgs.get(variable) ?? [])),
    ];
    const writtenPayload = this.#pathKeys(program).some((k) => this.#payloadPaths.has(k));
    const verdict = judgeProgram({ origins: this.#scope.originsOf(program), args, writtenPayload });
    this.report(node, BuildScriptRule.process, verdict.severity, verdict.why);
  }

  #macro(node: RustNode, name: string): void {
    const tt = node.namedChildren.find((c) => c?.type === "token_tree") ?? null;
    const envName = envMacroName(node);
    if (envName !== undefined) this.#envRead(node, envName);
    if (name === "include") {
      const lits = tt?.namedChildren.filter((c) => c !== null && isStringLiteral(c)) ?? [];
      const only = tt?.namedChildren.length === 1 ? lits[0] : undefined;
      if (only) this.refs.includes.push(join(dirOf(this.#in.path), literalValue(only)));
      return;
    }
    if (name === "include_bytes" || name === "include_str") {
      this.#includeFile(node, name, tt);
      return;
    }
    if (name === "cmd" && tt) {
      const first = tt.namedChildren.find((c) => c !== null && isStringLiteral(c));
      const program = first ? literalValue(first).trim().split(/\s+/) : [];
      if (program[0] !== undefined) {
        const v = judgeProgramName(program[0], program[1]);
        this.report(node, BuildScriptRule.process, v.severity, v.why);
      }
    }
    if (tt !== null) this.#tokenText(tt);
  }

  /**
   * Macro arguments and `macro_rules!` bodies are token trees, not expressions: catch the
   * common calls by their text, and report them at their own line.
   */
  #tokenText(tt: RustNode): void {
    const text = tt.text;
    for (const m of text.matchAll(/\bCommand\s*::\s*new\s*\(\s*"([^"]*)"\s*\)([^;]*)/g)) {
      const chained = [...(m[2] ?? "").matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((a) => a[1] ?? "");
      const v = judgeProgram({ origins: literalOrigins(m[1] ?? ""), args: chained, writtenPayload: false });
      this.#reportAt(tt.startIndex + (m.index ?? 0), BuildScriptRule.process, v.severity, v.why);
    }
    for (const m of text.matchAll(/\benv\s*(?:::\s*var(?:_os)?|!)\s*\(\s*"([A-Za-z0-9_]+)"/g)) {
      const name = m[1] ?? "";
      if (isSecretVariable(name))
        this.#reportAt(tt.startIndex + (m.index ?? 0), BuildScriptRule.secretEnv, "high", envReason(name));
    }
  }

  #includeFile(node: RustNode, name: string, tt: RustNode | null): void {
    const parts = tt?.namedChildren.filter((c): c is RustNode => c !== null) ?? [];
    const lit =
      parts.length === 1 && parts[0] && isStringLiteral(parts[0]) ? literalValue(parts[0]) : undefined;
    if (lit === undefined) {
      // `concat!(env!("OUT_DIR"), "/x")`: generated during the build, checked when written
      const origins = this.#scope.originsOf(tt);
      if (hasKind(origins, "out-dir")) return;
      const abs = hasKind(origins, "absolute", "home", "credential", "cargo-home");
      if (abs)
        this.report(
          node,
          BuildScriptRule.includeBinary,
          "high",
          `${name}! of ${abs.detail}, outside the package`,
        );
      return;
    }
    const path = join(dirOf(this.#in.path), lit);
    if (lit.startsWith("/") || path.startsWith("..")) {
      const sev = isCredentialPath(lit) ? "high" : "medium";
      this.report(node, BuildScriptRule.includeBinary, sev, `${name}! of \`${lit}\`, outside the package`);
      return;
    }
    const content = this.#in.read(path);
    const sniffed =
      content instanceof Uint8Array
        ? sniffExecutable(content)
        : content === undefined
          ? undefined
          : sniffExecutable(new TextEncoder().encode(content.slice(0, 4)));
    if (sniffed !== undefined && !sniffed.includes("#!")) {
      this.report(node, BuildScriptRule.includeBinary, "high", `${name}! embeds ${sniffed} (${lit})`);
      return;
    }
    const kind = includeTargetKind(lit);
    if (kind === "executable") {
      this.report(
        node,
        BuildScriptRule.includeBinary,
        "high",
        `${name}! embeds \`${lit}\`, named like a binary`,
      );
    } else if (name === "include_bytes" && (kind === "unknown" || sniffed !== undefined)) {
      this.report(node, BuildScriptRule.includeBinary, "info", `include_bytes! embeds \`${lit}\``);
    }
  }

  #identifier(node: RustNode): void {
    const text = node.text;
    const parent = node.parent;
    if (SOCKET_TYPES.has(text)) {
      this.report(node, BuildScriptRule.network, "high", `uses ${text} (network socket)`);
      return;
    }
    if (text === "UnixStream" || text === "UnixDatagram" || text === "UnixListener") {
      this.report(
        node,
        BuildScriptRule.network,
        "medium",
        `uses ${text} (local socket: ssh-agent, docker and the like)`,
      );
      return;
    }
    // the first segment of a path: `reqwest::get`, `use ureq::Agent`, `tokio::net::..`, and in macros `a :: b`
    let isRoot = false;
    let second = "";
    if (
      parent &&
      (parent.type === "scoped_identifier" ||
        parent.type === "scoped_type_identifier" ||
        parent.type === "scoped_use_list")
    ) {
      isRoot = parent.childForFieldName("path")?.id === node.id;
      second = parent.type === "scoped_use_list" ? "" : (parent.childForFieldName("name")?.text ?? "");
      if (parent.type === "scoped_use_list" && isRoot) {
        second =
          pathText(parent.childForFieldName("list"))
            .replace(/^\{/, "")
            .split(/::|[,}]/)[0] ?? "";
      }
    } else if (parent?.type === "use_declaration") {
      isRoot = true;
    } else if (parent?.type === "token_tree") {
      const next = node.nextSibling;
      const prev = node.previousSibling;
      isRoot = next?.type === "::" && prev?.type !== "::";
      if (isRoot) second = next?.nextSibling?.type === "identifier" ? (next.nextSibling.text ?? "") : "";
    }
    if (isRoot && pathRoot(node) !== undefined) this.#crateUse(node, text, second);
  }

  #crateUse(node: RustNode, root: string, second: string): void {
    const crate = this.#scope.crateOf(root);
    if (NETWORK_CRATES.has(crate)) {
      this.report(node, BuildScriptRule.network, "high", `uses the network crate \`${crate}\``);
      return;
    }
    for (const [a, b] of NETWORK_MODULES) {
      if (crate === a && (b === "" || second === b)) {
        this.report(
          node,
          BuildScriptRule.network,
          "high",
          `uses ${b === "" ? a : `${a}::${b}`} (network I/O)`,
        );
        return;
      }
    }
  }
}
