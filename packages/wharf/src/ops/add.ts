/**
 * `wharf add`: add or change dependencies in a member's Cargo.toml as `cargo add` (1.95)
 * does — the same entry shapes, version choice, workspace inheritance, feature listing and
 * errors — editing the file format-preservingly (manifest-edit.ts), then re-resolving the
 * workspace and writing Cargo.lock.
 */
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { isAbsolute, join, relative, resolve as resolvePath } from "node:path";
import { CRATES_IO_INDEX, normalizePath, type Package, type SourceId, WharfError } from "@wharf/protocol";
import { WharfCache } from "../cache/index.js";
import type { CliContext } from "../cli/context.js";
import { cargoHome, wharfHome } from "../cli/homes.js";
import { resolveSourceReplacement } from "../config/index.js";
import { ResolverRegistry } from "../sources/index.js";
import { WorkspaceLoader } from "../workspace/index.js";
import {
  applyDepOp,
  type DepOp,
  featureListing,
  parseCrateSpec,
  unknownFeatureMessage,
} from "./add-dependency.js";
import {
  availableFeatures,
  chooseLatest,
  featuresOfPackage,
  lowestMatching,
  queryRegistry,
} from "./add-resolve.js";
import { caFileOf, loadConfigFor, loadWorkspaceFor, registryIndexResolver } from "./load.js";
import {
  type DepTable,
  depTableLabel,
  depTablePath,
  EditableManifest,
  type EditDependency,
  fromToml,
  type PathContext,
  tomlKeyOf,
  versionOf,
} from "./manifest-edit.js";
import { relockAfterEdit, selectPackage } from "./remove.js";
import { checkAddedCrates } from "./typosquat-check.js";

export interface AddOptions {
  manifestPath?: string | undefined;
  packages: string[];
  crates: string[];
  section: DepTable;
  dryRun: boolean;
  rename?: string | undefined;
  path?: string | undefined;
  git?: string | undefined;
  branch?: string | undefined;
  tag?: string | undefined;
  rev?: string | undefined;
  registry?: string | undefined;
  features: string[];
  defaultFeatures?: boolean | undefined;
  optional?: boolean | undefined;
  ignoreRustVersion: boolean;
}

/** What was decided for one dependency before the manifest is touched. */
interface ResolvedDep {
  dep: EditDependency;
  availableVersion?: string | undefined;
  available: Map<string, string[]>;
}

function pathContext(crateRoot: string): PathContext {
  return {
    crateRoot,
    relative: (from, to) => relative(from, to).replace(/\\/g, "/"),
    resolve: (base, rel) => normalizePath(isAbsolute(rel) ? rel : join(base, rel)),
  };
}

function rustcVersion(env: CliContext["env"]): Promise<string | undefined> {
  return new Promise((done) => {
    execFile(
      "rustc",
      ["--version"],
      { env: { ...env } as NodeJS.ProcessEnv, timeout: 30_000 },
      (err, stdout) => {
        const m = /^rustc (\d+\.\d+\.\d+)/.exec(stdout ?? "");
        done(err || !m ? undefined : m[1]);
      },
    );
  });
}

/** `crates.io index` or `` `name` index `` for the source a registry URL is fetched from. */
function indexLabel(ctx: CliContext, url: string, config: ReturnType<typeof loadConfigFor>): string {
  if (url === CRATES_IO_INDEX) {
    try {
      const { target } = resolveSourceReplacement(config.config, "crates-io");
      if (target.name !== "crates-io") return `\`${target.name}\` index`;
    } catch {
      // fall through
    }
    return "crates.io index";
  }
  for (const [name, reg] of config.config.registries)
    if (reg.index?.value === url) return `\`${name}\` index`;
  void ctx;
  return `\`${url}\` index`;
}

export async function add(ctx: CliContext, options: AddOptions): Promise<void> {
  const config = loadConfigFor(ctx);
  const ws = loadWorkspaceFor(ctx, config, options.manifestPath);
  const spec = selectPackage(ws, options.packages, "add");
  const ops = parseCrateSpec(options);
  const manifestText = readFileSync(spec.manifestPath, "utf8");
  const manifest = new EditableManifest(spec.manifestPath, manifestText);
  const legacy = manifest.legacySections();
  if (legacy.length > 0) {
    throw new WharfError({
      code: "ADD_LEGACY_SECTIONS",
      message: `Deprecated dependency sections are unsupported: ${legacy.join(", ")}`,
    });
  }
  const ctxPaths = pathContext(spec.root);
  const rootCtx = pathContext(ws.rootDir);
  const cache = await new WharfCache({ wharfHome: wharfHome(ctx.env, ctx.cwd) }).init();
  const loader = new WorkspaceLoader({
    cwd: ctx.cwd,
    cargoHome: cargoHome(ctx.env, ctx.cwd),
    registryIndex: registryIndexResolver(config),
  });
  const byManifest = new Map(ws.members.map((m) => [m.manifestPath, m]));
  const loadPath = (dir: string): Package => {
    const m = join(dir, "Cargo.toml");
    const member = byManifest.get(m);
    if (member) return member;
    const loaded = loader.load(m);
    if (loaded.kind !== "package") {
      throw new WharfError({
        code: "ADD_PATH_VIRTUAL",
        message: `\`${dir}\` is a virtual manifest, not a package`,
      });
    }
    return loaded.package;
  };
  const registry = new ResolverRegistry({
    config: config.config,
    cache,
    caFile: caFileOf(ctx, config),
    loadPath,
  });
  const updated = new Set<string>();
  const registryUrl = (name: string | undefined): string =>
    name === undefined ? CRATES_IO_INDEX : registryIndexResolver(config)(name);
  const query = async (source: SourceId, name: string) => {
    if (source.kind === "registry" && !updated.has(source.url)) {
      updated.add(source.url);
      ctx.shell.status("Updating", indexLabel(ctx, source.url, config));
    }
    return queryRegistry(registry, source, name);
  };
  // [workspace.dependencies] of the root, as the editor reads them
  const rootManifest = new EditableManifest(ws.rootManifest, readFileSync(ws.rootManifest, "utf8"));
  const wsDeps = rootManifest.getTable(["workspace", "dependencies"]);
  const findWorkspaceDep = (key: string): EditDependency | undefined => {
    const e = wsDeps?.table.entries.find((x) => x.key.key === key);
    return e ? fromToml(key, e.item, rootCtx) : undefined;
  };
  let rustc: string | undefined;
  const resolved: ResolvedDep[] = [];
  try {
    for (const op of ops) resolved.push(await resolveOne(op));
  } catch (error) {
    await registry.close();
    throw error;
  }

  async function resolveOne(op: DepOp): Promise<ResolvedDep> {
    let selected: EditDependency;
    let available = new Map<string, string[]>();
    let availableVersion: string | undefined;
    if (op.git !== undefined) {
      if (op.versionReq !== undefined) {
        throw new WharfError({
          code: "ADD_GIT_VERSION",
          message: `cannot specify a git URL (\`${op.git}\`) with a version (\`${op.versionReq}\`).`,
        });
      }
      if (op.name === undefined) {
        throw new WharfError({
          code: "ADD_GIT_UNSUPPORTED",
          message: `cannot infer the package name from git repository \`${op.git}\``,
          hint: "name the crate: `wharf add --git <URL> <NAME>` (wharf does not fetch git sources yet)",
        });
      }
      selected = {
        name: op.name,
        source: {
          kind: "git",
          git: op.git,
          ...(op.rev !== undefined
            ? { rev: op.rev }
            : op.tag !== undefined
              ? { tag: op.tag }
              : op.branch !== undefined
                ? { branch: op.branch }
                : {}),
        },
      };
    } else if (op.path !== undefined) {
      if (op.versionReq !== undefined) {
        throw new WharfError({
          code: "ADD_PATH_VERSION",
          message: `cannot specify a path (\`${op.path}\`) with a version (\`${op.versionReq}\`).`,
        });
      }
      const dir = normalizePath(resolvePath(ctx.cwd, op.path));
      const pkg = loadPath(dir);
      if (op.name !== undefined && op.name !== pkg.name) {
        throw new WharfError({
          code: "ADD_PATH_NOT_FOUND",
          message: `the crate \`${op.name}\` could not be found at \`${dir}\``,
        });
      }
      selected = { name: pkg.name, source: { kind: "path", path: dir, version: pkg.version.split("+")[0] } };
      available = featuresOfPackage(pkg);
      availableVersion = pkg.version;
    } else if (op.name !== undefined) {
      selected = { name: op.name };
      if (op.versionReq !== undefined)
        selected.source = { kind: "registry", version: op.versionReq.split("+")[0] ?? "" };
    } else {
      throw new WharfError({ code: "ADD_NO_NAME", message: "dependency name is required" });
    }
    selected = applyDepOp(selected, op);

    const existing = findExisting(selected);
    let dep: EditDependency;
    if (existing) {
      if (existing.name !== selected.name) {
        if (selected.optional === undefined) selected.optional = existing.optional;
        dep = selected;
      } else {
        const merged: EditDependency = { ...existing };
        if (selected.source !== undefined) merged.source = selected.source;
        dep = applyDepOp(merged, op);
      }
    } else dep = selected;

    if (dep.source === undefined) {
      const wsDep = fuzzyWorkspaceDep(dep);
      const member = ws.members.find((m) => m.name === dep.name);
      if (wsDep) dep.source = { kind: "workspace" };
      else if (member) {
        dep.source = {
          kind: "path",
          path: member.root,
          version: options.section.kind === "dev" ? undefined : member.version.split("+")[0],
        };
      } else {
        const src: SourceId = { kind: "registry", url: registryUrl(dep.registry) };
        const found = await query(src, dep.name);
        if (found.summaries.length === 0) {
          throw new WharfError({
            code: "ADD_CRATE_NOT_FOUND",
            message: `the crate \`${dep.name}\` could not be found in registry index.`,
          });
        }
        if (!options.ignoreRustVersion && spec.metadata.rustVersion === undefined && rustc === undefined)
          rustc = await rustcVersion(ctx.env);
        const choice = chooseLatest({
          summaries: found.summaries,
          depName: dep.name,
          packageName: spec.name,
          packageRustVersion: spec.metadata.rustVersion,
          rustcVersion: rustc,
          honorRustVersion: !options.ignoreRustVersion,
        });
        if (found.name !== dep.name) {
          ctx.shell.warn(`translating \`${dep.name}\` to \`${found.name}\``);
          dep.name = found.name;
        }
        if (choice.warning) ctx.shell.warn(choice.warning);
        const v = choice.summary.id.version;
        dep.source = {
          kind: "registry",
          version: `${v.major}.${v.minor}.${v.patch}${v.pre ? `-${v.pre}` : ""}`,
        };
      }
    }

    if (dep.source.kind === "workspace") {
      checkInvalidWsKeys(tomlKeyOf(dep), op, spec.edition);
      if (spec.edition >= "2024" && op.defaultFeatures === true) {
        const w = findWorkspaceDep(tomlKeyOf(dep));
        if (w?.defaultFeatures === false) dep.defaultFeatures = true;
      }
    }
    const versionRequired = dep.source.kind === "registry";
    const preserveExisting = existing !== undefined && versionOf(existing) !== undefined;
    if (!versionRequired && !preserveExisting && options.section.kind === "dev") {
      if (dep.source.kind === "path" || dep.source.kind === "git")
        dep.source = { ...dep.source, version: undefined };
    }

    // what to query for features: the workspace entry for inherited dependencies
    let q: EditDependency = dep;
    if (dep.source.kind === "workspace") {
      const w = findWorkspaceDep(tomlKeyOf(dep));
      if (!w) {
        throw new WharfError({
          code: "ADD_WORKSPACE_DEP",
          message: `could not find ${tomlKeyOf(dep)} in \`workspace.dependencies\``,
        });
      }
      if (w.features) dep.inheritedFeatures = [...w.features];
      q = w;
    }
    if (available.size === 0 && availableVersion === undefined) {
      const s = q.source;
      if (s?.kind === "path") {
        const pkg = loadPath(s.path);
        available = featuresOfPackage(pkg);
        availableVersion = pkg.version;
      } else if (s?.kind === "registry" || s === undefined) {
        const found = await query({ kind: "registry", url: registryUrl(q.registry) }, q.name);
        const lowest = lowestMatching(found.summaries, s?.version);
        if (!lowest) {
          throw new WharfError({
            code: "ADD_CRATE_NOT_FOUND",
            message: `the crate \`${q.name}${s?.version !== undefined ? `@${s.version}` : ""}\` could not be found in registry index.`,
          });
        }
        available = availableFeatures(lowest.features);
        availableVersion = `${lowest.id.version.major}.${lowest.id.version.minor}.${lowest.id.version.patch}${lowest.id.version.pre ? `-${lowest.id.version.pre}` : ""}`;
      }
    }
    return { dep, available, availableVersion };
  }

  function findExisting(dep: EditDependency): EditDependency | undefined {
    const lookup = (key: string): EditDependency | undefined => {
      const rank = { error: 0, dev: 1, build: 2, normal: 3, existing: 4 } as const;
      let best: { r: number; dep: EditDependency | Error; other: boolean } | undefined;
      for (const d of manifest.dependencies(ctxPaths)) {
        if (d.key !== key) continue;
        const same = d.table.kind === options.section.kind && d.table.target === options.section.target;
        const r = same ? rank.existing : d.dep instanceof Error ? rank.error : rank[d.table.kind];
        if (!best || r >= best.r) best = { r, dep: d.dep, other: !same };
      }
      if (!best) return undefined;
      if (best.dep instanceof Error) throw best.dep;
      if (!best.other) return best.dep;
      const unrelated = best.dep;
      const out: EditDependency = {
        name: unrelated.name,
        source: unrelated.source,
        registry: unrelated.registry,
      };
      if (unrelated.source?.kind !== "registry" && options.section.kind === "dev") {
        if (out.source?.kind === "registry") out.source = undefined;
        else if (out.source?.kind === "path" || out.source?.kind === "git")
          out.source = { ...out.source, version: undefined };
      }
      return out;
    };
    return fuzzy(dep, lookup, (d) => d.source?.kind === "registry");
  }

  function fuzzyWorkspaceDep(dep: EditDependency): EditDependency | undefined {
    return fuzzy(dep, findWorkspaceDep, (d) => d.source?.kind === "registry");
  }

  function fuzzy(
    dep: EditDependency,
    lookup: (key: string) => EditDependency | undefined,
    isRegistry: (d: EditDependency) => boolean,
  ): EditDependency | undefined {
    if (dep.rename !== undefined) return lookup(dep.rename);
    for (const n of [dep.name, dep.name.replace(/-/g, "_"), dep.name.replace(/_/g, "-")]) {
      const found = lookup(n);
      if (!found) continue;
      if (n !== dep.name) {
        if (!isRegistry(found)) continue;
        ctx.shell.warn(`translating \`${dep.name}\` to \`${n}\``);
        dep.name = n;
      }
      return found;
    }
    return undefined;
  }

  try {
    const tablePath = depTablePath(options.section);
    const wasSorted = manifest.isSorted(tablePath);
    checkAddedCrates(
      ctx,
      ws.rootDir,
      resolved.flatMap((r) => (r.dep.source?.kind === "registry" ? [r.dep.name] : [])),
    );
    for (const { dep, available, availableVersion } of resolved) {
      ctx.shell.status("Adding", actionMessage(dep, options.section));
      if (dep.source?.kind === "path" && normalizePath(dep.source.path) === normalizePath(spec.root)) {
        throw new WharfError({
          code: "ADD_SELF",
          message: `cannot add \`${manifest.packageName() ?? spec.name}\` as a dependency to itself`,
        });
      }
      const unknown = unknownFeatureMessage(dep, available);
      if (unknown) throw new WharfError({ code: "ADD_UNKNOWN_FEATURE", message: unknown });
      for (const line of featureListing(dep, available, availableVersion))
        ctx.shell.stderr.write(`${line}\n`);
      manifest.insertIntoTable(tablePath, dep, ctxPaths);
      if (dep.optional === true) {
        const rv = spec.metadata.rustVersion;
        const namespaced = rv === undefined || !rustVersionBelow(rv, "1.60.0");
        const key = tomlKeyOf(dep);
        if (namespaced && !manifest.isExplicitDepActivation(key)) {
          manifest.setFeature(key, [`dep:${dep.rename ?? dep.name}`]);
          ctx.shell.status("Adding", `feature \`${key}\``);
        }
      }
      manifest.gcDep(tomlKeyOf(dep));
    }
    if (wasSorted) manifest.sortValues(tablePath);
    const text = manifest.toString();
    if (ctx.globals.locked && text !== manifestText) {
      throw new WharfError({
        code: "ADD_LOCKED",
        message: `the manifest file ${spec.manifestPath} needs to be updated but --locked was passed to prevent this`,
      });
    }
    if (options.dryRun) ctx.shell.warn("aborting add due to dry run");
    else if (text !== manifestText) writeFileSync(spec.manifestPath, text);
  } finally {
    await registry.close();
  }
  // like cargo, a dry run still resolves (the unchanged manifest) but writes nothing
  await relockAfterEdit(ctx, options.manifestPath ?? ws.currentManifest, {
    quiet: false,
    dryRun: options.dryRun,
  });
}

function rustVersionBelow(a: string, b: string): boolean {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0;
  }
  return false;
}

function checkInvalidWsKeys(key: string, op: DepOp, edition: string): void {
  const msg = (flag: string, field: string) =>
    `cannot override workspace dependency with \`${flag}\`, either change \`workspace.dependencies.${key}.${field}\` or define the dependency exclusively in the package's manifest`;
  if (op.defaultFeatures !== undefined && edition < "2024")
    throw new WharfError({
      code: "ADD_WORKSPACE_OVERRIDE",
      message: msg("--default-features", "default-features"),
    });
  if (op.registry !== undefined)
    throw new WharfError({ code: "ADD_WORKSPACE_OVERRIDE", message: msg("--registry", "registry") });
  if (op.rename !== undefined)
    throw new WharfError({ code: "ADD_WORKSPACE_OVERRIDE", message: msg("--rename", "package") });
}

function actionMessage(dep: EditDependency, section: DepTable): string {
  let m = dep.name;
  const s = dep.source;
  if (s?.kind === "registry") m += /^[0-9]/.test(s.version) ? ` v${s.version}` : ` ${s.version}`;
  else if (s?.kind === "path") m += " (local)";
  else if (s?.kind === "git") m += " (git)";
  else if (s?.kind === "workspace") m += " (workspace)";
  m += " to";
  if (dep.optional === true) m += " optional";
  if (dep.public === true) m += " public";
  return `${m} ${depTableLabel(section)}`;
}
