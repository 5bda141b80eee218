/**
 * The RustSec advisory model and parser: one advisory file of an advisory-db checkout
 * (`crates/<name>/RUSTSEC-YYYY-NNNN.md`: a ```toml front-matter block, then a Markdown title
 * and description; older `.toml` files carry title and description as fields) into a typed
 * Advisory. Version ranges are parsed and checked here (advisory-range.ts), so a malformed
 * advisory is an error naming its file, never a silent "not vulnerable". Pure.
 */
import { parse, TomlDate } from "smol-toml";
import { WharfError } from "../errors/index.js";
import { type AdvisoryRange, parseAdvisoryRanges } from "./advisory-range.js";

export interface Advisory {
  id: string;
  /** the crate the advisory is about */
  package: string;
  title: string;
  description: string;
  /** YYYY-MM-DD */
  date: string;
  /** set when the advisory was filed in error: such advisories are ignored */
  withdrawn?: string | undefined;
  /** "unmaintained", "unsound", "notice" or another word: reported as a warning, not a vulnerability */
  informational?: string | undefined;
  categories: string[];
  keywords: string[];
  aliases: string[];
  cvss?: string | undefined;
  url?: string | undefined;
  /** the package source the advisory applies to; undefined means crates.io */
  source?: string | undefined;
  patched: string[];
  unaffected: string[];
  /** patched and unaffected as intervals of versions that are NOT affected */
  safeRanges: AdvisoryRange[];
  affected: { os: string[]; arch: string[]; functions: Record<string, string[]> };
  /** the file it came from, for messages */
  file: string;
}

type Table = Record<string, unknown>;

function err(file: string, problem: string): WharfError {
  return new WharfError({
    code: "ADVISORY_INVALID",
    message: `invalid advisory ${file}: ${problem}`,
    hint: "fix or remove the file, or update the advisory database",
  });
}

function str(file: string, t: Table, key: string, required: boolean): string | undefined {
  const v = t[key];
  if (v === undefined) {
    if (required) throw err(file, `\`${key}\` is missing`);
    return undefined;
  }
  if (v instanceof TomlDate) return v.toISOString().slice(0, 10);
  if (typeof v !== "string") throw err(file, `\`${key}\` must be a string`);
  return v;
}

function strs(file: string, t: Table, key: string): string[] {
  const v = t[key];
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== "string"))
    throw err(file, `\`${key}\` must be an array of strings`);
  return v as string[];
}

function table(file: string, v: unknown, key: string): Table {
  if (v === undefined) return {};
  if (typeof v !== "object" || v === null || Array.isArray(v) || v instanceof TomlDate)
    throw err(file, `\`${key}\` must be a table`);
  return v as Table;
}

/** Splits a `.md` advisory into its TOML front matter and Markdown body. */
function splitMarkdown(file: string, text: string): { toml: string; body: string } {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  let i = 0;
  while (i < lines.length && lines[i]?.trim() === "") i++;
  if (!/^```toml\s*$/.test(lines[i] ?? ""))
    throw err(file, "it does not start with a ```toml front-matter block");
  const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
  if (end < 0) throw err(file, "the ```toml front-matter block is not closed");
  return { toml: lines.slice(i + 1, end).join("\n"), body: lines.slice(end + 1).join("\n") };
}

/** The `# Title` line and the text after it. */
function titleAndDescription(body: string): { title: string; description: string } {
  const lines = body.split(/\r?\n/);
  const at = lines.findIndex((l) => /^#\s+\S/.test(l));
  if (at < 0) return { title: "", description: body.trim() };
  return {
    title: (lines[at] ?? "").replace(/^#\s+/, "").trim(),
    description: lines
      .slice(at + 1)
      .join("\n")
      .trim(),
  };
}

/** Parses one advisory file; `file` is its path (for messages), `text` its contents. */
export function parseAdvisory(file: string, text: string): Advisory {
  const markdown = !file.endsWith(".toml");
  const { toml, body } = markdown ? splitMarkdown(file, text) : { toml: text, body: "" };
  let doc: Table;
  try {
    doc = parse(toml) as Table;
  } catch (cause) {
    throw new WharfError({
      code: "ADVISORY_INVALID",
      message: `invalid advisory ${file}: its TOML does not parse`,
      cause,
    });
  }
  const a = table(file, doc["advisory"], "advisory");
  if (doc["advisory"] === undefined) throw err(file, "the `[advisory]` table is missing");
  const versions = table(file, doc["versions"], "versions");
  const affected = table(file, doc["affected"], "affected");
  const id = str(file, a, "id", true) ?? "";
  const pkg = str(file, a, "package", true) ?? "";
  const date = str(file, a, "date", true) ?? "";
  // V1 advisories keep the ranges in [advisory] as patched_versions / unaffected_versions
  const patched =
    doc["versions"] !== undefined ? strs(file, versions, "patched") : strs(file, a, "patched_versions");
  const unaffected =
    doc["versions"] !== undefined ? strs(file, versions, "unaffected") : strs(file, a, "unaffected_versions");
  const fromBody = titleAndDescription(body);
  const functions: Record<string, string[]> = {};
  for (const [path, reqs] of Object.entries(table(file, affected["functions"], "affected.functions"))) {
    if (!Array.isArray(reqs) || reqs.some((r) => typeof r !== "string"))
      throw err(file, `\`affected.functions."${path}"\` must be an array of strings`);
    functions[path] = reqs as string[];
  }
  let safeRanges: AdvisoryRange[];
  try {
    safeRanges = parseAdvisoryRanges([...patched, ...unaffected]);
  } catch (e) {
    throw err(file, e instanceof Error ? e.message : String(e));
  }
  return {
    id,
    package: pkg,
    title: str(file, a, "title", false) ?? fromBody.title,
    description: str(file, a, "description", false) ?? fromBody.description,
    date,
    withdrawn: str(file, a, "withdrawn", false),
    informational: str(file, a, "informational", false),
    categories: strs(file, a, "categories"),
    keywords: strs(file, a, "keywords"),
    aliases: strs(file, a, "aliases"),
    cvss: str(file, a, "cvss", false),
    url: str(file, a, "url", false),
    source: str(file, a, "source", false),
    patched,
    unaffected,
    safeRanges,
    affected: { os: strs(file, affected, "os"), arch: strs(file, affected, "arch"), functions },
    file,
  };
}
