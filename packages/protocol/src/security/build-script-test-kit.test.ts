/**
 * Shared by the build-script analysis tests: the real parser (wasm read from the installed
 * packages) and fixtures whose expected findings are written as `// expect: rule/severity`
 * comments on the line they belong to. Comments are not code, so the markers never feed the
 * analysis. This file holds no tests itself.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { BuildScriptFinding } from "./build-script-finding.js";
import { createRustParser, RUST_PARSER_WASM, type RustParser } from "./rust-parser.js";

let parser: Promise<RustParser> | undefined;

export function testParser(): Promise<RustParser> {
  const require = createRequire(import.meta.url);
  parser ??= createRustParser({
    runtime: readFileSync(require.resolve(RUST_PARSER_WASM.runtime)),
    grammar: readFileSync(require.resolve(RUST_PARSER_WASM.grammar)),
  });
  return parser;
}

/** `file:line rule/severity` for every marker in the given files. */
export function expectedMarkers(files: Readonly<Record<string, string>>): string[] {
  const out: string[] = [];
  for (const [file, text] of Object.entries(files)) {
    text.split("\n").forEach((line, i) => {
      for (const m of line.matchAll(/expect: ([a-z-]+\/(?:high|medium|info))/g))
        out.push(`${file}:${i + 1} ${m[1]}`);
    });
  }
  return out.sort();
}

export function findingKeys(findings: readonly BuildScriptFinding[]): string[] {
  return findings.map((f) => `${f.file}:${f.line} ${f.rule}/${f.severity}`).sort();
}

/** A reader over an in-memory package. */
export function memoryReader(files: Readonly<Record<string, string | Uint8Array>>) {
  return (path: string): string | Uint8Array | undefined => files[path];
}

/** Deterministic random-looking base64 of `n` characters (no real payload, no secret shape). */
export function fakeBase64(n: number, seed = 7): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  let x = seed;
  let out = "";
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out += alphabet[(x >> 16) % 64];
  }
  return out;
}

export function fakeHex(n: number, seed = 11): string {
  let x = seed;
  let out = "";
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out += "0123456789abcdef"[(x >> 16) % 16];
  }
  return out;
}
