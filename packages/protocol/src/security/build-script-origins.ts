/**
 * Light data flow for the build-script analysis: where a value may come from. Each `let`,
 * `if let`, `match` arm, closure parameter and `&mut` buffer gets the origins of the expression
 * it was bound from, by name, within one function (constants and statics: within the file).
 * No types, no block scopes, no calls followed: simple and explainable.
 * An expression's origins are those of every literal, environment read, home-directory call,
 * embedded file, network call and bound name inside it.
 */
import { encodedBlob } from "./build-script-blobs.js";
import {
  isAbsolutePath,
  isCargoHomePath,
  isCredentialPath,
  isHomePath,
  isSecretVariable,
  isTempPath,
  NETWORK_CRATES,
  SOCKET_TYPES,
} from "./build-script-rules.js";
import type { RustNode } from "./rust-parser.js";

export type OriginKind =
  | "out-dir"
  | "manifest-dir"
  | "home"
  | "cargo-home"
  | "credential"
  | "temp"
  | "absolute"
  | "secret-env"
  | "env"
  | "toolchain"
  | "embedded"
  | "downloaded"
  | "literal";

export interface Origin {
  kind: OriginKind;
  /** the literal text, variable name or path behind it */
  detail: string;
}

/** Crates whose values are the compiler toolchain (cc::Build's compiler, autocfg's rustc). */
const TOOLCHAIN_CRATES = new Set([
  "cc",
  "cmake",
  "pkg_config",
  "autocfg",
  "version_check",
  "rustc_version",
  "bindgen",
]);

/** Rust string literal content with the common escapes decoded; raw strings as written. */
export function literalValue(node: RustNode): string {
  if (node.type === "raw_string_literal") {
    return node.namedChildren.map((c) => (c?.type === "string_content" ? c.text : "")).join("");
  }
  const body = node.text.replace(/^b?"/, "").replace(/"$/, "");
  return body.replace(/\\(x[0-9a-fA-F]{2}|u\{[0-9a-fA-F]+\}|.)/gs, (_m, e: string) => {
    if (e === "n") return "\n";
    if (e === "t") return "\t";
    if (e === "r") return "\r";
    if (e === "0") return "\0";
    if (e.startsWith("x")) return String.fromCharCode(Number.parseInt(e.slice(1), 16));
    if (e.startsWith("u{")) return String.fromCodePoint(Number.parseInt(e.slice(2, -1), 16));
    if (e === "\n") return "";
    return e;
  });
}

export function isStringLiteral(node: RustNode): boolean {
  return node.type === "string_literal" || node.type === "raw_string_literal";
}

/** What a literal string says about where it points. */
export function literalOrigins(value: string): Origin[] {
  const out: Origin[] = [{ kind: "literal", detail: value }];
  // an encoded blob is a payload once decoded: writing it out is writing embedded bytes
  if (encodedBlob(value) !== undefined) out.push({ kind: "embedded", detail: "an encoded string" });
  if (isCredentialPath(value)) out.push({ kind: "credential", detail: value });
  if (isHomePath(value)) out.push({ kind: isCargoHomePath(value) ? "cargo-home" : "home", detail: value });
  else if (isCargoHomePath(value)) out.push({ kind: "cargo-home", detail: value });
  if (isTempPath(value)) out.push({ kind: "temp", detail: value });
  else if (isAbsolutePath(value)) out.push({ kind: "absolute", detail: value });
  return out;
}

/** The origin of an environment variable read by name. */
export function envOrigin(name: string): Origin {
  if (name === "OUT_DIR") return { kind: "out-dir", detail: name };
  if (name === "CARGO_MANIFEST_DIR") return { kind: "manifest-dir", detail: name };
  if (name === "HOME" || name === "USERPROFILE") return { kind: "home", detail: name };
  if (name === "CARGO_HOME") return { kind: "cargo-home", detail: name };
  if (name === "TMPDIR" || name === "TEMP" || name === "TMP") return { kind: "temp", detail: name };
  if (isSecretVariable(name)) return { kind: "secret-env", detail: name };
  return { kind: "env", detail: name };
}

/** `a::b::c` with whitespace removed, for call targets and paths. */
export function pathText(node: RustNode | null): string {
  return node === null ? "" : node.text.replace(/\s+/g, "");
}

/** `env::var("X")`, `std::env::var_os("X")`, `var("X")`: the variable name when it is a literal. */
export function envReadName(call: RustNode): string | undefined {
  if (call.type !== "call_expression") return undefined;
  const fn = pathText(call.childForFieldName("function"));
  if (!/^(?:(?:::)?std::)?(?:env::)?var(?:_os)?$/.test(fn)) return undefined;
  const first = call.childForFieldName("arguments")?.namedChildren[0];
  if (first === null || first === undefined || !isStringLiteral(first)) return undefined;
  const name = literalValue(first);
  return fn.includes("env") || /^[A-Z][A-Z0-9_]*$/.test(name) ? name : undefined;
}

/** `env!("X")` / `option_env!("X")`: the variable name. */
export function envMacroName(node: RustNode): string | undefined {
  if (node.type !== "macro_invocation") return undefined;
  const name = pathText(node.childForFieldName("macro"));
  if (name !== "env" && name !== "option_env" && name !== "std::env" && name !== "core::env")
    return undefined;
  const tt = node.namedChildren.find((c) => c?.type === "token_tree");
  const lit = tt?.namedChildren.find((c) => c !== null && isStringLiteral(c));
  return lit ? literalValue(lit) : undefined;
}

export function macroName(node: RustNode): string {
  return pathText(node.childForFieldName("macro")).replace(/^(?:::)?(?:std|core)::/, "");
}

/** The first segment of a path expression (`reqwest` in `reqwest::blocking::get`). */
export function pathRoot(node: RustNode | null): string | undefined {
  let cur = node;
  while (cur !== null && (cur.type === "scoped_identifier" || cur.type === "scoped_type_identifier")) {
    const next = cur.childForFieldName("path");
    if (next === null) return undefined;
    cur = next;
  }
  return cur?.type === "identifier" ? cur.text : undefined;
}

/** Names bound to origins, by identifier, for one file. */
export class OriginScope {
  /** innermost last: the file's items, then one frame per function being walked */
  readonly #frames: Map<string, Origin[]>[] = [new Map()];
  readonly #renames: ReadonlyMap<string, string>;

  constructor(renames: ReadonlyMap<string, string>) {
    this.#renames = renames;
  }

  /** the package a path root refers to, after `package = "..."` renames */
  crateOf(root: string): string {
    return (this.#renames.get(root) ?? root).replace(/-/g, "_");
  }

  /** A function body starts: its bindings end with it, so names in other functions never mix. */
  enter(): void {
    this.#frames.push(new Map());
  }

  leave(): void {
    if (this.#frames.length > 1) this.#frames.pop();
  }

  bind(name: string, origins: readonly Origin[]): void {
    if (name === "_" || origins.length === 0) return;
    const frame = this.#frames[this.#frames.length - 1] as Map<string, Origin[]>;
    const prev = frame.get(name) ?? [];
    frame.set(name, dedupe([...prev, ...origins]));
  }

  lookup(name: string): readonly Origin[] {
    for (let i = this.#frames.length - 1; i >= 0; i--) {
      const found = this.#frames[i]?.get(name);
      if (found !== undefined) return found;
    }
    return [];
  }

  /** Binds every identifier a pattern introduces (`x`, `mut x`, `Ok(x)`, `(a, b)`). */
  bindPattern(pattern: RustNode | null, origins: readonly Origin[]): void {
    if (pattern === null) return;
    for (const id of identifiersOf(pattern)) this.bind(id, origins);
  }

  /** Where the value of `expr` may come from. */
  originsOf(expr: RustNode | null): Origin[] {
    if (expr === null) return [];
    const out: Origin[] = [];
    this.#collect(expr, out);
    return dedupe(out);
  }

  #collect(node: RustNode, out: Origin[]): void {
    if (isStringLiteral(node)) {
      const value = literalValue(node);
      out.push(...literalOrigins(value));
      // `format!("{out_dir}/x")` names its arguments inside the string
      if (node.parent?.type === "token_tree") {
        for (const m of value.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)(?::[^}]*)?\}/g))
          out.push(...this.lookup(m[1] ?? ""));
      }
      return;
    }
    const envName = envReadName(node) ?? envMacroName(node);
    if (envName !== undefined) {
      out.push(envOrigin(envName));
      return;
    }
    if (node.type === "macro_invocation" && /^include_(?:bytes|str)$/.test(macroName(node))) {
      out.push({ kind: "embedded", detail: node.text });
      return;
    }
    if (node.type === "call_expression") {
      const fn = node.childForFieldName("function");
      const text = pathText(fn);
      if (/(?:^|::|\.)home_dir$/.test(text) || /^(?:dirs|directories|home|etcetera)(?:_next)?::/.test(text)) {
        out.push({ kind: "home", detail: `${text}()` });
      } else if (/(?:^|::)temp_dir$/.test(text) || /^tempfile::/.test(text)) {
        out.push({ kind: "temp", detail: `${text}()` });
      }
    }
    if (node.type === "scoped_identifier" || node.type === "scoped_type_identifier") {
      const root = pathRoot(node);
      if (root !== undefined) {
        const crate = this.crateOf(root);
        if (NETWORK_CRATES.has(crate)) out.push({ kind: "downloaded", detail: root });
        if (TOOLCHAIN_CRATES.has(crate)) out.push({ kind: "toolchain", detail: root });
      }
      const last = node.childForFieldName("name")?.text;
      if (last !== undefined && SOCKET_TYPES.has(last)) out.push({ kind: "downloaded", detail: last });
      if (node.parent?.type === "scoped_identifier" || node.parent?.type === "scoped_type_identifier") return;
    }
    if (node.type === "identifier" && node.parent?.type !== "scoped_identifier") {
      out.push(...this.lookup(node.text));
    }
    if (node.type === "token_tree") {
      this.#collectTokens(node, out);
      return;
    }
    for (const child of node.namedChildren) if (child !== null) this.#collect(child, out);
  }

  /** Inside macro arguments `env!("X")` is three tokens (`env`, `!`, `("X")`), not a macro call. */
  #collectTokens(tt: RustNode, out: Origin[]): void {
    const kids = tt.children.filter((c): c is RustNode => c !== null);
    for (let i = 0; i < kids.length; i++) {
      const kid = kids[i] as RustNode;
      const bang = kids[i + 1];
      const args = kids[i + 2];
      if (
        kid.type === "identifier" &&
        /^(?:option_)?env$/.test(kid.text) &&
        bang?.type === "!" &&
        args?.type === "token_tree"
      ) {
        const lit = args.namedChildren.find((c) => c !== null && isStringLiteral(c));
        if (lit) out.push(envOrigin(literalValue(lit)));
        i += 2;
        continue;
      }
      if (kid.isNamed) this.#collect(kid, out);
    }
  }
}

function identifiersOf(pattern: RustNode): string[] {
  if (pattern.type === "identifier") return [pattern.text];
  const out: string[] = [];
  for (const c of pattern.namedChildren) {
    if (c === null) continue;
    // `Some(x)`: the constructor is the `type` field, not a binding
    if (pattern.type === "tuple_struct_pattern" && c.id === pattern.childForFieldName("type")?.id) continue;
    if (pattern.type === "field_pattern" && c.type === "field_identifier") {
      if (pattern.childForFieldName("pattern") === null) out.push(c.text);
      continue;
    }
    out.push(...identifiersOf(c));
  }
  return out;
}

export function dedupe(origins: readonly Origin[]): Origin[] {
  const seen = new Set<string>();
  return origins.filter((o) => {
    const key = `${o.kind}\0${o.detail}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function hasKind(origins: readonly Origin[], ...kinds: OriginKind[]): Origin | undefined {
  return origins.find((o) => kinds.includes(o.kind));
}
