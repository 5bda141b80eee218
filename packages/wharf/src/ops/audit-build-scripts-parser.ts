/**
 * Loads the Rust parser the build-script analysis uses: reads the two wasm files (tree-sitter's
 * runtime and its Rust grammar) from the packages @wharf/protocol depends on and hands the bytes
 * to the pure `createRustParser`. One parser per process.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createRustParser, RUST_PARSER_WASM, type RustParser, WharfError } from "@wharf/protocol";

let loaded: Promise<RustParser> | undefined;

/** The wasm files are resolved from @wharf/protocol, which declares both packages. */
export function rustParserWasmPaths(): { runtime: string; grammar: string } {
  const fromProtocol = createRequire(createRequire(import.meta.url).resolve("@wharf/protocol"));
  return {
    runtime: fromProtocol.resolve(RUST_PARSER_WASM.runtime),
    grammar: fromProtocol.resolve(RUST_PARSER_WASM.grammar),
  };
}

export function loadRustParser(): Promise<RustParser> {
  loaded ??= (async () => {
    let paths: { runtime: string; grammar: string };
    try {
      paths = rustParserWasmPaths();
    } catch (cause) {
      throw new WharfError({
        code: "RUST_PARSER_MISSING",
        message: "the Rust parser (tree-sitter-rust wasm) is not installed",
        hint: "reinstall wharf so its dependencies `web-tree-sitter` and `tree-sitter-rust` are present",
        cause,
      });
    }
    return createRustParser({ runtime: readFileSync(paths.runtime), grammar: readFileSync(paths.grammar) });
  })();
  return loaded;
}
