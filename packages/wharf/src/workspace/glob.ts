/**
 * Expansion of `workspace.members` patterns the way cargo's `glob` crate does it: `*`, `?`,
 * `[...]` within one path segment, `**` across segments, results in sorted order.
 */
import { existsSync, readdirSync } from "node:fs";

const MAGIC = /[*?[]/;
const MAX_RECURSIVE_ENTRIES = 100_000;
const MAX_DEPTH = 64;

function segmentRegex(segment: string): RegExp {
  let re = "^";
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const end = segment.indexOf("]", i + 2);
      if (end < 0) {
        re += "\\[";
        continue;
      }
      let body = segment.slice(i + 1, end);
      if (body.startsWith("!")) body = `^${body.slice(1)}`;
      re += `[${body.replace(/\\/g, "\\\\")}]`;
      i = end;
    } else re += c.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return new RegExp(`${re}$`);
}

function listDirs(dir: string): string[] {
  try {
    return readdirSync(dir)
      .map((n) => n)
      .sort();
  } catch {
    return [];
  }
}

/** Absolute paths matching an absolute pattern; a pattern without wildcards returns itself if present. */
export function expandGlob(pattern: string): string[] {
  if (!MAGIC.test(pattern)) return [pattern];
  const segments = pattern.split("/").filter((s, i) => s !== "" || i === 0);
  let current = [segments[0] === "" ? "/" : segments[0]!];
  for (const segment of segments.slice(1)) {
    const next: string[] = [];
    if (segment === "**") {
      // bounded: a symlink loop or a huge tree must not hang the workspace load
      let budget = MAX_RECURSIVE_ENTRIES;
      for (const base of current) {
        const stack = [base];
        while (stack.length > 0 && budget-- > 0) {
          const dir = stack.shift()!;
          next.push(dir);
          if (dir.split("/").length > MAX_DEPTH) continue;
          for (const name of listDirs(dir)) stack.push(`${dir === "/" ? "" : dir}/${name}`);
        }
      }
    } else if (MAGIC.test(segment)) {
      const re = segmentRegex(segment);
      for (const base of current) {
        for (const name of listDirs(base))
          if (re.test(name)) next.push(`${base === "/" ? "" : base}/${name}`);
      }
    } else {
      for (const base of current) next.push(`${base === "/" ? "" : base}/${segment}`);
    }
    current = next;
  }
  return current.filter((p) => existsSync(p)).sort();
}
