/**
 * Best-effort mapping of a key path (["package", "version"]) back to a line and column in the
 * TOML text, so type errors can point at the offending line as cargo's do. The parser we use
 * does not keep spans; a line scan that understands table headers and dotted keys is enough
 * for the error messages a person reads.
 */

export interface TextPosition {
  line: number;
  column: number;
}

const HEADER = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$/;
const KEY =
  /^\s*((?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*'))*)\s*=/;

function splitDotted(key: string): string[] {
  const parts: string[] = [];
  const re = /\s*([A-Za-z0-9_-]+|"((?:[^"\\]|\\.)*)"|'([^']*)')\s*(?:\.|$)/gy;
  let m: RegExpExecArray | null = re.exec(key);
  while (m !== null && m[0].length > 0) {
    parts.push(m[2] ?? m[3] ?? m[1] ?? "");
    m = re.exec(key);
  }
  return parts;
}

function startsWith(path: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length <= path.length && prefix.every((p, i) => path[i] === p);
}

/** Finds where `path` is defined; falls back to the closest enclosing table or key. */
export function locateKey(text: string, path: readonly string[]): TextPosition | undefined {
  const lines = text.split("\n");
  let header: string[] = [];
  let best: { pos: TextPosition; len: number } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const h = HEADER.exec(line);
    if (h && !KEY.test(line)) {
      header = splitDotted(h[1]!);
      if (startsWith(path, header) && (!best || header.length > best.len)) {
        best = { pos: { line: i + 1, column: line.indexOf("[") + 1 }, len: header.length };
      }
      continue;
    }
    const k = KEY.exec(line);
    if (!k) continue;
    const full = [...header, ...splitDotted(k[1]!)];
    const common = Math.min(full.length, path.length);
    let matched = 0;
    while (matched < common && full[matched] === path[matched]) matched++;
    if (matched === full.length || matched === path.length) {
      const column =
        line.indexOf("=") +
        2 +
        (line.slice(line.indexOf("=") + 1).length - line.slice(line.indexOf("=") + 1).trimStart().length);
      if (!best || matched > best.len) best = { pos: { line: i + 1, column }, len: matched };
      if (matched === path.length) return best.pos;
    }
  }
  return best?.pos;
}
