/**
 * Writing test projects to disk from a plain description (path -> file contents), so
 * fixtures live next to the tests that use them and are built fresh in a temp dir each run.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

export type FileTree = Record<string, string | Uint8Array>;

export function writeTree(root: string, files: FileTree): void {
  for (const [rel, content] of Object.entries(files)) {
    const path = join(root, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
}

/** A minimal package manifest; `extra` is appended verbatim. */
export function packageToml(name: string, extra = "", version = "0.1.0"): string {
  return `[package]\nname = "${name}"\nversion = "${version}"\nedition = "2021"\n${extra}`;
}
