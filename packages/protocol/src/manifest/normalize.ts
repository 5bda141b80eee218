/**
 * TomlManifest -> Package (or VirtualManifest): workspace inheritance, target discovery,
 * readme and publish defaults, dependency sources and requirements, and the feature map,
 * following cargo 1.95's normalization. Pure: file questions go through a FileProbe, the
 * workspace root's fields and registry URLs through callbacks.
 */
import { WharfError } from "../errors/index.js";
import { validatePackageName } from "../names/index.js";
import { formatRequirement, formatVersion, tryParseRequirement, tryParseVersion } from "../semver/index.js";
import { type Platform, parsePlatform } from "./cfg.js";
import { buildFeatureMap } from "./features.js";
import type { FileProbe } from "./file-probe.js";
import type {
  Dependency,
  DepKind,
  GitReference,
  InheritableFields,
  ManifestMetadata,
  Package,
  SourceId,
  VirtualManifest,
  WorkspaceConfig,
} from "./package.js";
import { joinPath, normalizePath, parentDir, relativePath } from "./paths.js";
import {
  normalizeBins,
  normalizeBuild,
  normalizeLib,
  normalizeTargetsOfKind,
  type TargetContext,
  toTargets,
} from "./targets.js";
import type { TomlValue } from "./toml-document.js";
import {
  type DependencyTable,
  type DetailedDependency,
  EDITIONS,
  type Edition,
  type Inheritable,
  type InheritableDependency,
  type InheritablePackage,
  type TomlDependency,
  type TomlLints,
  type TomlManifest,
} from "./types.js";

export const CRATES_IO_INDEX = "https://github.com/rust-lang/crates.io-index";

export interface NormalizeOptions {
  manifestPath: string;
  probe: FileProbe;
  /** the workspace root's inheritable fields; called only when something inherits */
  inheritable: () => InheritableFields;
  /** index URL (with `sparse+` where sparse) of a registry named in config; throws when unknown */
  registryIndex: (name: string) => string;
  /** the package's own source; a path source at its directory by default */
  sourceId?: SourceId | undefined;
}

export type NormalizeResult =
  | { kind: "package"; package: Package; warnings: string[] }
  | { kind: "virtual"; manifest: VirtualManifest; warnings: string[] };

function manifestError(message: string, hint?: string): WharfError {
  return new WharfError({ code: "MANIFEST_INVALID", message, hint });
}

/** The `[workspace]` section (or `package.workspace` pointer) as cargo's WorkspaceConfig. */
export function workspaceConfigOf(manifest: TomlManifest, manifestPath: string): WorkspaceConfig {
  const rootDir = parentDir(manifestPath);
  const ws = manifest.workspace;
  if (ws) {
    return {
      kind: "root",
      rootDir,
      members: ws.members,
      defaultMembers: ws.defaultMembers,
      exclude: ws.exclude ?? [],
      resolver: ws.resolver,
      customMetadata: ws.metadata,
      inheritable: { rootDir, package: ws.package, dependencies: ws.dependencies, lints: ws.lints },
    };
  }
  return { kind: "member", rootPath: manifest.package?.workspace };
}

function inheritField<T>(
  field: Inheritable<T> | undefined,
  label: string,
  get: () => T | undefined,
): T | undefined {
  if (field === undefined) return undefined;
  if (field.kind === "value") return field.value;
  let value: T | undefined;
  try {
    value = get();
  } catch (cause) {
    throw new WharfError({
      code: "MANIFEST_INHERIT",
      message: `error inheriting \`${label}\` from workspace root manifest's \`workspace.package.${label}\``,
      cause,
    });
  }
  if (value === undefined) {
    throw new WharfError({
      code: "MANIFEST_INHERIT",
      message: `error inheriting \`${label}\` from workspace root manifest's \`workspace.package.${label}\``,
      cause: manifestError(`\`workspace.package.${label}\` was not defined`),
    });
  }
  return value;
}

function resolveRelativePath(label: string, oldRoot: string, newRoot: string, rel: string): string {
  const joined = normalizePath(joinPath(oldRoot, rel));
  if (!joined.startsWith("/")) {
    throw manifestError(`\`${label}\` was defined in ${oldRoot} but could not be resolved with ${newRoot}`);
  }
  return relativePath(newRoot, joined);
}

const README_FILES = ["README.md", "README.txt", "README"];

function readmeOf(root: string, value: string | boolean | undefined, probe: FileProbe): string | undefined {
  if (value === undefined) return README_FILES.find((f) => probe.isFile(joinPath(root, f)));
  if (value === false) return undefined;
  if (value === true) return "README.md";
  return value;
}

/** rust-version: `1`, `1.56` or `1.56.0`, no pre-release or build metadata. */
function checkRustVersion(value: string): string {
  if (!/^\d+(\.\d+(\.\d+)?)?$/.test(value)) {
    const hint = /[-+]/.test(value) ? "unexpected prerelease field, " : "";
    throw manifestError(`invalid \`rust-version\` value \`${value}\`: ${hint}expected a version like "1.32"`);
  }
  return value;
}

const EDITION_FIRST_VERSION: Record<Edition, [number, number] | undefined> = {
  "2015": undefined,
  "2018": [1, 31],
  "2021": [1, 56],
  "2024": [1, 85],
};

function rustVersionAtLeast(rv: string, min: [number, number]): boolean {
  const [major = 0, minor = 0] = rv.split(".").map(Number);
  return major > min[0] || (major === min[0] && minor >= min[1]);
}

function gitReference(dep: DetailedDependency, name: string): GitReference {
  const set = [dep.branch, dep.tag, dep.rev].filter((x) => x !== undefined).length;
  if (set > 1) {
    throw manifestError(
      `dependency (${name}) specification is ambiguous. Only one of \`branch\`, \`tag\` or \`rev\` is allowed.`,
    );
  }
  if (dep.branch !== undefined) return { kind: "branch", name: dep.branch };
  if (dep.tag !== undefined) return { kind: "tag", name: dep.tag };
  if (dep.rev !== undefined) return { kind: "rev", rev: dep.rev };
  return { kind: "default-branch" };
}

interface DepContext {
  root: string;
  edition: Edition;
  warnings: string[];
  options: NormalizeOptions;
  inheritable: () => InheritableFields;
}

function mergeInherited(
  ctx: DepContext,
  name: string,
  member: InheritableDependency & { kind: "inherit" },
): DetailedDependency {
  let fields: InheritableFields;
  let wsDep: TomlDependency | undefined;
  try {
    fields = ctx.inheritable();
    if (!fields.dependencies) throw manifestError("`workspace.dependencies` was not defined");
    wsDep = fields.dependencies.get(name);
    if (!wsDep) throw manifestError(`\`dependency.${name}\` was not found in \`workspace.dependencies\``);
  } catch (cause) {
    throw new WharfError({
      code: "MANIFEST_INHERIT",
      message: `error inheriting \`${name}\` from workspace root manifest's \`workspace.dependencies.${name}\``,
      cause,
    });
  }
  const merged: DetailedDependency = wsDep.kind === "simple" ? { version: wsDep.version } : { ...wsDep.dep };
  if (merged.path !== undefined && merged.base === undefined) {
    merged.path = resolveRelativePath(name, fields.rootDir, ctx.root, merged.path);
  }
  const m = member.dep;
  const memberDefault = m.defaultFeatures ?? m.defaultFeatures2;
  const wsDefault = merged.defaultFeatures ?? merged.defaultFeatures2;
  if (ctx.edition === "2024") {
    if (memberDefault !== undefined) {
      merged.defaultFeatures = memberDefault;
      merged.defaultFeatures2 = undefined;
    }
  } else if (memberDefault === true && wsDefault === false) {
    merged.defaultFeatures = true;
    merged.defaultFeatures2 = undefined;
  } else if (memberDefault === false && wsDefault !== false) {
    ctx.warnings.push(
      `\`default-features\` is ignored for ${name}, since \`default-features\` was ${wsDefault === true ? "true" : "not specified"} for \`workspace.dependencies.${name}\`; overriding workspace \`default-features\` to false requires Rust 1.99+ and the 2024 edition`,
    );
  }
  if (merged.features || m.features) merged.features = [...(merged.features ?? []), ...(m.features ?? [])];
  merged.optional = m.optional;
  merged.public = m.public;
  return merged;
}

function toDependency(
  ctx: DepContext,
  nameInToml: string,
  input: InheritableDependency,
  kind: DepKind,
  platform: Platform | undefined,
): Dependency {
  const dep: DetailedDependency =
    input.kind === "inherit"
      ? mergeInherited(ctx, nameInToml, input)
      : input.dep.kind === "simple"
        ? { version: input.dep.version }
        : input.dep.dep;

  if (dep.defaultFeatures2 !== undefined) {
    if (dep.defaultFeatures !== undefined) {
      ctx.warnings.push(
        `\`default_features\` is redundant with \`default-features\`, preferring \`default-features\` in the \`${nameInToml}\` dependency`,
      );
    } else if (ctx.edition === "2024") {
      throw manifestError(
        `\`default_features\` is unsupported as of the 2024 edition; instead use \`default-features\`\n(in the \`${nameInToml}\` dependency)`,
      );
    } else {
      ctx.warnings.push(
        `\`default_features\` is deprecated in favor of \`default-features\` and will not work in the 2024 edition\n(in the \`${nameInToml}\` dependency)`,
      );
    }
  }
  if (dep.version === undefined && dep.path === undefined && dep.git === undefined) {
    throw manifestError(
      `dependency (${nameInToml}) specified without providing a local path, Git repository, version, or workspace dependency to use`,
    );
  }
  if (dep.version?.includes("+")) {
    ctx.warnings.push(
      `version requirement \`${dep.version}\` for dependency \`${nameInToml}\` includes semver metadata which will be ignored, removing the metadata is recommended to avoid confusion`,
    );
  }
  if (dep.git === undefined) {
    for (const [value, key] of [
      [dep.branch, "branch"],
      [dep.tag, "tag"],
      [dep.rev, "rev"],
    ] as const) {
      if (value !== undefined)
        throw manifestError(`key \`${key}\` is ignored for dependency (${nameInToml}).`);
    }
  }
  for (const f of dep.features ?? []) {
    if (f.includes("/")) {
      throw manifestError(
        `feature \`${f}\` in dependency \`${nameInToml}\` is not allowed to contain slashes\nIf you want to enable features of a transitive dependency, the direct dependency needs to re-export those features from the \`[features]\` table.`,
      );
    }
    if (f.startsWith("dep:")) {
      throw manifestError(
        `feature \`${f}\` in dependency \`${nameInToml}\` is not allowed to use explicit \`dep:\` syntax\nIf you want to enable an optional dependency, specify the name of the optional dependency without the \`dep:\` prefix, or specify a feature from the dependency's \`[features]\` table that enables the optional dependency.`,
      );
    }
  }

  let source: SourceId;
  if (dep.git !== undefined && dep.path !== undefined) {
    throw manifestError(
      `dependency (${nameInToml}) specification is ambiguous. Only one of \`git\` or \`path\` is allowed.`,
    );
  }
  if (dep.registry !== undefined && dep.registryIndex !== undefined) {
    throw manifestError(
      `dependency (${nameInToml}) specification is ambiguous. Only one of \`registry\` or \`registry-index\` is allowed.`,
    );
  }
  if (dep.git !== undefined) {
    const reference = gitReference(dep, nameInToml);
    let url: URL;
    try {
      url = new URL(dep.git);
    } catch (cause) {
      throw new WharfError({
        code: "MANIFEST_INVALID",
        message: `invalid git URL \`${dep.git}\` for dependency (${nameInToml})`,
        cause,
      });
    }
    if (url.hash) {
      ctx.warnings.push(
        `URL fragment \`${url.hash}\` in git URL is ignored for dependency (${nameInToml}). If you were trying to specify a specific git revision, use \`rev = "${url.hash.slice(1)}"\` in the dependency declaration.`,
      );
      url.hash = "";
    }
    source = { kind: "git", url: url.href, reference };
  } else if (dep.path !== undefined) {
    if (dep.base !== undefined) {
      throw manifestError(
        `path bases (\`base = "${dep.base}"\` on dependency \`${nameInToml}\`) are unstable and not supported by wharf`,
      );
    }
    const own = ctx.options.sourceId;
    source =
      !own || own.kind === "path" ? { kind: "path", path: normalizePath(joinPath(ctx.root, dep.path)) } : own;
  } else if (dep.registry !== undefined) {
    source = { kind: "registry", url: ctx.options.registryIndex(dep.registry) };
  } else if (dep.registryIndex !== undefined) {
    source = { kind: "registry", url: dep.registryIndex };
  } else {
    source = { kind: "registry", url: CRATES_IO_INDEX };
  }

  const pkgName = dep.package ?? nameInToml;
  let req = "*";
  if (dep.version !== undefined) {
    const parsed = tryParseRequirement(dep.version);
    if (!parsed.ok) {
      throw new WharfError({
        code: "MANIFEST_INVALID",
        message: `failed to parse the version requirement \`${dep.version}\` for dependency \`${pkgName}\``,
        cause: manifestError(parsed.reason),
      });
    }
    req = formatRequirement(parsed.value);
  }
  if (dep.artifact !== undefined) {
    throw manifestError(`\`artifact = …\` requires \`-Z bindeps\` (${nameInToml})`);
  }
  if (dep.lib !== undefined || dep.target !== undefined) {
    const which = dep.lib !== undefined ? "lib" : "target";
    throw manifestError(
      `'${which}' specifier cannot be used without an 'artifact = …' value (${nameInToml})`,
    );
  }
  let registry: string | undefined;
  if (dep.registry !== undefined || dep.registryIndex !== undefined) {
    registry = source.kind === "registry" ? source.url : undefined;
  }
  return {
    name: pkgName,
    nameInToml,
    rename: dep.package !== undefined ? nameInToml : undefined,
    source: dep.git === undefined && dep.path === undefined ? source : source,
    req,
    reqSpecified: dep.version !== undefined,
    kind,
    optional: dep.optional ?? false,
    defaultFeatures: dep.defaultFeatures ?? dep.defaultFeatures2 ?? true,
    features: [...(dep.features ?? [])],
    platform,
    registry,
    public: dep.public,
  };
}

function pickTable(
  ctx: DepContext,
  table: DependencyTable | undefined,
  legacy: DependencyTable | undefined,
  options: { key: string; owner: string; what: string },
): DependencyTable | undefined {
  if (legacy !== undefined) {
    const old = options.key.replace(/-/g, "_");
    if (table !== undefined) {
      ctx.warnings.push(
        `\`${old}\` is redundant with \`${options.key}\`, preferring \`${options.key}\` in the \`${options.owner}\` ${options.what}`,
      );
    } else if (ctx.edition === "2024") {
      throw manifestError(
        `\`${old}\` is unsupported as of the 2024 edition; instead use \`${options.key}\`\n(in the \`${options.owner}\` ${options.what})`,
      );
    } else {
      ctx.warnings.push(
        `\`${old}\` is deprecated in favor of \`${options.key}\` and will not work in the 2024 edition\n(in the \`${options.owner}\` ${options.what})`,
      );
    }
  }
  return table ?? legacy;
}

function gather(
  ctx: DepContext,
  out: Dependency[],
  table: DependencyTable | undefined,
  kind: DepKind,
  platform?: Platform,
): void {
  if (!table) return;
  for (const [name, dep] of table) out.push(toDependency(ctx, name, dep, kind, platform));
}

function resolveLints(
  lints: TomlManifest["lints"],
  inheritable: () => InheritableFields,
): TomlLints | undefined {
  if (!lints) return undefined;
  if (!lints.workspace) return lints.lints;
  if (lints.lints.size > 0) {
    throw manifestError(
      "cannot override `workspace.lints` in `lints`, either remove the overrides or `lints.workspace = true` and manually specify the lints",
    );
  }
  try {
    const ws = inheritable().lints;
    if (!ws) throw manifestError("`workspace.lints` was not defined");
    return ws;
  } catch (cause) {
    throw new WharfError({
      code: "MANIFEST_INHERIT",
      message: "error inheriting `lints` from workspace root manifest's `workspace.lints`",
      cause,
    });
  }
}

function parseEdition(value: string): Edition {
  if ((EDITIONS as readonly string[]).includes(value)) return value as Edition;
  throw new WharfError({
    code: "MANIFEST_INVALID",
    message: "failed to parse the `edition` key",
    cause: manifestError(
      `supported edition values are ${EDITIONS.map((e) => `\`${e}\``).join(", ")}, but \`${value}\` is unknown`,
    ),
  });
}

/** Normalizes a parsed manifest into a Package, or a VirtualManifest for a `[workspace]`-only file. */
export function normalizeManifest(manifest: TomlManifest, options: NormalizeOptions): NormalizeResult {
  const manifestPath = options.manifestPath;
  const root = parentDir(manifestPath);
  const warnings: string[] = [];
  const workspaceConfig = workspaceConfigOf(manifest, manifestPath);
  let cachedInheritable: InheritableFields | undefined;
  const inheritable = (): InheritableFields => {
    if (!cachedInheritable) {
      cachedInheritable =
        workspaceConfig.kind === "root" ? workspaceConfig.inheritable : options.inheritable();
    }
    return cachedInheritable;
  };
  const wsPkg = (): InheritablePackage => inheritable().package ?? {};

  const pkg = manifest.package;
  if (!pkg) {
    for (const [key, present] of [
      ["dependencies", manifest.dependencies],
      ["dev-dependencies", manifest.devDependencies],
      ["build-dependencies", manifest.buildDependencies],
      ["features", manifest.features],
      ["target", manifest.target],
      ["badges", manifest.badges],
      ["lints", manifest.lints],
      ["lib", manifest.lib],
      ["bin", manifest.bin],
      ["example", manifest.example],
      ["test", manifest.test],
      ["bench", manifest.bench],
    ] as const) {
      if (present !== undefined) {
        throw manifestError(
          `this virtual manifest specifies a \`${key}\` section, which is not allowed`,
          key === "lints" ? "a similar field exists: `[workspace.lints]`" : undefined,
        );
      }
    }
    if (workspaceConfig.kind !== "root")
      throw manifestError(`manifest at \`${manifestPath}\` has no \`[package]\` or \`[workspace]\``);
    return {
      kind: "virtual",
      manifest: {
        manifestPath,
        root,
        workspaceConfig,
        profiles: manifest.profile,
        resolver: manifest.workspace?.resolver,
      },
      warnings,
    };
  }

  if (pkg.name === undefined) throw manifestError("missing field `package.name`");
  const nameError = validatePackageName(pkg.name);
  if (nameError) throw new WharfError({ code: "MANIFEST_INVALID_NAME", message: nameError.message });
  const name = pkg.name;

  const rustVersionRaw = inheritField(pkg.rustVersion, "rust-version", () => wsPkg().rustVersion);
  const rustVersion = rustVersionRaw === undefined ? undefined : checkRustVersion(rustVersionRaw);
  const editionRaw = inheritField(pkg.edition, "edition", () => wsPkg().edition);
  let edition: Edition;
  if (editionRaw !== undefined) {
    edition = parseEdition(editionRaw);
    const first = EDITION_FIRST_VERSION[edition];
    if (rustVersion && first && !rustVersionAtLeast(rustVersion, first)) {
      throw manifestError(
        `rust-version ${rustVersion} is incompatible with the version (${first.join(".")}.0) required by the specified edition (${edition})`,
      );
    }
  } else {
    edition = "2015";
    // cargo only nags when a newer edition would be usable with the package's rust-version
    let msrvEdition: Edition = "2015";
    if (rustVersion) {
      for (const e of EDITIONS) {
        const first = EDITION_FIRST_VERSION[e];
        if (first && rustVersionAtLeast(rustVersion, first)) msrvEdition = e;
      }
    }
    if (msrvEdition !== "2015" || rustVersion === undefined) {
      const tip =
        msrvEdition === "2024" || rustVersion === undefined
          ? " while the latest is `2024`"
          : ` while ${msrvEdition} is compatible with \`rust-version\``;
      warnings.push(`\`package.edition\` is unspecified, defaulting to \`2015\`${tip}`);
    }
  }
  if (manifest.usedProjectKey) {
    if (edition === "2024")
      throw manifestError("`[project]` is not supported as of the 2024 Edition, please use `[package]`");
    warnings.push("`[project]` is deprecated in favor of `[package]`");
  }
  if (pkg.resolver !== undefined && manifest.workspace?.resolver !== undefined) {
    throw manifestError("cannot specify `resolver` field in both `[workspace]` and `[package]`");
  }
  const resolver = pkg.resolver ?? manifest.workspace?.resolver;
  if (resolver !== undefined && !["1", "2", "3"].includes(resolver)) {
    throw manifestError(
      `\`resolver\` setting \`${resolver}\` is not valid, valid options are "1", "2" or "3"`,
    );
  }

  const versionRaw = inheritField(pkg.version, "version", () => wsPkg().version);
  let version = "0.0.0";
  if (versionRaw !== undefined) {
    const parsed = tryParseVersion(versionRaw);
    if (!parsed.ok) {
      throw manifestError(
        `invalid \`package.version\` \`${versionRaw}\` in \`${manifestPath}\`: ${parsed.reason}`,
        'use a semantic version such as "0.1.0"',
      );
    }
    version = formatVersion(parsed.value);
  }
  const publishRaw = inheritField(pkg.publish, "publish", () => wsPkg().publish);
  let publish: string[] | null;
  if (Array.isArray(publishRaw)) publish = publishRaw;
  else if (publishRaw === false) publish = [];
  else if (publishRaw === true) publish = null;
  else publish = versionRaw === undefined ? [] : null;
  if (versionRaw === undefined && !(Array.isArray(publish) && publish.length === 0)) {
    throw manifestError("`package.publish` requires `package.version` be specified");
  }

  let readme: string | undefined;
  if (pkg.readme?.kind === "inherit") {
    readme = inheritField<string | boolean>(pkg.readme, "readme", () => {
      const fields = inheritable();
      const r = readmeOf(fields.rootDir, fields.package?.readme, options.probe);
      return r === undefined ? undefined : resolveRelativePath("readme", fields.rootDir, root, r);
    }) as string;
  } else {
    readme = readmeOf(root, pkg.readme?.value, options.probe);
  }
  const licenseFile = inheritField(pkg.licenseFile, "license-file", () => {
    const fields = inheritable();
    const lf = fields.package?.licenseFile;
    return lf === undefined ? undefined : resolveRelativePath("license-file", fields.rootDir, root, lf);
  });

  const metadata: ManifestMetadata = {
    description: inheritField(pkg.description, "description", () => wsPkg().description),
    homepage: inheritField(pkg.homepage, "homepage", () => wsPkg().homepage),
    documentation: inheritField(pkg.documentation, "documentation", () => wsPkg().documentation),
    readme,
    authors: inheritField(pkg.authors, "authors", () => wsPkg().authors) ?? [],
    license: inheritField(pkg.license, "license", () => wsPkg().license),
    licenseFile,
    repository: inheritField(pkg.repository, "repository", () => wsPkg().repository),
    keywords: inheritField(pkg.keywords, "keywords", () => wsPkg().keywords) ?? [],
    categories: inheritField(pkg.categories, "categories", () => wsPkg().categories) ?? [],
    badges: (manifest.badges ?? {}) as Record<string, TomlValue>,
    links: pkg.links,
    rustVersion,
  };
  const include = inheritField(pkg.include, "include", () => wsPkg().include);
  const exclude = inheritField(pkg.exclude, "exclude", () => wsPkg().exclude);

  // targets
  const tctx: TargetContext = {
    root,
    packageName: name,
    edition,
    probe: options.probe,
    warnings,
    errors: [],
  };
  const lib = normalizeLib(tctx, manifest.lib, pkg.autolib);
  const bins = normalizeBins(tctx, manifest.bin, { autodiscover: pkg.autobins, hasLib: lib !== undefined });
  const examples = normalizeTargetsOfKind(tctx, manifest.example, {
    kind: "example",
    autodiscover: pkg.autoexamples,
  });
  const tests = normalizeTargetsOfKind(tctx, manifest.test, { kind: "test", autodiscover: pkg.autotests });
  const benches = normalizeTargetsOfKind(tctx, manifest.bench, {
    kind: "bench",
    autodiscover: pkg.autobenches,
  });
  if (tctx.errors.length > 0) {
    throw new WharfError({ code: "MANIFEST_INVALID_TARGET", message: tctx.errors.join("\n") });
  }
  if (pkg.build?.kind === "multiple") {
    throw manifestError(
      "several build scripts (`build = [...]`) need the unstable `multiple-build-scripts` cargo feature, which wharf does not support",
    );
  }
  if (pkg.metabuild !== undefined)
    throw manifestError("`metabuild` is an unstable cargo feature that wharf does not support");
  const build = normalizeBuild(pkg.build, root, options.probe);
  const targets = toTargets(tctx, { lib, bins, examples, tests, benches, build });
  if (targets.every((t) => t.kind === "custom-build")) {
    throw manifestError(
      "no targets specified in the manifest\neither src/lib.rs, src/main.rs, a [lib] section, or [[bin]] section must be present",
    );
  }
  if (pkg.links !== undefined && !targets.some((t) => t.kind === "custom-build")) {
    throw manifestError(
      `package specifies that it links to \`${pkg.links}\` but does not have a custom build script`,
    );
  }

  // dependencies, in cargo's order: normal, dev, build, then each [target] table
  const dctx: DepContext = { root, edition, warnings, options, inheritable };
  const deps: Dependency[] = [];
  gather(dctx, deps, manifest.dependencies, "normal");
  gather(
    dctx,
    deps,
    pickTable(dctx, manifest.devDependencies, manifest.devDependencies2, {
      key: "dev-dependencies",
      owner: name,
      what: "package",
    }),
    "dev",
  );
  gather(
    dctx,
    deps,
    pickTable(dctx, manifest.buildDependencies, manifest.buildDependencies2, {
      key: "build-dependencies",
      owner: name,
      what: "package",
    }),
    "build",
  );
  for (const [spec, platform] of manifest.target ?? []) {
    const p = parsePlatform(spec);
    gather(dctx, deps, platform.dependencies, "normal", p);
    gather(
      dctx,
      deps,
      pickTable(dctx, platform.buildDependencies, platform.buildDependencies2, {
        key: "build-dependencies",
        owner: spec,
        what: "platform target",
      }),
      "build",
      p,
    );
    gather(
      dctx,
      deps,
      pickTable(dctx, platform.devDependencies, platform.devDependencies2, {
        key: "dev-dependencies",
        owner: spec,
        what: "platform target",
      }),
      "dev",
      p,
    );
  }
  const sources = new Map<string, string>();
  for (const d of deps) {
    const key = JSON.stringify(d.source);
    const prev = sources.get(d.nameInToml);
    if (prev !== undefined && prev !== key) {
      throw manifestError(
        `Dependency '${d.nameInToml}' has different source paths depending on the build target. Each dependency must have a single canonical source path irrespective of build target.`,
      );
    }
    sources.set(d.nameInToml, key);
  }
  if (manifest.replace && manifest.replace.size > 0) {
    warnings.push("`[replace]` is deprecated and ignored by wharf; use `[patch]` instead");
  }

  const features = buildFeatureMap(manifest.features ?? new Map(), deps);
  if (features.has("default-features")) {
    warnings.push(
      "`[features]` defines a feature named `default-features`\nnote: only a feature named `default` will be enabled by default",
    );
  }
  const lints = resolveLints(manifest.lints, inheritable);

  const source: SourceId = options.sourceId ?? { kind: "path", path: root };
  const pkgOut: Package = {
    name,
    version,
    manifestPath,
    root,
    source,
    edition,
    metadata,
    publish,
    defaultRun: pkg.defaultRun,
    customMetadata: pkg.metadata,
    dependencies: deps,
    features,
    declaredFeatures: new Map(manifest.features ?? []),
    targets,
    resolver,
    profiles: manifest.profile,
    lints,
    include,
    exclude,
    workspaceConfig,
  };
  return { kind: "package", package: pkgOut, warnings };
}

/** One `[patch.<source>]` table of the workspace root: which source it patches, and with what. */
export interface PatchTable {
  /** the `[patch]` key as written: `crates-io`, a registry name, or a URL */
  key: string;
  /** the patched source's URL (`sparse+...` for sparse registries; crates.io's index URL for crates-io) */
  url: string;
  dependencies: Dependency[];
}

/**
 * The root manifest's `[patch]` tables as dependencies (cargo's `Workspace::root_patch`):
 * each entry becomes a Dependency with its own source (path relative to the root, git, or
 * another registry). `[patch]` is read from the workspace root only.
 */
export function normalizePatch(manifest: TomlManifest, options: NormalizeOptions): PatchTable[] {
  if (!manifest.patch) return [];
  const root = parentDir(options.manifestPath);
  const ctx: DepContext = {
    root,
    // the edition only changes warnings about `default_features`, which matter less in a patch
    edition: "2021",
    warnings: [],
    options,
    inheritable: options.inheritable,
  };
  const out: PatchTable[] = [];
  for (const [key, table] of manifest.patch) {
    const url =
      key === "crates-io"
        ? CRATES_IO_INDEX
        : /^[A-Za-z][A-Za-z0-9+.-]*:/.test(key)
          ? key
          : options.registryIndex(key);
    const dependencies: Dependency[] = [];
    for (const [name, dep] of table) {
      dependencies.push(toDependency(ctx, name, { kind: "value", dep }, "normal", undefined));
    }
    out.push({ key, url, dependencies });
  }
  return out;
}
