/**
 * Index text -> IndexLine, validated field by field. The index is the registry's signed-off
 * record of what a crate is (the checksum above all), so a line that is malformed, oversized
 * or names another crate is an error here rather than something to guess around.
 */
import { WharfError } from "../errors/index.js";
import { parsePlatform } from "../manifest/index.js";
import { canonicalCrateName } from "../names/index.js";
import { tryParseRequirement, tryParseVersion } from "../semver/index.js";
import { isPlainObject } from "./canonical-json.js";
import {
  DEFAULT_INDEX_LIMITS,
  INDEX_V_MAX,
  type IndexDependency,
  type IndexDepKind,
  type IndexLimits,
  type IndexLine,
} from "./index-line.js";

const encoder = new TextEncoder();
const NAME_RE = /^[A-Za-z0-9_-]+$/;
const CKSUM_RE = /^[0-9a-f]{64}$/;
const RUST_VERSION_RE = /^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*)){0,2}$/;
const PUBTIME_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;

/** Reads one JSON value with a path for error messages (`deps[2].req`). */
class FieldReader {
  constructor(
    private readonly context: string,
    private readonly limits: IndexLimits,
  ) {}

  fail(path: string, problem: string, code = "INDEX_LINE_SCHEMA"): WharfError {
    return new WharfError({ code, message: `${this.context}: \`${path}\` ${problem}` });
  }

  string(value: unknown, path: string): string {
    if (typeof value !== "string") throw this.fail(path, "must be a string");
    if (encoder.encode(value).length > this.limits.maxStringBytes) {
      throw this.fail(path, `is longer than ${this.limits.maxStringBytes} bytes`);
    }
    return value;
  }

  optionalString(value: unknown, path: string): string | undefined {
    return value === undefined || value === null ? undefined : this.string(value, path);
  }

  bool(value: unknown, path: string, fallback: boolean): boolean {
    if (value === undefined || value === null) return fallback;
    if (typeof value !== "boolean") throw this.fail(path, "must be true or false");
    return value;
  }

  stringArray(value: unknown, path: string, max: number): string[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) throw this.fail(path, "must be an array of strings");
    if (value.length > max) throw this.fail(path, `has more than ${max} entries`);
    return value.map((v, i) => this.string(v, `${path}[${i}]`));
  }

  featureMap(value: unknown, path: string, budget: { left: number }): Record<string, string[]> {
    if (value === undefined || value === null) return {};
    if (!isPlainObject(value)) throw this.fail(path, "must be an object of feature lists");
    const entries: [string, string[]][] = [];
    for (const [key, list] of Object.entries(value)) {
      if (--budget.left < 0) throw this.fail(path, `has more than ${this.limits.maxFeatures} features`);
      this.string(key, `${path} key`);
      entries.push([key, this.stringArray(list, `${path}.${key}`, this.limits.maxFeatureValues)]);
    }
    return Object.fromEntries(entries);
  }

  crateName(value: unknown, path: string): string {
    const name = this.string(value, path);
    if (!NAME_RE.test(name)) throw this.fail(path, `is not a valid crate name: \`${name}\``);
    return name;
  }
}

export function parseIndexLine(text: string, expectedName: string, limits?: Partial<IndexLimits>): IndexLine {
  const lim: IndexLimits = { ...DEFAULT_INDEX_LIMITS, ...limits };
  const context = `index line for \`${expectedName}\``;
  const bytes = encoder.encode(text).length;
  if (bytes > lim.maxLineBytes) {
    throw new WharfError({
      code: "INDEX_LINE_TOO_LONG",
      message: `${context} is ${bytes} bytes, above the ${lim.maxLineBytes}-byte limit`,
    });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new WharfError({ code: "INDEX_LINE_JSON", message: `${context} is not valid JSON`, cause });
  }
  if (!isPlainObject(raw))
    throw new WharfError({ code: "INDEX_LINE_SCHEMA", message: `${context} is not a JSON object` });
  const r = new FieldReader(context, lim);

  const name = r.crateName(raw.name, "name");
  if (canonicalCrateName(name) !== canonicalCrateName(expectedName)) {
    throw r.fail(
      "name",
      `is \`${name}\`, but the index file is for \`${expectedName}\``,
      "INDEX_LINE_NAME_MISMATCH",
    );
  }
  const vers = r.string(raw.vers, "vers");
  const parsedVersion = tryParseVersion(vers);
  if (!parsedVersion.ok)
    throw r.fail("vers", `is not a valid version: ${parsedVersion.reason}`, "INDEX_LINE_VERSION");

  const v = raw.v === undefined || raw.v === null ? undefined : raw.v;
  if (v !== undefined && (typeof v !== "number" || !Number.isInteger(v) || v < 1)) {
    throw r.fail("v", "must be a positive integer");
  }
  if (v !== undefined && v > INDEX_V_MAX) {
    throw new WharfError({
      code: "INDEX_LINE_UNSUPPORTED_SCHEMA",
      message: `${context}: version ${vers} uses index schema v${v}; the newest understood is v${INDEX_V_MAX}`,
      hint: "cargo skips such versions too; they need a newer client",
    });
  }

  const cksum = r.string(raw.cksum, "cksum");
  if (!CKSUM_RE.test(cksum))
    throw r.fail("cksum", "must be 64 lowercase hex digits (SHA-256)", "INDEX_LINE_CKSUM");

  if (!Array.isArray(raw.deps)) throw r.fail("deps", "must be an array");
  if (raw.deps.length > lim.maxDeps) throw r.fail("deps", `has more than ${lim.maxDeps} entries`);
  const deps = raw.deps.map((d, i) => parseDependency(d, `deps[${i}]`, r));

  const budget = { left: lim.maxFeatures };
  const line: IndexLine = {
    name,
    vers,
    deps,
    cksum,
    features: r.featureMap(raw.features, "features", budget),
    yanked: r.bool(raw.yanked, "yanked", false),
    links: r.optionalString(raw.links, "links") ?? null,
  };
  if (v !== undefined) line.v = v;
  if (raw.features2 !== undefined && raw.features2 !== null) {
    line.features2 = r.featureMap(raw.features2, "features2", budget);
  }
  const rustVersion = r.optionalString(raw.rust_version, "rust_version");
  if (rustVersion !== undefined) {
    if (!RUST_VERSION_RE.test(rustVersion))
      throw r.fail("rust_version", `is not a Rust version: \`${rustVersion}\``);
    line.rust_version = rustVersion;
  }
  const pubtime = r.optionalString(raw.pubtime, "pubtime");
  if (pubtime !== undefined) {
    if (!isValidPubtime(pubtime))
      throw r.fail("pubtime", `must be \`yyyy-mm-ddThh:mm:ssZ\`, not \`${pubtime}\``);
    line.pubtime = pubtime;
  }
  return line;
}

function parseDependency(value: unknown, path: string, r: FieldReader): IndexDependency {
  if (!isPlainObject(value)) throw r.fail(path, "must be an object");
  const req = r.string(value.req, `${path}.req`);
  const parsedReq = tryParseRequirement(req);
  if (!parsedReq.ok) throw r.fail(`${path}.req`, `is not a valid requirement: ${parsedReq.reason}`);
  const target = r.optionalString(value.target, `${path}.target`);
  if (target !== undefined) {
    try {
      parsePlatform(target);
    } catch (cause) {
      throw new WharfError({
        code: "INDEX_LINE_SCHEMA",
        message: `${path}.target is not a platform: \`${target}\``,
        cause,
      });
    }
  }
  const kindText = r.optionalString(value.kind, `${path}.kind`) ?? "normal";
  if (kindText !== "normal" && kindText !== "dev" && kindText !== "build") {
    throw r.fail(`${path}.kind`, `must be "normal", "dev" or "build", not \`${kindText}\``);
  }
  const dep: IndexDependency = {
    name: r.crateName(value.name, `${path}.name`),
    req,
    features: r.stringArray(value.features, `${path}.features`, 10_000),
    optional: r.bool(value.optional, `${path}.optional`, false),
    default_features: r.bool(value.default_features, `${path}.default_features`, true),
    target: target ?? null,
    kind: kindText as IndexDepKind,
  };
  const registry = r.optionalString(value.registry, `${path}.registry`);
  if (registry !== undefined) {
    if (!URL.canParse(registry.replace(/^sparse\+/, "")))
      throw r.fail(`${path}.registry`, `is not a URL: \`${registry}\``);
    dep.registry = registry;
  }
  const pkg =
    value.package === undefined || value.package === null
      ? undefined
      : r.crateName(value.package, `${path}.package`);
  if (pkg !== undefined) dep.package = pkg;
  if (value.public !== undefined && value.public !== null)
    dep.public = r.bool(value.public, `${path}.public`, false);
  if (value.artifact !== undefined && value.artifact !== null)
    dep.artifact = r.stringArray(value.artifact, `${path}.artifact`, 16);
  const bindep = r.optionalString(value.bindep_target, `${path}.bindep_target`);
  if (bindep !== undefined) dep.bindep_target = bindep;
  if (r.bool(value.lib, `${path}.lib`, false)) dep.lib = true;
  return dep;
}

function isValidPubtime(text: string): boolean {
  const m = PUBTIME_RE.exec(text);
  if (!m) return false;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return (
    date.getUTCFullYear() === y &&
    date.getUTCMonth() === mo - 1 &&
    date.getUTCDate() === d &&
    h < 24 &&
    mi < 60 &&
    s < 60
  );
}

export interface IndexFile {
  /** one per version cargo 1.95 can use, in file order */
  lines: IndexLine[];
  /** versions whose schema `v` is too new; cargo ignores them the same way */
  unsupported: { vers: string; v: number }[];
}

/** A whole index file: one JSON line per version; blank lines are skipped as cargo does. */
export function parseIndexFile(text: string, expectedName: string, limits?: Partial<IndexLimits>): IndexFile {
  const lim: IndexLimits = { ...DEFAULT_INDEX_LIMITS, ...limits };
  const rawLines = text.split("\n");
  if (rawLines.length > lim.maxLines + 1) {
    throw new WharfError({
      code: "INDEX_FILE_TOO_LONG",
      message: `index file for \`${expectedName}\` has more than ${lim.maxLines} lines`,
    });
  }
  const result: IndexFile = { lines: [], unsupported: [] };
  const seen = new Map<string, number>();
  rawLines.forEach((rawLine, i) => {
    if (rawLine.trim() === "") return;
    let line: IndexLine;
    try {
      line = parseIndexLine(rawLine, expectedName, lim);
    } catch (error) {
      if (error instanceof WharfError && error.code === "INDEX_LINE_UNSUPPORTED_SCHEMA") {
        const raw = JSON.parse(rawLine) as { vers: string; v: number };
        result.unsupported.push({ vers: raw.vers, v: raw.v });
        return;
      }
      if (error instanceof WharfError) {
        throw new WharfError({
          code: error.code,
          message: `index file for \`${expectedName}\`, line ${i + 1}: ${error.message}`,
          cause: error.cause,
        });
      }
      throw error;
    }
    // crates.io treats versions differing only in build metadata as the same version
    const key = line.vers.replace(/\+.*$/, "");
    const previous = seen.get(key);
    if (previous !== undefined) {
      throw new WharfError({
        code: "INDEX_FILE_DUPLICATE_VERSION",
        message: `index file for \`${expectedName}\` lists version ${line.vers} twice (lines ${previous} and ${i + 1})`,
      });
    }
    seen.set(key, i + 1);
    result.lines.push(line);
  });
  return result;
}
