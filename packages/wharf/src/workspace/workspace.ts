/**
 * Loading a workspace as cargo does: find the current manifest, walk up to the workspace
 * root, expand `members` globs, follow path dependencies, honour `exclude` and
 * `default-members`, and validate that every member agrees on the root. Manifests are parsed
 * and normalized once each; their warnings are kept for the caller to print.
 */
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import {
  type Diagnostic,
  type InheritableFields,
  joinPath,
  normalizeManifest,
  normalizePath,
  type Package,
  parentDir,
  pathStartsWith,
  relativePath,
  type TomlManifest,
  type VirtualManifest,
  WharfError,
  type WorkspaceConfig,
  workspaceConfigOf,
} from "@wharf/protocol";
import { fsProbe } from "./fs-probe.js";
import { expandGlob } from "./glob.js";
import { type LoadedToml, loadManifestFile } from "./load-manifest.js";

export type MaybePackage =
  | { kind: "package"; package: Package }
  | { kind: "virtual"; manifest: VirtualManifest };

export interface Workspace {
  rootManifest: string;
  rootDir: string;
  /** the manifest the command was run for */
  currentManifest: string;
  isVirtual: boolean;
  members: Package[];
  defaultMembers: Package[];
  customMetadata: unknown;
  resolver?: string | undefined;
  /** warnings of every manifest loaded, in load order */
  diagnostics: Diagnostic[];
}

export interface WorkspaceOptions {
  cwd: string;
  /** `--manifest-path` */
  manifestPath?: string | undefined;
  /** CARGO_HOME: the root search does not walk across it */
  cargoHome?: string | undefined;
  /** index URL of a registry named in config */
  registryIndex: (name: string) => string;
}

function wsError(message: string, hint?: string, cause?: unknown): WharfError {
  return new WharfError({ code: "WORKSPACE_INVALID", message, hint, cause });
}

/** The nearest Cargo.toml from `cwd` upward (cargo's `find_root_manifest_for_wd`). */
export function findManifest(cwd: string): string {
  let dir = resolve(cwd);
  for (let i = 0; i < 256; i++) {
    const candidate = joinPath(dir, "Cargo.toml");
    if (existsSync(candidate)) return candidate;
    const parent = parentDir(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new WharfError({
    code: "MANIFEST_NOT_FOUND",
    message: `could not find \`Cargo.toml\` in \`${resolve(cwd)}\` or any parent directory`,
    hint: "run this command inside a package, or pass --manifest-path",
  });
}

function isExcluded(config: WorkspaceConfig & { kind: "root" }, manifestPath: string): boolean {
  const excluded = config.exclude.some((ex) =>
    pathStartsWith(manifestPath, normalizePath(joinPath(config.rootDir, ex))),
  );
  const explicit = (config.members ?? []).some((m) =>
    pathStartsWith(manifestPath, normalizePath(joinPath(config.rootDir, m))),
  );
  return !explicit && excluded;
}

export class WorkspaceLoader {
  private readonly tomls = new Map<string, LoadedToml>();
  private readonly loaded = new Map<string, MaybePackage>();
  private readonly loading = new Set<string>();
  readonly diagnostics: Diagnostic[] = [];
  private readonly options: WorkspaceOptions;

  constructor(options: WorkspaceOptions) {
    this.options = options;
  }

  private toml(path: string): LoadedToml {
    let t = this.tomls.get(path);
    if (!t) {
      t = loadManifestFile(path);
      this.tomls.set(path, t);
      this.diagnostics.push(...t.diagnostics);
    }
    return t;
  }

  private wsConfigOf(path: string): WorkspaceConfig {
    return workspaceConfigOf(this.toml(path).parsed.manifest, path);
  }

  /** cargo's `get_ws_root`: what `selfPath`'s manifest says about the root of `lookFrom`. */
  private wsRootFrom(selfPath: string, lookFrom: string): string | undefined {
    const config = this.wsConfigOf(selfPath);
    if (config.kind === "root") return isExcluded(config, lookFrom) ? undefined : selfPath;
    if (config.rootPath !== undefined)
      return normalizePath(joinPath(joinPath(parentDir(selfPath), config.rootPath), "Cargo.toml"));
    return undefined;
  }

  /** The workspace root manifest for `manifestPath`, or undefined when it stands alone. */
  findRoot(manifestPath: string): string | undefined {
    const own = this.wsRootFrom(manifestPath, manifestPath);
    if (own !== undefined) return own;
    const cargoHome = this.options.cargoHome ? normalizePath(resolve(this.options.cargoHome)) : undefined;
    let dir = parentDir(parentDir(manifestPath));
    let last: string | undefined;
    for (let i = 0; i < 256; i++) {
      if (dir.endsWith("target/package")) break;
      if (cargoHome !== undefined && last === cargoHome) break;
      const candidate = joinPath(dir, "Cargo.toml");
      if (existsSync(candidate)) {
        let root: string | undefined;
        try {
          root = this.wsRootFrom(candidate, manifestPath);
        } catch (cause) {
          throw wsError(
            `failed searching for potential workspace\npackage manifest: \`${manifestPath}\`\ninvalid potential workspace manifest: \`${candidate}\``,
            "to avoid searching for a non-existent workspace, add `[workspace]` to the package manifest",
            cause,
          );
        }
        if (root !== undefined) return root;
      }
      if (dir === "/") break;
      last = dir;
      dir = parentDir(dir);
    }
    return undefined;
  }

  private inheritableFor(manifestPath: string): InheritableFields {
    const root = this.findRoot(manifestPath);
    if (root === undefined) throw wsError("failed to find a workspace root");
    const config = this.wsConfigOf(root);
    if (config.kind !== "root") throw wsError(`root of a workspace inferred but wasn't a root: ${root}`);
    return config.inheritable;
  }

  load(manifestPath: string): MaybePackage {
    const cached = this.loaded.get(manifestPath);
    if (cached) return cached;
    if (this.loading.has(manifestPath)) {
      throw wsError(`cyclic workspace: \`${manifestPath}\` needs itself to load`);
    }
    this.loading.add(manifestPath);
    try {
      const toml = this.toml(manifestPath);
      let result: ReturnType<typeof normalizeManifest>;
      try {
        result = normalizeManifest(toml.parsed.manifest as TomlManifest, {
          manifestPath,
          probe: fsProbe,
          inheritable: () => this.inheritableFor(manifestPath),
          registryIndex: this.options.registryIndex,
        });
      } catch (cause) {
        throw new WharfError({
          code: cause instanceof WharfError ? cause.code : "MANIFEST_INVALID",
          message: `failed to parse manifest at \`${manifestPath}\``,
          cause,
        });
      }
      for (const w of result.warnings)
        this.diagnostics.push({ level: "warning", message: w, file: manifestPath });
      const maybe: MaybePackage =
        result.kind === "package"
          ? { kind: "package", package: result.package }
          : { kind: "virtual", manifest: result.manifest };
      this.loaded.set(manifestPath, maybe);
      return maybe;
    } finally {
      this.loading.delete(manifestPath);
    }
  }
}

function membersPaths(
  rootDir: string,
  globs: readonly string[],
): { path: string; glob?: string | undefined }[] {
  const out: { path: string; glob?: string | undefined }[] = [];
  for (const glob of globs) {
    const pattern = joinPath(rootDir, glob);
    const expanded = expandGlob(pattern);
    if (expanded.length === 0) {
      out.push({ path: pattern });
      continue;
    }
    const usedGlob = expanded.length > 1 || expanded[0] !== pattern;
    for (const p of expanded) {
      if (statSync(p, { throwIfNoEntry: false })?.isDirectory())
        out.push({ path: p, glob: usedGlob ? glob : undefined });
    }
  }
  return out;
}

/** Loads the workspace that the current directory (or --manifest-path) belongs to. */
export function loadWorkspace(options: WorkspaceOptions): Workspace {
  let current: string;
  if (options.manifestPath !== undefined) {
    current = normalizePath(resolve(options.cwd, options.manifestPath));
    if (!current.endsWith("/Cargo.toml") && current !== "Cargo.toml") {
      throw new WharfError({
        code: "MANIFEST_PATH_INVALID",
        message: "the manifest-path must be a path to a Cargo.toml file",
      });
    }
    if (!existsSync(current)) {
      throw new WharfError({
        code: "MANIFEST_NOT_FOUND",
        message: `manifest path \`${options.manifestPath}\` does not exist`,
      });
    }
  } else {
    current = normalizePath(findManifest(options.cwd));
  }
  const loader = new WorkspaceLoader(options);
  const currentPkg = loader.load(current);
  const rootManifest = loader.findRoot(current);

  if (rootManifest === undefined) {
    if (currentPkg.kind !== "package")
      throw wsError(`\`${current}\` is a virtual manifest but no workspace was found`);
    return {
      rootManifest: current,
      rootDir: parentDir(current),
      currentManifest: current,
      isVirtual: false,
      members: [currentPkg.package],
      defaultMembers: [currentPkg.package],
      customMetadata: undefined,
      resolver: currentPkg.package.resolver,
      diagnostics: loader.diagnostics,
    };
  }

  if (!existsSync(rootManifest)) {
    throw wsError(`failed to read the workspace root \`${rootManifest}\` named by \`${current}\``);
  }
  const root = loader.load(rootManifest);
  const rootConfig = root.kind === "package" ? root.package.workspaceConfig : root.manifest.workspaceConfig;
  if (rootConfig.kind !== "root") {
    throw wsError(
      `\`package.workspace\` configuration points to a crate which is not configured with [workspace]: \nconfiguration at: ${current}\npoints to: ${rootManifest}`,
    );
  }
  const rootDir = parentDir(rootManifest);
  const members: string[] = [];
  const memberSet = new Set<string>();

  const findPathDeps = (manifestPath: string, isPathDep: boolean, depth: number): void => {
    const path = normalizePath(manifestPath);
    if (memberSet.has(path)) return;
    if (depth > 256) throw wsError(`path dependencies nest deeper than 256 levels at \`${path}\``);
    if (isPathDep && !pathStartsWith(parentDir(path), rootDir) && loader.findRoot(path) !== rootManifest)
      return;
    if (isExcluded(rootConfig, path)) return;
    memberSet.add(path);
    members.push(path);
    const maybe = loader.load(path);
    if (maybe.kind !== "package") return;
    for (const dep of maybe.package.dependencies) {
      if (dep.source.kind !== "path") continue;
      const depManifest = joinPath(dep.source.path, "Cargo.toml");
      try {
        findPathDeps(depManifest, true, depth + 1);
      } catch (cause) {
        throw new WharfError({
          code: cause instanceof WharfError ? cause.code : "WORKSPACE_INVALID",
          message: `failed to load manifest for dependency \`${dep.name}\``,
          cause,
        });
      }
    }
  };

  const listed = membersPaths(rootDir, rootConfig.members ?? []);
  for (const { path, glob } of listed) {
    try {
      findPathDeps(joinPath(path, "Cargo.toml"), false, 0);
    } catch (cause) {
      throw new WharfError({
        code: cause instanceof WharfError ? cause.code : "WORKSPACE_INVALID",
        message: `failed to load manifest for workspace member \`${path}\`\nreferenced${glob ? ` via \`${glob}\`` : ""} by workspace at \`${rootManifest}\``,
        cause,
      });
    }
  }
  findPathDeps(rootManifest, false, 0);

  const defaults: string[] = [];
  if (rootManifest === current && rootConfig.defaultMembers !== undefined) {
    for (const { path, glob } of membersPaths(rootDir, rootConfig.defaultMembers)) {
      const normalized = normalizePath(path);
      const manifest = joinPath(normalized, "Cargo.toml");
      if (!memberSet.has(manifest)) {
        const excluded =
          listed.some((m) => normalizePath(m.path) === normalized) && isExcluded(rootConfig, normalized);
        if (excluded) continue;
        throw wsError(
          `package \`${path}\` is listed in default-members${glob ? ` via \`${glob}\`` : ""} but is not a member\nfor workspace at \`${rootManifest}\`.`,
        );
      }
      defaults.push(manifest);
    }
  } else if (currentPkg.kind === "virtual") {
    // only a virtual *current* manifest defaults to every member; from a member, just it
    defaults.push(...members);
  } else {
    defaults.push(current);
  }

  // validation, as cargo's Workspace::validate
  const names = new Map<string, string>();
  for (const m of members) {
    const maybe = loader.load(m);
    if (maybe.kind !== "package") continue;
    const prev = names.get(maybe.package.name);
    if (prev !== undefined) {
      throw wsError(`two packages named \`${maybe.package.name}\` in this workspace:\n- ${prev}\n- ${m}`);
    }
    names.set(maybe.package.name, m);
  }
  const roots = members.filter((m) => {
    const maybe = loader.load(m);
    const config = maybe.kind === "package" ? maybe.package.workspaceConfig : maybe.manifest.workspaceConfig;
    return config.kind === "root";
  });
  if (roots.length > 1) {
    throw wsError(
      `multiple workspace roots found in the same workspace:\n${roots.map((r) => `  ${parentDir(r)}`).join("\n")}`,
    );
  }
  for (const m of members) {
    const r = loader.findRoot(m);
    if (r === rootManifest) continue;
    if (r !== undefined) {
      throw wsError(
        `package \`${m}\` is a member of the wrong workspace\nexpected: ${rootManifest}\nactual:   ${r}`,
      );
    }
    throw wsError(
      `workspace member \`${m}\` is not hierarchically below the workspace root \`${rootManifest}\``,
    );
  }
  if (!memberSet.has(current)) {
    const rel = relativePath(rootDir, parentDir(current));
    throw wsError(
      `current package believes it's in a workspace when it's not:\ncurrent:   ${current}\nworkspace: ${rootManifest}\n\nthis may be fixable by adding \`${rel}\` to the \`workspace.members\` array of the manifest located at: ${rootManifest}\nAlternatively, to keep it out of the workspace, add the package to the \`workspace.exclude\` array, or add an empty \`[workspace]\` table to the package's manifest.`,
    );
  }

  const packages = (paths: string[]) =>
    paths.flatMap((p) => {
      const maybe = loader.load(p);
      return maybe.kind === "package" ? [maybe.package] : [];
    });
  return {
    rootManifest,
    rootDir,
    currentManifest: current,
    isVirtual: root.kind === "virtual",
    members: packages(members),
    defaultMembers: packages(defaults),
    customMetadata: rootConfig.customMetadata,
    resolver: root.kind === "package" ? root.package.resolver : root.manifest.resolver,
    diagnostics: loader.diagnostics,
  };
}
