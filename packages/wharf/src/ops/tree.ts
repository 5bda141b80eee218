/**
 * `wharf tree`: cargo 1.95's `cargo tree` text. The workspace is resolved as for the lock
 * file and the result must equal the Cargo.lock on disk (so the tree shows what is locked;
 * reading a lock that a fresh resolution would not reproduce comes later). A feature pass
 * then decides which optional dependencies the requested member features turn on, the graph
 * is built per cargo's rules (nodes are package + features + host/target) and printed.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  compareStrings,
  formatSourceId,
  formatVersion,
  parseManifest,
  type SourceId,
  WharfError,
} from "@wharf/protocol";
import type { CliContext } from "../cli/context.js";
import {
  comparePackageIds,
  isCratesIo,
  type PackageId,
  packageIdKey,
  type ResolvedPackage,
  summaryFromPackage,
} from "../resolver/index.js";
import { printLockfileChanges } from "./lock-status.js";
import { resolveWorkspace, writeLockfile } from "./resolve-workspace.js";
import { platformActiveOnHost } from "./tree-cfg.js";
import { type MemberRequest, ResolvedFeatures } from "./tree-features.js";

export type DepKindName = "normal" | "build" | "dev";

export interface TreeOptions {
  manifestPath?: string | undefined;
  packages: readonly string[];
  workspace: boolean;
  edges: readonly string[];
  depth?: number | undefined;
  prefix: string;
  charset: string;
  invert: readonly string[];
  duplicates: boolean;
  noDedupe: boolean;
  target?: string | undefined;
  features: readonly string[];
  allFeatures: boolean;
  noDefaultFeatures: boolean;
}

interface TreeNode {
  pkg: ResolvedPackage;
  features: string[];
  procMacro: boolean;
  edges: Map<DepKindName, TreeNode[]>;
}

const KINDS: readonly DepKindName[] = ["normal", "build", "dev"];

function unsupported(message: string): WharfError {
  return new WharfError({ code: "TREE_UNSUPPORTED", message, hint: "use `cargo tree` for this for now" });
}

function parseEdges(values: readonly string[]): Set<DepKindName> {
  const parts = values
    .flatMap((v) => v.split(","))
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (parts.length === 0) return new Set(KINDS);
  const kinds = new Set<DepKindName>();
  const removed = new Set<DepKindName>();
  for (const p of parts) {
    if (p === "all") for (const k of KINDS) kinds.add(k);
    else if (p === "normal" || p === "build" || p === "dev") kinds.add(p);
    else if (p === "no-normal" || p === "no-build" || p === "no-dev") removed.add(p.slice(3) as DepKindName);
    else if (p === "features" || p === "public" || p === "no-proc-macro")
      throw unsupported(`\`--edges ${p}\` is not supported by wharf tree yet`);
    else
      throw new WharfError({
        code: "TREE_EDGES",
        message: `unknown edge kind \`${p}\`, valid values are "normal", "build", "dev", "no-normal", "no-build", "no-dev", "features", "public", or "all"`,
      });
  }
  if (kinds.size === 0) for (const k of KINDS) if (!removed.has(k)) kinds.add(k);
  return kinds;
}

/** `name`, `name@version`: the package id specs this slice understands */
function matchesSpec(spec: string, id: PackageId): boolean {
  const at = spec.indexOf("@");
  const name = at < 0 ? spec : spec.slice(0, at);
  if (name !== id.name) return false;
  if (at < 0) return true;
  const want = spec.slice(at + 1);
  const have = formatVersion(id.version);
  return have === want || have.startsWith(`${want}.`);
}

function compareFeatureLists(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compareStrings(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/** cargo's Node order: package id, then features (the kind is always the host here) */
function compareNodes(a: TreeNode, b: TreeNode): number {
  return comparePackageIds(a.pkg.id, b.pkg.id) || compareFeatureLists(a.features, b.features);
}

async function procMacroTable(
  packages: readonly ResolvedPackage[],
  open: (p: ResolvedPackage) => Promise<string | undefined>,
): Promise<Set<string>> {
  const out = new Set<string>();
  let next = 0;
  const worker = async () => {
    while (next < packages.length) {
      const p = packages[next++]!;
      const manifestPath = await open(p);
      if (manifestPath === undefined) continue;
      const lib = parseManifest(readFileSync(manifestPath, "utf8"), { file: manifestPath }).manifest.lib;
      const types = lib?.crateType ?? lib?.crateType2 ?? [];
      if (lib?.procMacro === true || lib?.procMacro2 === true || types.includes("proc-macro"))
        out.add(packageIdKey(p.id));
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return out;
}

export async function tree(ctx: CliContext, options: TreeOptions): Promise<void> {
  const edgeKinds = parseEdges(options.edges);
  if (options.target !== undefined && options.target !== "all")
    throw unsupported("`--target` other than `all` is not supported by wharf tree yet");
  if (!["indent", "depth", "none"].includes(options.prefix))
    throw new WharfError({ code: "TREE_PREFIX", message: `invalid prefix \`${options.prefix}\`` });
  if (!["utf8", "ascii"].includes(options.charset))
    throw new WharfError({ code: "TREE_CHARSET", message: `invalid charset \`${options.charset}\`` });
  const allTargets = options.target === "all";
  const rw = await resolveWorkspace(ctx, options.manifestPath);
  try {
    const { ws, resolve } = rw;
    writeLockfile(ctx, rw);
    printLockfileChanges(ctx, rw, { mode: "sync" });

    const byKey = new Map(resolve.packages.map((p) => [packageIdKey(p.id), p]));
    const procMacros = await procMacroTable(resolve.packages, async (p) => {
      const s = p.id.source;
      if (s.kind === "path") return join(s.path, "Cargo.toml");
      if (s.kind === "git")
        return rw.registry.git.packageAt(s, p.id.name, formatVersion(p.id.version))?.manifestPath;
      if (s.kind !== "registry" || p.summary.checksum === undefined) return undefined;
      const version = formatVersion(p.id.version);
      const got = await rw.registry.download(s, p.id.name, version, p.summary.checksum);
      const extracted = await rw.cache.extractCrate({ name: p.id.name, version, sha256: got.sha256 });
      return join(extracted.dir, "Cargo.toml");
    });
    const isProcMacro = (id: PackageId) => procMacros.has(packageIdKey(id));

    // which members: -p specs, --workspace, else the current package or the default members
    const memberPkgs = ws.members
      .map((m) => byKey.get(packageIdKey(summaryFromPackage(m).id)))
      .filter((p): p is ResolvedPackage => p !== undefined);
    let selected: ResolvedPackage[];
    if (options.packages.length > 0) {
      selected = memberPkgs.filter((p) => options.packages.some((s) => matchesSpec(s, p.id)));
      if (selected.length === 0)
        throw new WharfError({
          code: "TREE_PACKAGE",
          message: `package(s) \`${options.packages.join("`, `")}\` not found in workspace \`${ws.rootDir}\``,
        });
    } else if (options.workspace) {
      selected = memberPkgs;
    } else if (ws.isVirtual) {
      const defaults = new Set(ws.defaultMembers.map((m) => m.manifestPath));
      selected = memberPkgs.filter((p) =>
        ws.members.some((m) => defaults.has(m.manifestPath) && m.name === p.id.name),
      );
    } else {
      const current = ws.members.find((m) => m.manifestPath === ws.currentManifest);
      selected = memberPkgs.filter((p) => p.id.name === current?.name);
    }
    selected.sort((a, b) => comparePackageIds(a.id, b.id));
    if (selected.length > 1 && options.features.length > 0)
      throw unsupported("`--features` with several selected packages is not supported by wharf tree yet");

    const rootPkg = ws.members.find((m) => m.manifestPath === ws.rootManifest);
    const resolverVersion = ws.resolver ?? (rootPkg && rootPkg.edition >= "2021" ? "2" : "1");
    const features = new ResolvedFeatures(resolve, {
      v2: resolverVersion !== "1",
      hasDev: edgeKinds.has("dev"),
      allTargets,
      isProcMacro,
    });
    const requests: MemberRequest[] = selected.map((pkg) => ({
      pkg,
      features: options.features.flatMap((f) => f.split(/[ ,]+/)).filter((f) => f !== ""),
      allFeatures: options.allFeatures,
      defaultFeatures: !options.noDefaultFeatures,
    }));
    for (const r of requests) {
      for (const f of r.features) {
        // only plain feature names can be checked here; `dep/feat` is checked by the pass
        if (f.includes("/") || f.startsWith("dep:") || r.pkg.summary.features.has(f)) continue;
        throw new WharfError({
          code: "TREE_FEATURE",
          message: `Package \`${r.pkg.id.name} v${formatVersion(r.pkg.id.version)}\` does not have the feature \`${f}\``,
        });
      }
    }
    features.activateMembers(requests);

    const nodes = new Map<string, TreeNode>();
    const addPkg = (pkg: ResolvedPackage, forHost: boolean): TreeNode => {
      const nodeFeatures = features.activatedFeatures(pkg, forHost);
      // cargo tree without `--target` asks for the host kind, so host and target uses of a
      // package are one node unless resolver 2 gave them different features
      const key = `${packageIdKey(pkg.id)}|${nodeFeatures.join(",")}`;
      const existing = nodes.get(key);
      if (existing !== undefined) return existing;
      const node: TreeNode = {
        pkg,
        features: nodeFeatures,
        procMacro: isProcMacro(pkg.id),
        edges: new Map(),
      };
      nodes.set(key, node);
      for (const d of pkg.dependencies) {
        const child = byKey.get(packageIdKey(d.id));
        if (child === undefined) continue;
        const deps = d.deps
          .filter(
            (dep) =>
              (allTargets || platformActiveOnHost(dep.platform)) &&
              edgeKinds.has(dep.kind) &&
              (!dep.optional || features.isDepActivated(pkg, forHost, dep.nameInToml)),
          )
          .sort(
            (a, b) =>
              KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind) || compareStrings(a.nameInToml, b.nameInToml),
          );
        for (const dep of deps) {
          const childHost = forHost || dep.kind === "build" || isProcMacro(child.id);
          const target = addPkg(child, childHost);
          let list = node.edges.get(dep.kind);
          if (list === undefined) {
            list = [];
            node.edges.set(dep.kind, list);
          }
          if (!list.includes(target)) list.push(target);
        }
      }
      return node;
    };
    const memberNodes = selected.map((p) => addPkg(p, isProcMacro(p.id)));

    let roots: TreeNode[];
    let invert = false;
    if (options.duplicates) {
      const byName = new Map<string, TreeNode[]>();
      for (const n of nodes.values()) {
        const list = byName.get(n.pkg.id.name) ?? [];
        list.push(n);
        byName.set(n.pkg.id.name, list);
      }
      roots = [];
      for (const list of byName.values()) {
        const distinct = new Set(list.map((n) => `${packageIdKey(n.pkg.id)}|${n.features.join(",")}`));
        if (distinct.size > 1) roots.push(...list);
      }
      invert = true;
    } else if (options.invert.length > 0) {
      // a spec must name exactly one locked package; it may still be absent from this graph
      for (const spec of options.invert) {
        const hits = resolve.packages.filter((p) => matchesSpec(spec, p.id));
        if (hits.length === 0)
          throw new WharfError({
            code: "TREE_PACKAGE",
            message: `package ID specification \`${spec}\` did not match any packages`,
          });
        if (hits.length > 1)
          throw new WharfError({
            code: "TREE_PACKAGE_AMBIGUOUS",
            message: `There are multiple \`${spec}\` packages in your project, and the specification \`${spec}\` is ambiguous.`,
          });
      }
      roots = [...nodes.values()].filter((n) => options.invert.some((s) => matchesSpec(s, n.pkg.id)));
      invert = true;
    } else {
      roots = memberNodes;
    }
    roots.sort(compareNodes);
    if (invert) {
      const inverted = new Map<TreeNode, Map<DepKindName, TreeNode[]>>();
      for (const n of nodes.values()) inverted.set(n, new Map());
      for (const from of nodes.values()) {
        for (const [kind, tos] of from.edges) {
          for (const to of tos) {
            const m = inverted.get(to)!;
            const list = m.get(kind) ?? [];
            if (!list.includes(from)) list.push(from);
            m.set(kind, list);
          }
        }
      }
      for (const [n, e] of inverted) n.edges = e;
    }

    const out: string[] = [];
    const registries = rw.config.config.registries;
    const sourceLabel = (source: SourceId): string | undefined => {
      if (source.kind === "path") return source.path;
      // cargo's SourceId Display: the URL, the reference, then 8 digits of the locked commit
      if (source.kind === "git")
        return `${formatSourceId(source).slice("git+".length)}${source.precise ? `#${source.precise.slice(0, 8)}` : ""}`;
      // crates.io keeps its identity under source replacement, so it never shows a source;
      // other registries show their config name when they have one
      if (isCratesIo(source)) return undefined;
      const name = [...registries].find(([, r]) => r.index?.value === source.url)?.[0];
      return `registry \`${name ?? source.url}\``;
    };
    if (roots.length === 0) {
      ctx.shell.warn(
        "nothing to print.\n\nTo find dependencies that require specific target platforms, try to use option `--target all` first, and then narrow your search scope accordingly.",
      );
      return;
    }
    printTree(roots, options, sourceLabel, out);
    ctx.shell.out(out.join(""));
  } finally {
    await rw.registry.close();
  }
}

function describe(node: TreeNode, sourceLabel: (source: SourceId) => string | undefined): string {
  const id = node.pkg.id;
  const label = sourceLabel(id.source);
  return `${id.name} v${formatVersion(id.version)}${node.procMacro ? " (proc-macro)" : ""}${label === undefined ? "" : ` (${label})`}`;
}

const HEADERS: Record<DepKindName, string | undefined> = {
  normal: undefined,
  build: "[build-dependencies]",
  dev: "[dev-dependencies]",
};

function printTree(
  roots: readonly TreeNode[],
  options: TreeOptions,
  sourceLabel: (source: SourceId) => string | undefined,
  out: string[],
): void {
  const sym =
    options.charset === "ascii"
      ? { down: "|", tee: "|", ell: "`", right: "-" }
      : { down: "│", tee: "├", ell: "└", right: "─" };
  const maxDepth = options.depth ?? Number.MAX_SAFE_INTEGER;
  const visited = new Set<TreeNode>();
  const levels: boolean[] = [];
  const stack: TreeNode[] = [];
  const printNode = (node: TreeNode): void => {
    const isNew = options.noDedupe || !visited.has(node);
    visited.add(node);
    if (options.prefix === "depth") out.push(String(levels.length));
    else if (options.prefix === "indent" && levels.length > 0) {
      for (const c of levels.slice(0, -1)) out.push(`${c ? sym.down : " "}   `);
      out.push(`${levels.at(-1) ? sym.tee : sym.ell}${sym.right}${sym.right} `);
    }
    const inCycle = stack.includes(node);
    const hasDeps = node.edges.size > 0;
    out.push(`${describe(node, sourceLabel)}${(isNew && !inCycle) || !hasDeps ? "" : " (*)"}\n`);
    if (!isNew || inCycle) return;
    stack.push(node);
    for (const kind of KINDS) {
      const deps = [...(node.edges.get(kind) ?? [])].sort(compareNodes);
      if (deps.length === 0) continue;
      const header = HEADERS[kind];
      if (options.prefix === "indent" && header !== undefined) {
        for (const c of levels) out.push(`${c ? sym.down : " "}   `);
        out.push(`${header}\n`);
      }
      if (levels.length + 1 > maxDepth) continue;
      deps.forEach((dep, i) => {
        levels.push(i < deps.length - 1);
        printNode(dep);
        levels.pop();
      });
    }
    stack.pop();
  };
  roots.forEach((root, i) => {
    if (i !== 0) out.push("\n");
    printNode(root);
  });
}
