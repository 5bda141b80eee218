/**
 * Cargo.toml text -> TomlManifest: every section cargo 1.95 accepts, type-checked with
 * errors naming the key path, and unknown keys collected for cargo's
 * "unused manifest key" warnings. Pure: the caller reads the file.
 */
import { type Diagnostic, WharfError } from "../errors/index.js";
import { TableReader } from "./table-reader.js";
import { isTomlTable, parseTomlDocument, type TomlTable, type TomlValue } from "./toml-document.js";
import type {
  DependencyTable,
  DetailedDependency,
  Inheritable,
  InheritableDependency,
  InheritablePackage,
  LintConfig,
  LintLevel,
  PackageBuild,
  StringsOrBool,
  TomlDependency,
  TomlLints,
  TomlManifest,
  TomlPackage,
  TomlPlatform,
  TomlProfile,
  TomlTarget,
  TomlWorkspace,
} from "./types.js";

export interface ParsedManifest {
  manifest: TomlManifest;
  /** the raw TOML, for `[package.metadata]` and tools that want it */
  raw: TomlTable;
  warnings: Diagnostic[];
}

/** Rust's `str` ordering (byte-wise), which cargo's BTreeMaps use. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const ea = new TextEncoder().encode(a);
  const eb = new TextEncoder().encode(b);
  const n = Math.min(ea.length, eb.length);
  for (let i = 0; i < n; i++) if (ea[i] !== eb[i]) return ea[i]! - eb[i]!;
  return ea.length - eb.length;
}

function sortedEntries<T>(table: TomlTable, read: (key: string, value: TomlValue) => T): Map<string, T> {
  const out = new Map<string, T>();
  for (const key of Object.keys(table).sort(compareStrings)) out.set(key, read(key, table[key]!));
  return out;
}

function inheritable<T>(
  r: TableReader,
  key: string,
  read: (r: TableReader, key: string) => T | undefined,
): Inheritable<T> | undefined {
  const v = r.table[key];
  if (v === undefined) return undefined;
  if (isTomlTable(v)) {
    const sub = r.subtable(key)!;
    const ws = sub.raw("workspace");
    if (ws === undefined) {
      // a table is only valid here as the inheritance marker
      throw r.typeError(key, "a value or `{ workspace = true }`", v);
    }
    if (ws !== true) {
      throw sub.error("workspace", `\`workspace\` cannot be false for \`${[...r.path, key].join(".")}\``);
    }
    sub.finish();
    return { kind: "inherit" };
  }
  const value = read(r, key);
  return value === undefined ? undefined : { kind: "value", value };
}

const str = (r: TableReader, k: string) => r.str(k);
const strs = (r: TableReader, k: string) => r.strArray(k);

function stringsOrBool(r: TableReader, key: string): StringsOrBool | undefined {
  const v = r.table[key];
  if (typeof v === "boolean") return r.bool(key);
  if (Array.isArray(v)) return r.strArray(key);
  if (v === undefined) return undefined;
  throw r.typeError(key, "a boolean or vector of strings", v);
}

function stringOrBool(r: TableReader, key: string): string | boolean | undefined {
  const v = r.table[key];
  if (typeof v === "boolean") return r.bool(key);
  if (typeof v === "string") return r.str(key);
  if (v === undefined) return undefined;
  throw r.typeError(key, "a boolean or string", v);
}

function stringOrVec(r: TableReader, key: string): string[] | undefined {
  const v = r.table[key];
  if (typeof v === "string") return [r.str(key)!];
  if (Array.isArray(v)) return r.strArray(key);
  if (v === undefined) return undefined;
  throw r.typeError(key, "a string or vector of strings", v);
}

function readBuild(r: TableReader): PackageBuild | undefined {
  const v = r.table.build;
  if (v === undefined) return undefined;
  if (typeof v === "boolean") return { kind: "auto", value: r.bool("build")! };
  if (typeof v === "string") return { kind: "single", path: r.str("build")! };
  if (Array.isArray(v)) return { kind: "multiple", paths: r.strArray("build")! };
  throw r.typeError("build", "a boolean, a string or an array of strings", v);
}

function readPackage(r: TableReader): TomlPackage {
  const pkg: TomlPackage = {
    name: r.str("name"),
    version: inheritable(r, "version", str),
    edition: inheritable(r, "edition", str),
    rustVersion: inheritable(r, "rust-version", str),
    authors: inheritable(r, "authors", strs),
    build: readBuild(r),
    metabuild: stringOrVec(r, "metabuild"),
    defaultTarget: r.str("default-target"),
    forcedTarget: r.str("forced-target"),
    links: r.str("links"),
    exclude: inheritable(r, "exclude", strs),
    include: inheritable(r, "include", strs),
    publish: inheritable(r, "publish", stringsOrBool),
    workspace: r.str("workspace"),
    imATeapot: r.bool("im-a-teapot"),
    autolib: r.bool("autolib"),
    autobins: r.bool("autobins"),
    autoexamples: r.bool("autoexamples"),
    autotests: r.bool("autotests"),
    autobenches: r.bool("autobenches"),
    defaultRun: r.str("default-run"),
    description: inheritable(r, "description", str),
    homepage: inheritable(r, "homepage", str),
    documentation: inheritable(r, "documentation", str),
    readme: inheritable(r, "readme", stringOrBool),
    keywords: inheritable(r, "keywords", strs),
    categories: inheritable(r, "categories", strs),
    license: inheritable(r, "license", str),
    licenseFile: inheritable(r, "license-file", str),
    repository: inheritable(r, "repository", str),
    resolver: r.str("resolver"),
    metadata: r.raw("metadata"),
  };
  r.finish();
  return pkg;
}

function readDetailed(r: TableReader): DetailedDependency {
  const dep: DetailedDependency = {
    version: r.str("version"),
    registry: r.str("registry"),
    registryIndex: r.str("registry-index"),
    path: r.str("path"),
    base: r.str("base"),
    git: r.str("git"),
    branch: r.str("branch"),
    tag: r.str("tag"),
    rev: r.str("rev"),
    features: r.strArray("features"),
    optional: r.bool("optional"),
    defaultFeatures: r.bool("default-features"),
    defaultFeatures2: r.bool("default_features"),
    package: r.str("package"),
    public: r.bool("public"),
    artifact: stringOrVec(r, "artifact"),
    lib: r.bool("lib"),
    target: r.str("target"),
  };
  r.finish();
  return dep;
}

function readDependency(parent: TableReader, name: string, value: TomlValue): TomlDependency {
  if (typeof value === "string") return { kind: "simple", version: value };
  if (isTomlTable(value)) return { kind: "detailed", dep: readDetailed(parent.child(name, value)) };
  throw parent.typeError(
    name,
    'a version string like "0.9.8" or a detailed dependency like { version = "0.9.8" }',
    value,
  );
}

function readInheritableDependency(
  parent: TableReader,
  name: string,
  value: TomlValue,
): InheritableDependency {
  if (isTomlTable(value) && Object.hasOwn(value, "workspace")) {
    const r = parent.child(name, value);
    const ws = r.bool("workspace");
    if (ws !== true) throw r.error("workspace", `\`workspace\` cannot be false for dependency \`${name}\``);
    const dep = {
      features: r.strArray("features"),
      optional: r.bool("optional"),
      defaultFeatures: r.bool("default-features"),
      defaultFeatures2: r.bool("default_features"),
      public: r.bool("public"),
    };
    // cargo reports the other keys of an inherited dependency as unused
    r.finish();
    return { kind: "inherit", dep };
  }
  return { kind: "value", dep: readDependency(parent, name, value) };
}

function readDependencyTable(r: TableReader, key: string): DependencyTable | undefined {
  const sub = r.subtable(key);
  if (!sub) return undefined;
  const out = sortedEntries(sub.table, (name, value) => {
    sub.raw(name);
    return readInheritableDependency(sub, name, value);
  });
  return out;
}

function readTarget(r: TableReader): TomlTarget {
  const t: TomlTarget = {
    name: r.str("name"),
    path: r.str("path"),
    crateType: r.strArray("crate-type"),
    crateType2: r.strArray("crate_type"),
    filename: r.str("filename"),
    test: r.bool("test"),
    doctest: r.bool("doctest"),
    bench: r.bool("bench"),
    doc: r.bool("doc"),
    docScrapeExamples: r.bool("doc-scrape-examples"),
    procMacro: r.bool("proc-macro"),
    procMacro2: r.bool("proc_macro"),
    harness: r.bool("harness"),
    requiredFeatures: r.strArray("required-features"),
    edition: r.str("edition"),
  };
  r.finish();
  return t;
}

function readTargetArray(r: TableReader, key: string): TomlTarget[] | undefined {
  const v = r.raw(key);
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) throw r.typeError(key, `an array of tables ([[${key}]])`, v);
  return v.map((item, i) => {
    if (!isTomlTable(item)) throw r.typeError(`${key}[${i}]`, "a table", item);
    return readTarget(r.child(key, item));
  });
}

function readPlatform(r: TableReader): TomlPlatform {
  const p: TomlPlatform = {
    dependencies: readDependencyTable(r, "dependencies"),
    devDependencies: readDependencyTable(r, "dev-dependencies"),
    devDependencies2: readDependencyTable(r, "dev_dependencies"),
    buildDependencies: readDependencyTable(r, "build-dependencies"),
    buildDependencies2: readDependencyTable(r, "build_dependencies"),
  };
  r.finish();
  return p;
}

const LINT_LEVELS: readonly LintLevel[] = ["forbid", "deny", "warn", "allow"];

function readLints(r: TableReader): TomlLints {
  const out: TomlLints = new Map();
  for (const tool of Object.keys(r.table).sort(compareStrings)) {
    if (tool === "workspace") continue;
    const toolReader = r.subtable(tool)!;
    const lints = new Map<string, LintConfig>();
    for (const lint of Object.keys(toolReader.table).sort(compareStrings)) {
      const v = toolReader.raw(lint)!;
      if (typeof v === "string") {
        if (!LINT_LEVELS.includes(v as LintLevel)) {
          throw toolReader.error(
            lint,
            `unknown lint level \`${v}\` for \`lints.${tool}.${lint}\`, expected one of ${LINT_LEVELS.map((l) => `\`${l}\``).join(", ")}`,
          );
        }
        lints.set(lint, { level: v as LintLevel, priority: 0, config: {} });
      } else if (isTomlTable(v)) {
        const lr = toolReader.child(lint, v);
        const level = lr.str("level");
        if (level === undefined || !LINT_LEVELS.includes(level as LintLevel)) {
          throw lr.error(
            "level",
            `\`lints.${tool}.${lint}\` needs a \`level\`, one of ${LINT_LEVELS.map((l) => `\`${l}\``).join(", ")}`,
          );
        }
        const priority = lr.int("priority") ?? 0;
        const config: TomlTable = {};
        for (const k of lr.keys()) if (k !== "level" && k !== "priority") config[k] = lr.raw(k)!;
        lints.set(lint, { level: level as LintLevel, priority, config });
      } else {
        throw toolReader.typeError(lint, "a lint level string or a table", v);
      }
    }
    out.set(tool, lints);
  }
  return out;
}

function readProfile(r: TableReader, allowNested: boolean): TomlProfile {
  const intOrString = (key: string): number | string | undefined => {
    const v = r.table[key];
    if (typeof v === "number") return r.int(key);
    if (typeof v === "string") return r.str(key);
    if (v === undefined) return undefined;
    throw r.typeError(key, "an integer or string", v);
  };
  const boolOrString = (key: string): boolean | string | undefined => {
    const v = r.table[key];
    if (typeof v === "boolean") return r.bool(key);
    if (typeof v === "string") return r.str(key);
    if (v === undefined) return undefined;
    throw r.typeError(key, "a boolean or string", v);
  };
  const debug = (): boolean | number | string | undefined => {
    const v = r.table.debug;
    if (typeof v === "number") return r.int("debug");
    return boolOrString("debug");
  };
  const p: TomlProfile = {
    optLevel: intOrString("opt-level"),
    lto: boolOrString("lto"),
    codegenBackend: r.str("codegen-backend"),
    codegenUnits: r.int("codegen-units"),
    debug: debug(),
    splitDebuginfo: r.str("split-debuginfo"),
    debugAssertions: r.bool("debug-assertions"),
    rpath: r.bool("rpath"),
    panic: r.str("panic"),
    overflowChecks: r.bool("overflow-checks"),
    incremental: r.bool("incremental"),
    dirName: r.str("dir-name"),
    inherits: r.str("inherits"),
    strip: boolOrString("strip"),
    rustflags: r.strArray("rustflags"),
    trimPaths: r.raw("trim-paths"),
  };
  if (allowNested) {
    const pkgs = r.subtable("package");
    if (pkgs) {
      p.package = sortedEntries(pkgs.table, (spec) => {
        const sub = pkgs.subtable(spec)!;
        return readProfile(sub, false);
      });
    }
    const bo = r.subtable("build-override");
    if (bo) p.buildOverride = readProfile(bo, false);
  }
  r.finish();
  return p;
}

function readInheritablePackage(r: TableReader): InheritablePackage {
  const p: InheritablePackage = {
    version: r.str("version"),
    authors: r.strArray("authors"),
    description: r.str("description"),
    homepage: r.str("homepage"),
    documentation: r.str("documentation"),
    readme: stringOrBool(r, "readme"),
    keywords: r.strArray("keywords"),
    categories: r.strArray("categories"),
    license: r.str("license"),
    licenseFile: r.str("license-file"),
    repository: r.str("repository"),
    publish: stringsOrBool(r, "publish"),
    edition: r.str("edition"),
    badges: r.subtable("badges")?.table,
    exclude: r.strArray("exclude"),
    include: r.strArray("include"),
    rustVersion: r.str("rust-version"),
  };
  r.finish();
  return p;
}

function readWorkspace(r: TableReader): TomlWorkspace {
  const ws: TomlWorkspace = {
    members: r.strArray("members"),
    exclude: r.strArray("exclude"),
    defaultMembers: r.strArray("default-members"),
    resolver: r.str("resolver"),
    metadata: r.raw("metadata"),
  };
  const pkg = r.subtable("package");
  if (pkg) ws.package = readInheritablePackage(pkg);
  const deps = r.subtable("dependencies");
  if (deps) {
    ws.dependencies = sortedEntries(deps.table, (name, value) => {
      deps.raw(name);
      return readDependency(deps, name, value);
    });
  }
  const lints = r.subtable("lints");
  if (lints) ws.lints = readLints(lints);
  r.finish();
  return ws;
}

export interface ParseManifestOptions {
  /** path shown in messages */
  file: string;
}

/** Parses and validates the structure of a Cargo.toml; semantic checks come in normalization. */
export function parseManifest(text: string, options: ParseManifestOptions): ParsedManifest {
  const raw = parseTomlDocument(text, { file: options.file, code: "MANIFEST_TOML_SYNTAX" });
  const ctx = { file: options.file, text, code: "MANIFEST_INVALID", unused: [] as string[] };
  const r = new TableReader(raw, [], ctx);
  const warnings: Diagnostic[] = [];

  const packageKey = r.has("package") ? "package" : r.has("project") ? "project" : undefined;
  if (r.has("package") && r.has("project")) {
    throw r.error(
      "project",
      `\`${options.file}\` has both \`[package]\` and \`[project]\`; use only \`[package]\``,
    );
  }
  const pkgReader = packageKey ? r.subtable(packageKey) : undefined;
  const manifest: TomlManifest = {
    cargoFeatures: r.strArray("cargo-features"),
    package: pkgReader ? readPackage(pkgReader) : undefined,
    usedProjectKey: packageKey === "project",
    lib: (() => {
      const lib = r.subtable("lib");
      return lib ? readTarget(lib) : undefined;
    })(),
    bin: readTargetArray(r, "bin"),
    example: readTargetArray(r, "example"),
    test: readTargetArray(r, "test"),
    bench: readTargetArray(r, "bench"),
    dependencies: readDependencyTable(r, "dependencies"),
    devDependencies: readDependencyTable(r, "dev-dependencies"),
    devDependencies2: readDependencyTable(r, "dev_dependencies"),
    buildDependencies: readDependencyTable(r, "build-dependencies"),
    buildDependencies2: readDependencyTable(r, "build_dependencies"),
  };

  const features = r.subtable("features");
  if (features) {
    manifest.features = sortedEntries(features.table, (name) => features.strArray(name)!);
  }
  const target = r.subtable("target");
  if (target) {
    manifest.target = sortedEntries(target.table, (name) => readPlatform(target.subtable(name)!));
  }
  const replace = r.subtable("replace");
  if (replace) {
    manifest.replace = sortedEntries(replace.table, (name, value) => {
      replace.raw(name);
      return readDependency(replace, name, value);
    });
  }
  const patch = r.subtable("patch");
  if (patch) {
    manifest.patch = sortedEntries(patch.table, (source) => {
      const src = patch.subtable(source)!;
      return sortedEntries(src.table, (name, value) => {
        src.raw(name);
        return readDependency(src, name, value);
      });
    });
  }
  const workspace = r.subtable("workspace");
  if (workspace) manifest.workspace = readWorkspace(workspace);
  const badges = r.raw("badges");
  if (badges !== undefined) {
    if (!isTomlTable(badges)) throw r.typeError("badges", "a table", badges);
    manifest.badges = badges;
  }
  const lints = r.subtable("lints");
  if (lints) {
    const ws = lints.bool("workspace") ?? false;
    manifest.lints = { workspace: ws, lints: readLints(lints) };
  }
  const hints = r.raw("hints");
  if (hints !== undefined) {
    if (!isTomlTable(hints)) throw r.typeError("hints", "a table", hints);
    manifest.hints = hints;
  }
  const profile = r.subtable("profile");
  if (profile) {
    manifest.profile = sortedEntries(profile.table, (name) => readProfile(profile.subtable(name)!, true));
  }
  r.finish();

  for (const key of ctx.unused) {
    warnings.push({
      level: "warning",
      message: `unused manifest key: ${key}`,
      file: options.file,
      code: "unused-manifest-key",
    });
  }
  if (!manifest.package && !manifest.workspace) {
    throw new WharfError({
      code: "MANIFEST_NO_PACKAGE",
      message: `manifest at \`${options.file}\` has neither a \`[package]\` nor a \`[workspace]\` section`,
      hint: "add a [package] section with at least `name`, or [workspace] for a virtual manifest",
    });
  }
  return { manifest, raw, warnings };
}
