/**
 * Platform specifications for `[target.'cfg(...)'.dependencies]` and `[target.<triple>]`:
 * parsing cargo's cfg() grammar and printing it back in cargo's canonical form (the form
 * `cargo metadata` shows in a dependency's `target`).
 */
import { WharfError } from "../errors/index.js";

export type CfgExpr =
  | { kind: "name"; name: string }
  | { kind: "key-pair"; key: string; value: string }
  | { kind: "bool"; value: boolean }
  | { kind: "not"; expr: CfgExpr }
  | { kind: "all"; exprs: CfgExpr[] }
  | { kind: "any"; exprs: CfgExpr[] };

export type Platform = { kind: "name"; triple: string } | { kind: "cfg"; expr: CfgExpr };

type Token =
  | { t: "lparen" }
  | { t: "rparen" }
  | { t: "comma" }
  | { t: "equals" }
  | { t: "ident"; v: string }
  | { t: "string"; v: string };

function tokenize(text: string, whole: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
    } else if (c === "(") {
      tokens.push({ t: "lparen" });
      i++;
    } else if (c === ")") {
      tokens.push({ t: "rparen" });
      i++;
    } else if (c === ",") {
      tokens.push({ t: "comma" });
      i++;
    } else if (c === "=") {
      tokens.push({ t: "equals" });
      i++;
    } else if (c === '"') {
      const end = text.indexOf('"', i + 1);
      if (end < 0) throw cfgError(whole, "unterminated string in cfg");
      tokens.push({ t: "string", v: text.slice(i + 1, end) });
      i = end + 1;
    } else if (/[\p{XID_Start}_]/u.test(c) || (c === "r" && text[i + 1] === "#")) {
      let j = i + 1;
      if (c === "r" && text[i + 1] === "#") j = i + 2;
      while (j < text.length && /[\p{XID_Continue}]/u.test(text[j]!)) j++;
      tokens.push({ t: "ident", v: text.slice(i, j) });
      i = j;
    } else {
      throw cfgError(
        whole,
        `unexpected character \`${c}\` in cfg, expected parens, a comma, an identifier, or a string`,
      );
    }
  }
  return tokens;
}

function cfgError(whole: string, message: string): WharfError {
  return new WharfError({
    code: "MANIFEST_INVALID_CFG",
    message: `failed to parse \`${whole}\` as a cfg expression: ${message}`,
  });
}

function parseExpr(tokens: Token[], pos: { i: number }, whole: string, depth: number): CfgExpr {
  if (depth > 32) throw cfgError(whole, "cfg expression nests too deeply");
  const tok = tokens[pos.i];
  if (tok?.t !== "ident") throw cfgError(whole, "expected identifier");
  pos.i++;
  const name = tok.v;
  const next = tokens[pos.i];
  if ((name === "all" || name === "any" || name === "not") && next?.t === "lparen") {
    pos.i++;
    const exprs: CfgExpr[] = [];
    while (tokens[pos.i] && tokens[pos.i]!.t !== "rparen") {
      exprs.push(parseExpr(tokens, pos, whole, depth + 1));
      if (tokens[pos.i]?.t === "comma") pos.i++;
      else break;
    }
    if (tokens[pos.i]?.t !== "rparen") throw cfgError(whole, "expected `)`");
    pos.i++;
    if (name === "not") {
      if (exprs.length !== 1) throw cfgError(whole, "`not` takes exactly one expression");
      return { kind: "not", expr: exprs[0]! };
    }
    return name === "all" ? { kind: "all", exprs } : { kind: "any", exprs };
  }
  if (next?.t === "equals") {
    pos.i++;
    const value = tokens[pos.i];
    if (value?.t !== "string") throw cfgError(whole, "expected a string after `=`");
    pos.i++;
    return { kind: "key-pair", key: name, value: value.v };
  }
  if (name === "true" || name === "false") return { kind: "bool", value: name === "true" };
  return { kind: "name", name };
}

export function parseCfgExpr(text: string, whole = text): CfgExpr {
  const tokens = tokenize(text, whole);
  const pos = { i: 0 };
  const expr = parseExpr(tokens, pos, whole, 0);
  if (pos.i !== tokens.length) throw cfgError(whole, "unexpected content after the cfg expression");
  return expr;
}

export function parsePlatform(text: string): Platform {
  const trimmed = text.trim();
  if (trimmed.startsWith("cfg(") && trimmed.endsWith(")")) {
    return { kind: "cfg", expr: parseCfgExpr(trimmed.slice(4, -1), text) };
  }
  if (trimmed.length === 0 || !/^[A-Za-z0-9_.-]+$/.test(trimmed)) {
    throw new WharfError({
      code: "MANIFEST_INVALID_PLATFORM",
      message: `invalid target specifier \`${text}\`: expected a target triple such as \`x86_64-unknown-linux-gnu\` or \`cfg(...)\``,
    });
  }
  return { kind: "name", triple: trimmed };
}

export function formatCfgExpr(expr: CfgExpr): string {
  switch (expr.kind) {
    case "name":
      return expr.name;
    case "bool":
      return String(expr.value);
    case "key-pair":
      return `${expr.key} = "${expr.value}"`;
    case "not":
      return `not(${formatCfgExpr(expr.expr)})`;
    case "all":
      return `all(${expr.exprs.map(formatCfgExpr).join(", ")})`;
    case "any":
      return `any(${expr.exprs.map(formatCfgExpr).join(", ")})`;
  }
}

export function formatPlatform(platform: Platform): string {
  return platform.kind === "name" ? platform.triple : `cfg(${formatCfgExpr(platform.expr)})`;
}
