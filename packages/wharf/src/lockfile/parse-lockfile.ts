/**
 * Cargo.lock text -> Lockfile, for every encoding cargo ever wrote (v1 to v4). Follows
 * cargo's `into_resolve`: a file without `version` is v1 until a per-package checksum or a
 * shortened dependency edge shows it is v2; v1 checksums move out of `[metadata]` into the
 * packages. Where cargo silently drops an edge it cannot place (unknown or ambiguous
 * target), this parser refuses the file instead: a lock file that cannot be read exactly is
 * better regenerated than half-trusted.
 */
import { tryParseVersion } from "@wharf/protocol";
import { parse, type TomlTable, type TomlValue } from "smol-toml";
import { parseSource, sameSource } from "./lock-source.js";
import {
  GENERATED_MARKER,
  GENERATED_NOTE,
  type LockedPackage,
  type LockedPackageRef,
  type Lockfile,
  type LockfileVersion,
  type UnusedPatch,
} from "./lockfile.js";
import { lockfileError } from "./lockfile-error.js";
import type { EncodedReference } from "./package-order.js";

function isTable(value: TomlValue | undefined): value is TomlTable {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

interface Reader {
  file: string;
}

function optionalString(r: Reader, table: TomlTable, key: string, where: string): string | undefined {
  const value = table[key];
  if (value === undefined) return undefined;
  if (typeof value !== "string") {
    throw lockfileError("LOCKFILE_INVALID_FIELD", r.file, `\`${key}\` of ${where} must be a string`);
  }
  return value;
}

function requiredString(r: Reader, table: TomlTable, key: string, where: string): string {
  const value = optionalString(r, table, key, where);
  if (value === undefined)
    throw lockfileError("LOCKFILE_MISSING_FIELD", r.file, `${where} has no \`${key}\``);
  return value;
}

function checkSource(r: Reader, source: string, where: string): string {
  if (!parseSource(source)) {
    throw lockfileError("LOCKFILE_INVALID_SOURCE", r.file, `invalid source \`${source}\` in ${where}`);
  }
  return source;
}

/** The identity fields shared by `[[package]]` and `[[patch.unused]]`. */
function readIdentity(r: Reader, table: TomlTable, where: string): UnusedPatch {
  const name = requiredString(r, table, "name", where);
  const version = requiredString(r, table, "version", where);
  if (!tryParseVersion(version).ok) {
    throw lockfileError(
      "LOCKFILE_INVALID_VERSION",
      r.file,
      `invalid version \`${version}\` of package \`${name}\``,
    );
  }
  const source = optionalString(r, table, "source", `package \`${name}\``);
  return {
    name,
    version,
    source: source === undefined ? undefined : checkSource(r, source, `package \`${name}\``),
    checksum: optionalString(r, table, "checksum", `package \`${name}\``),
  };
}

/** `name`, `name version` or `name version (source)`, split as cargo's FromStr does. */
function parseReference(r: Reader, text: string, where: string): EncodedReference {
  const first = text.indexOf(" ");
  const second = first < 0 ? -1 : text.indexOf(" ", first + 1);
  const name = first < 0 ? text : text.slice(0, first);
  const version = first < 0 ? undefined : second < 0 ? text.slice(first + 1) : text.slice(first + 1, second);
  const rest = second < 0 ? undefined : text.slice(second + 1);
  const bad = (why: string) =>
    lockfileError(
      "LOCKFILE_INVALID_DEPENDENCY",
      r.file,
      `invalid dependency \`${text}\` in ${where}: ${why}`,
    );
  if (name === "") throw bad("empty package name");
  if (version === "") throw bad("empty version");
  if (rest === undefined) return { name, version };
  if (!rest.startsWith("(") || !rest.endsWith(")")) throw bad("the source must be in parentheses");
  const source = rest.slice(1, -1);
  if (!parseSource(source)) throw bad(`invalid source \`${source}\``);
  return { name, version, source };
}

interface Located {
  pkg: UnusedPatch;
}

/** The package an edge names; `shortened` is set when only a v2+ writer could have left it out. */
function lookup(
  r: Reader,
  byName: Map<string, Located[]>,
  ref: EncodedReference,
  where: string,
): { target: UnusedPatch; shortened: boolean } {
  const text = `${ref.name}${ref.version ? ` ${ref.version}` : ""}${ref.source ? ` (${ref.source})` : ""}`;
  const all = byName.get(ref.name);
  if (!all) {
    throw lockfileError(
      "LOCKFILE_UNKNOWN_DEPENDENCY",
      r.file,
      `${where} depends on \`${text}\`, which is not a package of the lock file`,
    );
  }
  let shortened = false;
  let candidates = all;
  if (ref.version === undefined) {
    shortened = true;
    const versions = new Set(all.map((c) => c.pkg.version));
    if (versions.size > 1) {
      throw lockfileError(
        "LOCKFILE_AMBIGUOUS_DEPENDENCY",
        r.file,
        `${where} depends on \`${text}\`, but the lock file has several versions of \`${ref.name}\``,
      );
    }
  } else {
    candidates = all.filter((c) => c.pkg.version === ref.version);
  }
  let found: Located[];
  if (ref.source !== undefined) {
    const source = ref.source;
    found = candidates.filter((c) => c.pkg.source !== undefined && sameSource(source, c.pkg.source));
  } else {
    // a path package never has a source, so a bare edge means it first
    const paths = candidates.filter((c) => c.pkg.source === undefined);
    if (paths.length > 0) found = paths;
    else {
      found = candidates;
      shortened = true;
    }
  }
  if (found.length === 1) return { target: found[0]!.pkg, shortened };
  throw lockfileError(
    found.length === 0 ? "LOCKFILE_UNKNOWN_DEPENDENCY" : "LOCKFILE_AMBIGUOUS_DEPENDENCY",
    r.file,
    found.length === 0
      ? `${where} depends on \`${text}\`, which is not a package of the lock file`
      : `${where} depends on \`${text}\`, which matches several packages of the lock file`,
  );
}

function toRef(pkg: UnusedPatch): LockedPackageRef {
  return { name: pkg.name, version: pkg.version, source: pkg.source };
}

function stringArray(r: Reader, value: TomlValue | undefined, where: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
    throw lockfileError(
      "LOCKFILE_INVALID_FIELD",
      r.file,
      `\`dependencies\` of ${where} must be an array of strings`,
    );
  }
  return value as string[];
}

/** Comment lines at the top besides cargo's own two (which it always writes itself). */
function extraComments(text: string): string[] {
  const comments: string[] = [];
  for (const raw of text.split("\n")) {
    const lineText = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (!lineText.startsWith("#")) break;
    comments.push(lineText);
  }
  const out: string[] = [];
  comments.forEach((c, i) => {
    if (i === 0 && c === GENERATED_MARKER) return;
    if (i === 1 && c === GENERATED_NOTE) return;
    out.push(c);
  });
  return out;
}

function readVersion(r: Reader, doc: TomlTable): LockfileVersion {
  const v = doc["version"];
  if (v === undefined) return 1;
  if (v === 3 || v === 4) return v;
  throw lockfileError(
    "LOCKFILE_UNSUPPORTED_VERSION",
    r.file,
    `lock file version \`${String(v)}\` was found, but this version of wharf does not understand this lock file`,
  );
}

function packageTables(r: Reader, doc: TomlTable): TomlTable[] {
  const list = doc["package"] ?? [];
  if (!Array.isArray(list) || !list.every(isTable)) {
    throw lockfileError("LOCKFILE_INVALID_FIELD", r.file, "`package` must be an array of tables");
  }
  const root = doc["root"];
  if (root !== undefined && !isTable(root)) {
    throw lockfileError("LOCKFILE_INVALID_FIELD", r.file, "`root` must be a table");
  }
  // very old files kept the root package apart; cargo reads it as the first package
  return root ? [root, ...list] : [...list];
}

function readMetadata(r: Reader, doc: TomlTable): Record<string, string> {
  const meta = doc["metadata"];
  if (meta === undefined) return {};
  if (!isTable(meta) || !Object.values(meta).every((v) => typeof v === "string")) {
    throw lockfileError("LOCKFILE_INVALID_METADATA", r.file, "`[metadata]` must map strings to strings");
  }
  return { ...(meta as Record<string, string>) };
}

function readUnusedPatches(r: Reader, doc: TomlTable): UnusedPatch[] {
  const patch = doc["patch"];
  if (patch === undefined) return [];
  const unused = isTable(patch) ? (patch["unused"] ?? []) : undefined;
  if (!Array.isArray(unused) || !unused.every(isTable)) {
    throw lockfileError("LOCKFILE_INVALID_FIELD", r.file, "`patch.unused` must be an array of tables");
  }
  return unused.map((t) => readIdentity(r, t, "a `[[patch.unused]]` entry"));
}

export function parseLockfile(text: string, file: string): Lockfile {
  const r: Reader = { file };
  let doc: TomlTable;
  try {
    doc = parse(text);
  } catch (cause) {
    throw lockfileError("LOCKFILE_TOML_SYNTAX", file, "invalid TOML", cause);
  }
  let version = readVersion(r, doc);
  const bump = (to: LockfileVersion) => {
    if (version < to) version = to;
  };

  const tables = packageTables(r, doc);
  const identities: UnusedPatch[] = [];
  const byName = new Map<string, Located[]>();
  const seen = new Set<string>();
  for (const table of tables) {
    const pkg = readIdentity(r, table, "a `[[package]]` entry");
    const key = `${pkg.name} ${pkg.version} ${pkg.source ?? ""}`;
    if (seen.has(key)) {
      throw lockfileError(
        "LOCKFILE_DUPLICATE_PACKAGE",
        file,
        `package \`${pkg.name} ${pkg.version}\` is specified twice in the lockfile`,
      );
    }
    seen.add(key);
    // v1 never wrote a checksum next to a package
    if (pkg.checksum !== undefined) bump(2);
    identities.push(pkg);
    const list = byName.get(pkg.name) ?? [];
    list.push({ pkg });
    byName.set(pkg.name, list);
  }

  const packages: LockedPackage[] = tables.map((table, i) => {
    const id = identities[i]!;
    const where = `package \`${id.name} ${id.version}\``;
    const resolveRef = (textRef: string): LockedPackageRef => {
      const found = lookup(r, byName, parseReference(r, textRef, where), where);
      if (found.shortened) bump(2);
      return toRef(found.target);
    };
    const depTexts = stringArray(r, table["dependencies"], where) ?? [];
    const deps = new Map<string, LockedPackageRef>();
    for (const dep of depTexts) {
      const ref = resolveRef(dep);
      // the graph keeps one edge per target, however often it was listed
      deps.set(`${ref.name} ${ref.version} ${ref.source ?? ""}`, ref);
    }
    const replaceText = optionalString(r, table, "replace", where);
    const pkg: LockedPackage = { ...id, dependencies: [...deps.values()] };
    if (replaceText !== undefined) pkg.replace = resolveRef(replaceText);
    return pkg;
  });

  const metadata = readMetadata(r, doc);
  const checksumKeys = Object.keys(metadata).filter((k) => k.startsWith("checksum "));
  for (const key of checksumKeys) {
    const found = lookup(
      r,
      byName,
      parseReference(r, key.slice("checksum ".length), "`[metadata]`"),
      "`[metadata]`",
    );
    const value = metadata[key]!;
    const index = identities.indexOf(found.target);
    packages[index]!.checksum = value === "<none>" ? undefined : value;
    delete metadata[key];
  }
  // checksums in both places means a bad merge: cargo drops them all and recomputes
  if (checksumKeys.length > 0 && version >= 2) for (const pkg of packages) pkg.checksum = undefined;

  // a lone package and one trailing newline: v2 (v1 files ended in a blank line)
  if (text.endsWith("\n") && !text.endsWith("\n\n") && version === 1 && packages.length === 1) version = 2;

  const lock: Lockfile = { version, packages };
  const patchUnused = readUnusedPatches(r, doc);
  if (patchUnused.length > 0) lock.patchUnused = patchUnused;
  if (Object.keys(metadata).length > 0) lock.metadata = metadata;
  const comments = extraComments(text);
  if (comments.length > 0) lock.extraComments = comments;
  return lock;
}
