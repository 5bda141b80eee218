/**
 * The bytes `cargo new` writes: the Cargo.toml toml_edit produces for cargo's document,
 * the two source templates, and the ignore-file text. Pure, so the templates can be
 * checked without touching disk.
 */

export type VersionControl = "git" | "hg" | "pijul" | "fossil" | "none";

export interface SourceFileInformation {
  /** relative to the package root, `/`-separated */
  relativePath: string;
  bin: boolean;
}

export interface ManifestTemplate {
  name: string;
  edition: string;
  registry?: string | undefined;
  sourceFiles: readonly SourceFileInformation[];
}

export const BIN_TEMPLATE = 'fn main() {\n    println!("Hello, world!");\n}\n';

export const LIB_TEMPLATE = `pub fn add(left: u64, right: u64) -> u64 {
    left + right
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_works() {
        let result = add(2, 2);
        assert_eq!(result, 4);
    }
}
`;

/** A TOML basic string as toml_edit writes one (package names and paths never need more). */
function tomlString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}

/**
 * Cargo.toml as cargo writes it: `[package]`, `[dependencies]`, then a `[[bin]]` or `[lib]`
 * only for sources outside the default paths, in the order the sources were found
 * (toml_edit emits new tables in insertion order).
 */
export function renderManifest(template: ManifestTemplate): string {
  const lines = [
    "[package]",
    `name = ${tomlString(template.name)}`,
    'version = "0.1.0"',
    `edition = ${tomlString(template.edition)}`,
  ];
  if (template.registry !== undefined) lines.push(`publish = [${tomlString(template.registry)}]`);
  lines.push("", "[dependencies]");
  const bins: string[] = [];
  let lib: string | undefined;
  const order: ("bin" | "lib")[] = [];
  for (const file of template.sourceFiles) {
    if (file.bin && file.relativePath !== "src/main.rs") {
      bins.push(file.relativePath);
      if (!order.includes("bin")) order.push("bin");
    } else if (!file.bin && file.relativePath !== "src/lib.rs") {
      lib = file.relativePath;
      if (!order.includes("lib")) order.push("lib");
    }
  }
  for (const section of order) {
    if (section === "bin") {
      for (const path of bins) {
        lines.push("", "[[bin]]", `name = ${tomlString(template.name)}`, `path = ${tomlString(path)}`);
      }
    } else if (lib !== undefined) {
      lines.push("", "[lib]", `path = ${tomlString(lib)}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/** The target-directory entry in each VCS's ignore syntax. */
const IGNORE_ENTRY: Record<Exclude<VersionControl, "none">, string> = {
  git: "/target",
  pijul: "/target",
  hg: "^target$",
  fossil: "target",
};

/** Where each VCS reads its ignore list (fossil wants two files under .fossil-settings). */
export function ignoreFilePaths(vcs: VersionControl): string[] {
  switch (vcs) {
    case "git":
      return [".gitignore"];
    case "hg":
      return [".hgignore"];
    case "pijul":
      return [".ignore"];
    case "fossil":
      return [".fossil-settings/ignore-glob", ".fossil-settings/clean-glob"];
    case "none":
      return [];
  }
}

/**
 * The text to append to an ignore file: the whole list for a new file; for an existing one
 * a `# Added by cargo` block where entries already present are commented out rather than
 * duplicated (fossil has no comments, so it only gets the missing entries).
 */
export function ignoreFileAddition(
  vcs: Exclude<VersionControl, "none">,
  existing: string | undefined,
): string {
  const items = [IGNORE_ENTRY[vcs]];
  if (existing === undefined) return `${items.join("\n")}\n`;
  // BufRead::lines: split on \n, drop one trailing \r per line, no final empty line.
  const existingItems = existing.split("\n").map((line) => (line.endsWith("\r") ? line.slice(0, -1) : line));
  if (existing.endsWith("\n") || existing === "") existingItems.pop();
  let out = "";
  if (vcs !== "fossil") {
    out += "\n\n# Added by cargo\n";
    if (items.some((item) => existingItems.includes(item))) {
      out += "#\n# already existing elements were commented out\n";
    }
    out += "\n";
  }
  for (const item of items) {
    if (existingItems.includes(item)) {
      if (vcs === "fossil") continue;
      out += "#";
    }
    out += `${item}\n`;
  }
  return out;
}
