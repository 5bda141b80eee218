/**
 * Test helper: a temp directory tree with its own CARGO_HOME and WHARF_HOME, so tests
 * never read the user's ~/.cargo or ~/.wharf.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export interface TestTree {
  root: string;
  cargoHome: string;
  wharfHome: string;
  path(rel: string): string;
  write(rel: string, text: string): string;
  cleanup(): void;
}

export function makeTestTree(files: Record<string, string> = {}): TestTree {
  const root = mkdtempSync(join(tmpdir(), "wharf-config-test-"));
  const tree: TestTree = {
    root,
    cargoHome: join(root, "cargo-home"),
    wharfHome: join(root, "wharf-home"),
    path: (rel) => join(root, rel),
    write: (rel, text) => {
      const p = join(root, rel);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, text);
      return p;
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
  mkdirSync(tree.cargoHome, { recursive: true });
  mkdirSync(tree.wharfHome, { recursive: true });
  for (const [rel, text] of Object.entries(files)) tree.write(rel, text);
  return tree;
}
