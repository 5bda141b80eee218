/**
 * `wharf audit --build-scripts`: resolve the workspace, get every package of the resolve
 * (registry packages downloaded and verified through the cache, as fetch and metadata do),
 * and run the static analysis on each build script and proc-macro library. Read-only: the
 * lock file is not written. Files are read only inside each package's directory.
 */
import {
  type BuildFindingSeverity,
  type BuildScriptFinding,
  type CrateAnalysis,
  formatVersion,
  highestSeverity,
  type Package,
  WharfError,
} from "@wharf/protocol";
import type { CliContext } from "../cli/context.js";
import { comparePackageIds, type ResolvedPackage } from "../resolver/index.js";
import { analyzePackage } from "./audit-build-scripts-package.js";
import { loadRustParser } from "./audit-build-scripts-parser.js";
import { packageLoader } from "./metadata-resolve.js";
import { resolveWorkspace } from "./resolve-workspace.js";

export interface AuditBuildScriptsOptions {
  manifestPath?: string | undefined;
}

export interface PackageBuildAudit {
  name: string;
  version: string;
  /** the lockfile-style source (`registry+https://...`), or `path+file://...`; absent for members */
  source: string;
  member: boolean;
  analysis: CrateAnalysis;
}

export interface BuildScriptAudit {
  /** one entry per analysed target (a package with a build script and a proc-macro lib has two) */
  packages: PackageBuildAudit[];
  /** resolve packages that were skipped and why (sources wharf cannot download yet) */
  skipped: { name: string; version: string; reason: string }[];
  counts: Record<BuildFindingSeverity, number>;
  highest: BuildFindingSeverity | undefined;
}

function sourceString(p: ResolvedPackage): string {
  const s = p.id.source;
  if (s.kind === "registry") return s.url.startsWith("sparse+") ? s.url : `registry+${s.url}`;
  if (s.kind === "path") return `path+file://${s.path}`;
  return `git+${s.url}`;
}

export async function auditBuildScripts(
  ctx: CliContext,
  options: AuditBuildScriptsOptions,
): Promise<BuildScriptAudit> {
  const rw = await resolveWorkspace(ctx, options.manifestPath);
  const result: BuildScriptAudit = {
    packages: [],
    skipped: [],
    counts: { high: 0, medium: 0, info: 0 },
    highest: undefined,
  };
  try {
    const parser = await loadRustParser();
    const loader = packageLoader(ctx, rw);
    const memberRoots = new Set(rw.ws.members.map((m) => m.root));
    const ordered = [...rw.resolve.packages].sort((a, b) => comparePackageIds(a.id, b.id));
    for (const p of ordered) {
      let pkg: Package;
      try {
        pkg = await loader.load(p);
      } catch (e) {
        if (e instanceof WharfError && e.code === "METADATA_UNSUPPORTED_SOURCE") {
          result.skipped.push({ name: p.id.name, version: formatVersion(p.id.version), reason: e.message });
          continue;
        }
        throw e;
      }
      for (const analysis of analyzePackage(parser, pkg)) {
        result.packages.push({
          name: pkg.name,
          version: pkg.version,
          source: sourceString(p),
          member: memberRoots.has(pkg.root),
          analysis,
        });
        for (const f of analysis.findings) result.counts[f.severity]++;
      }
    }
  } finally {
    await rw.registry.close();
  }
  const all: BuildScriptFinding[] = result.packages.flatMap((p) => p.analysis.findings);
  result.highest = highestSeverity(all);
  const scripts = result.packages.filter((p) => p.analysis.target === "build-script").length;
  ctx.shell.status(
    "Analyzed",
    `${scripts} build script${scripts === 1 ? "" : "s"} and ${result.packages.length - scripts} proc-macro crate${
      result.packages.length - scripts === 1 ? "" : "s"
    }`,
  );
  return result;
}
