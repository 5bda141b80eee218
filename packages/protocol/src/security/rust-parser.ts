/**
 * A real Rust parser for the security analyses: tree-sitter's Rust grammar compiled to wasm
 * (npm `tree-sitter-rust`), run by `web-tree-sitter`. Pure: the caller reads the two wasm
 * files (their package specifiers are below) and passes the bytes in, so this module never
 * touches the file system. web-tree-sitter is imported on first use, so loading
 * @wharf/protocol stays cheap for commands that never parse Rust.
 */
import type { Node, Parser, Tree } from "web-tree-sitter";

/** The package paths of the two wasm files, for the loader that reads them. */
export const RUST_PARSER_WASM = {
  runtime: "web-tree-sitter/web-tree-sitter.wasm",
  grammar: "tree-sitter-rust/tree-sitter-rust.wasm",
} as const;

export interface RustParserWasm {
  /** bytes of web-tree-sitter.wasm */
  runtime: Uint8Array;
  /** bytes of tree-sitter-rust.wasm */
  grammar: Uint8Array;
}

export type RustNode = Node;

export interface RustSyntax {
  root: RustNode;
  /** whether tree-sitter had to recover from syntax it does not know */
  hasError: boolean;
}

/** A parser that is reused for every file; `parse` frees each tree after the visitor returns. */
export class RustParser {
  readonly #parser: Parser;

  constructor(parser: Parser) {
    this.#parser = parser;
  }

  /** Parses `text` and hands the tree to `visit`; nodes must not be kept after it returns. */
  parse<T>(text: string, visit: (syntax: RustSyntax) => T): T {
    const tree: Tree | null = this.#parser.parse(text);
    if (tree === null) throw new Error("tree-sitter returned no tree");
    try {
      return visit({ root: tree.rootNode, hasError: tree.rootNode.hasError });
    } finally {
      tree.delete();
    }
  }
}

// tree-sitter's runtime is one wasm instance per process: initialise it once.
let runtime: Promise<typeof import("web-tree-sitter")> | undefined;

export async function createRustParser(wasm: RustParserWasm): Promise<RustParser> {
  runtime ??= (async () => {
    const mod = await import("web-tree-sitter");
    await mod.Parser.init({ wasmBinary: wasm.runtime });
    return mod;
  })();
  const mod = await runtime;
  const language = await mod.Language.load(wasm.grammar);
  const parser = new mod.Parser();
  parser.setLanguage(language);
  return new RustParser(parser);
}
