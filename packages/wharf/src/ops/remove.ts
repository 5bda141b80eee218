/**
 * `wharf remove`: drop dependencies from a member's Cargo.toml as `cargo remove` (1.95)
 * does — the entry, feature values that referred to it, then `[workspace.dependencies]`
 * entries no member inherits any more — and re-lock. Also holds what add and remove share:
 * choosing the package to edit and writing Cargo.lock after an edit.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import {
  compareVersions,
  formatVersion,
  matches,
  normalizePath,
  type Package,
  parseRequirement,
  parseVersion,
  WharfError,
} from "@wharf/protocol";
import type { CliContext } from "../cli/context.js";
import type { ResolvedPackage } from "../lockfile/index.js";
import type { Summary } from "../resolver/index.js";
import type { ResolverRegistry } from "../sources/index.js";
import { Shell } from "../util/shell.js";
import type { Workspace } from "../workspace/index.js";
import { queryRegistry, rustVersionLe } from "./add-resolve.js";
import { loadConfigFor, loadWorkspaceFor } from "./load.js";
import {
  type DepTable,
  depTableLabel,
  depTablePath,
  EditableManifest,
  fromToml,
  MissingDependencyError,
  type PathContext,
} from "./manifest-edit.js";
import { resolveWorkspace } from "./resolve-workspace.js";

export interface RemoveOptions {
  manifestPath?: string | undefined;
  packages: string[];
  dependencies: string[];
  section: DepTable;
  dryRun: boolean;
}

/** The one package `-p` (or the current directory) selects, with cargo's errors. */
export function selectPackage(ws: Workspace, specs: readonly string[], command: "add" | "remove"): Package {
  let chosen: Package[];
  if (specs.length > 0) {
    chosen = [];
    for (const s of specs) {
      const at = s.indexOf("@");
      const name = at >= 0 ? s.slice(0, at) : s;
      const version = at >= 0 ? s.slice(at + 1) : undefined;
      const found = ws.members.filter(
        (m) => m.name === name && (version === undefined || m.version === version),
      );
      if (found.length === 0) {
        throw new WharfError({
          code: "PACKAGE_NOT_FOUND",
          message: `package(s) \`${s}\` not found in workspace \`${ws.rootDir}\``,
        });
      }
      chosen.push(...found);
    }
  } else {
    const current = ws.members.find((m) => m.manifestPath === ws.currentManifest);
    chosen = current ? [current] : ws.defaultMembers;
  }
  if (chosen.length === 1 && chosen[0]) return chosen[0];
  const names = chosen.map((p) => p.name).join(", ");
  if (command === "add") {
    throw new WharfError({
      code: "ADD_NO_PACKAGE",
      message:
        chosen.length === 0
          ? "no packages selected to modify.  Please specify one with `-p <PKGID>`"
          : `\`cargo add\` could not determine which package to modify. Use the \`--package\` option to specify a package. \navailable packages: ${names}`,
    });
  }
  throw new WharfError({
    code: "REMOVE_NO_PACKAGE",
    message:
      chosen.length === 0
        ? "no package selected to modify\nhelp: specify a package with `-p <PKGID>`"
        : `no package selected to modify\nhelp: specify a package with \`-p <PKGID>\`\n      available packages: ${names}`,
  });
}

function lockKeys(text: string): Set<string> {
  const out = new Set<string>();
  for (const block of text.split("[[package]]").slice(1)) {
    const name = /\nname = "([^"]*)"/.exec(block)?.[1];
    const version = /\nversion = "([^"]*)"/.exec(block)?.[1];
    const source = /\nsource = "([^"]*)"/.exec(block)?.[1];
    if (name && version && source) out.add(`${name} ${version}`);
  }
  return out;
}

/** cargo's "(available: vX)" note for a newly locked registry package, if a newer one exists. */
async function availableNote(
  registry: ResolverRegistry,
  p: ResolvedPackage,
  options: { direct: boolean; rustVersion: string | undefined },
): Promise<string> {
  const { summaries } = await queryRegistry(registry, p.source, p.name);
  const current = parseVersion(p.version);
  const caret = parseRequirement(`^${p.version}`);
  const fits = (s: Summary) =>
    options.rustVersion === undefined ||
    s.rustVersion === undefined ||
    rustVersionLe(s.rustVersion, options.rustVersion);
  const newest = (list: Summary[]) =>
    list.reduce<Summary | undefined>(
      (a, s) => (!a || compareVersions(s.id.version, a.id.version) > 0 ? s : a),
      undefined,
    );
  const compatible = (s: Summary) =>
    compareVersions(s.id.version, current) !== 0 && matches(caret, s.id.version);
  const later = (s: Summary) =>
    compareVersions(current, s.id.version) < 0 &&
    (s.id.version.pre === "" ||
      (s.id.version.major === current.major &&
        s.id.version.minor === current.minor &&
        s.id.version.patch === current.patch));
  const show = (s: Summary | undefined, msrvNote: boolean) =>
    s
      ? ` (available: v${formatVersion(s.id.version)}${msrvNote && s.rustVersion ? `, requires Rust ${s.rustVersion}` : ""})`
      : undefined;
  return (
    show(newest(summaries.filter((s) => fits(s) && compatible(s))), false) ??
    (options.direct ? show(newest(summaries.filter((s) => fits(s) && later(s))), false) : undefined) ??
    show(newest(summaries.filter(compatible)), true) ??
    (options.direct ? show(newest(summaries.filter(later)), true) : undefined) ??
    ""
  );
}

/** Re-resolves after a manifest edit and writes Cargo.lock, reporting as cargo does. */
export async function relockAfterEdit(
  ctx: CliContext,
  manifestPath: string | undefined,
  options: { quiet: boolean; dryRun?: boolean },
): Promise<void> {
  const quietShell = new Shell({
    stdout: ctx.shell.stdout,
    stderr: ctx.shell.stderr,
    verbosity: "quiet",
    env: ctx.env,
  });
  const rctx: CliContext = options.quiet ? { ...ctx, shell: quietShell } : ctx;
  const { registry, lockText, lockPath, lockPackages, ws } = await resolveWorkspace(rctx, manifestPath);
  try {
    const previous = existsSync(lockPath) ? readFileSync(lockPath, "utf8") : undefined;
    if (previous === lockText) return;
    if (!options.dryRun) writeFileSync(lockPath, lockText);
    if (options.quiet) return;
    const registryPackages = lockPackages.filter((p) => p.source.kind !== "path");
    const before = previous === undefined ? new Set<string>() : lockKeys(previous);
    const added = registryPackages.filter((p) => !before.has(`${p.name} ${p.version}`));
    if (added.length === 0) return;
    const n = added.length;
    ctx.shell.status(
      "Locking",
      `${n} package${n === 1 ? "" : "s"} to latest compatible version${n === 1 ? "" : "s"}`,
    );
    const direct = new Set(ws.members.flatMap((m) => m.dependencies.map((d) => d.name)));
    // only a rust-version-aware resolver (v3) holds packages to the members' rust-version;
    // otherwise cargo compares with the running rustc, newer than anything wharf is asked to lock
    const honors =
      ws.resolver === "3" || (ws.resolver === undefined && ws.members.some((m) => m.edition >= "2024"));
    const rustVersions = honors
      ? ws.members.map((m) => m.metadata.rustVersion).filter((v): v is string => v !== undefined)
      : [];
    const rustVersion = rustVersions.reduce<string | undefined>(
      (a, v) => (a === undefined || rustVersionLe(v, a) ? v : a),
      undefined,
    );
    for (const p of added) {
      const note = await availableNote(registry, p, { direct: direct.has(p.name), rustVersion });
      // without a previous lock cargo names only the packages that have a newer version
      if (previous === undefined && note === "") continue;
      ctx.shell.status("Adding", `${p.name} v${p.version}${note}`);
    }
  } finally {
    await registry.close();
  }
}

function pathContext(crateRoot: string): PathContext {
  return {
    crateRoot,
    relative: (_from, to) => to,
    resolve: (base, rel) => normalizePath(isAbsolute(rel) ? rel : join(base, rel)),
  };
}

function missingMessage(e: MissingDependencyError): string {
  let out = e.message;
  if (e.altPath) {
    const flags: string[] = [];
    const exp = e.expectedPath.at(-1);
    const alt = e.altPath.at(-1);
    if (exp !== alt) {
      if (alt === "build-dependencies") flags.push("--build");
      else if (alt === "dev-dependencies") flags.push("--dev");
    }
    if (e.expectedPath[0] !== "target" && e.altPath[0] === "target")
      flags.push("--target", e.altPath[1] ?? "");
    const altPath = e.altPath.join(".");
    out +=
      flags.length > 0
        ? `\n\nhelp: pass \`${flags.join(" ")}\` to remove \`${e.expectedName}\` from \`${altPath}\``
        : `\n\nhelp: a dependency with the same name exists in \`${altPath}\``;
  } else if (e.altName) {
    out += `\n\nhelp: a dependency with a similar name exists: \`${e.altName}\``;
  }
  return out;
}

/** Drops `[workspace.dependencies]` entries that no member inherits any more. */
function gcWorkspace(ws: Workspace): void {
  const root = new EditableManifest(ws.rootManifest, readFileSync(ws.rootManifest, "utf8"));
  const deps = root.getTable(["workspace", "dependencies"]);
  if (deps?.kind !== "table") return;
  const inherited = new Set<string>();
  for (const m of ws.members) {
    const text = m.manifestPath === ws.rootManifest ? undefined : readFileSync(m.manifestPath, "utf8");
    const manifest = text === undefined ? root : new EditableManifest(m.manifestPath, text);
    for (const d of manifest.dependencies(pathContext(m.root))) {
      if (d.dep instanceof Error) throw d.dep;
      if (d.dep.source?.kind === "workspace") inherited.add(d.key);
    }
  }
  deps.table.implicit = true;
  const before = root.toString();
  deps.table.entries = deps.table.entries.filter((e) => {
    fromToml(e.key.key, e.item, pathContext(ws.rootDir));
    return inherited.has(e.key.key);
  });
  const after = root.toString();
  if (after !== before || after !== readFileSync(ws.rootManifest, "utf8"))
    writeFileSync(ws.rootManifest, after);
}

export async function remove(ctx: CliContext, options: RemoveOptions): Promise<void> {
  const config = loadConfigFor(ctx);
  const ws = loadWorkspaceFor(ctx, config, options.manifestPath);
  const spec = selectPackage(ws, options.packages, "remove");
  const text = readFileSync(spec.manifestPath, "utf8");
  const manifest = new EditableManifest(spec.manifestPath, text);
  const tablePath = depTablePath(options.section);
  for (const dep of options.dependencies) {
    ctx.shell.status("Removing", `${dep} from ${depTableLabel(options.section)}`);
    try {
      manifest.removeFromTable(tablePath, dep);
    } catch (error) {
      if (error instanceof MissingDependencyError)
        throw new WharfError({ code: "REMOVE_NOT_FOUND", message: missingMessage(error) });
      throw error;
    }
    manifest.gcDep(dep);
  }
  if (options.dryRun) {
    ctx.shell.warn("aborting remove due to dry run");
    return;
  }
  const out = manifest.toString();
  if (out !== text) writeFileSync(spec.manifestPath, out);
  gcWorkspace(ws);
  await relockAfterEdit(ctx, options.manifestPath ?? ws.currentManifest, { quiet: true });
}
