/**
 * Which targets of which members a build compiles (cargo's `CompileFilter` and package
 * selection): `-p`, `--workspace`, default members; `--lib`, `--bin`, `--bins`,
 * `--example`, `--examples`, `--all-targets`. Without a filter: the lib and every bin whose
 * required features are on.
 */
import { type Package, type Target, WharfError } from "@wharf/protocol";
import type { Workspace } from "../workspace/index.js";

export interface TargetSelection {
  packages: readonly string[];
  workspace: boolean;
  exclude: readonly string[];
  lib: boolean;
  bins: readonly string[];
  allBins: boolean;
  examples: readonly string[];
  allExamples: boolean;
  allTargets: boolean;
}

export function selectedMembers(ws: Workspace, sel: TargetSelection): Package[] {
  if (sel.workspace) return ws.members.filter((m) => !sel.exclude.includes(m.name));
  if (sel.packages.length > 0) {
    return sel.packages.map((spec) => {
      const name = spec.split("@")[0]!;
      const m = ws.members.find((p) => p.name === name);
      if (m === undefined) {
        throw new WharfError({
          code: "BUILD_PACKAGE_NOT_FOUND",
          message: `package ID specification \`${spec}\` did not match any packages`,
          hint: "only workspace members can be selected with -p for now",
        });
      }
      return m;
    });
  }
  const current = ws.members.find((m) => m.manifestPath === ws.currentManifest);
  if (current !== undefined) return [current];
  return ws.defaultMembers.length > 0 ? ws.defaultMembers : ws.members;
}

function requiredFeaturesOn(t: Target, enabled: ReadonlySet<string>): boolean {
  return (t.requiredFeatures ?? []).every((f) => enabled.has(f) || f.includes("/"));
}

/** the targets of one member; `enabled` is the member's features after the feature pass */
export function selectedTargets(pkg: Package, sel: TargetSelection, enabled: ReadonlySet<string>): Target[] {
  const filtered =
    sel.lib ||
    sel.bins.length > 0 ||
    sel.allBins ||
    sel.examples.length > 0 ||
    sel.allExamples ||
    sel.allTargets;
  const out: Target[] = [];
  const lib = pkg.targets.find((t) => t.kind === "lib");
  if (!filtered) {
    if (lib) out.push(lib);
    for (const t of pkg.targets) if (t.kind === "bin" && requiredFeaturesOn(t, enabled)) out.push(t);
    return out;
  }
  if ((sel.lib || sel.allTargets) && lib) out.push(lib);
  else if (sel.lib) {
    throw new WharfError({
      code: "BUILD_NO_LIB",
      message: `no library targets found in package \`${pkg.name}\``,
    });
  }
  const pick = (kind: "bin" | "example", all: boolean, names: readonly string[]) => {
    for (const t of pkg.targets) {
      if (t.kind !== kind) continue;
      if (all ? requiredFeaturesOn(t, enabled) : names.includes(t.name)) out.push(t);
    }
    for (const n of names) {
      if (!pkg.targets.some((t) => t.kind === kind && t.name === n)) {
        const available = pkg.targets.filter((t) => t.kind === kind).map((t) => t.name);
        throw new WharfError({
          code: "BUILD_NO_TARGET",
          message: `no ${kind} target named \`${n}\` in \`${pkg.name}\` package`,
          hint: available.length > 0 ? `available ${kind} targets: ${available.join(", ")}` : undefined,
        });
      }
    }
  };
  pick("bin", sel.allBins || sel.allTargets, sel.bins);
  pick("example", sel.allExamples || sel.allTargets, sel.examples);
  return out;
}
