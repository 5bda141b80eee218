/**
 * Which features each workspace member is resolved with when a command selects every member
 * (cargo's `CliFeatures::from_command_line` and `Workspace::members_with_features`). With
 * resolver 2+ or a virtual workspace, each member takes the `--features` it defines (and
 * `member/feat`, `dep/feat` that concern it), and a feature no member has is an error; with
 * resolver 1 the flags apply to the current package only, and `member/feat` to that member.
 */
import { type Package, WharfError } from "@wharf/protocol";
import { buildFeatureMap, parseFeatureValue, summaryFromPackage } from "../resolver/index.js";
import type { Workspace } from "../workspace/index.js";

export interface CliFeatures {
  features: readonly string[];
  allFeatures: boolean;
  defaultFeatures: boolean;
}

export interface MemberFeatures extends CliFeatures {
  member: Package;
}

/** `--features "a b,c"` (repeatable) as cargo splits it; `dep:` is not accepted here. */
export function parseCliFeatures(
  values: readonly string[],
  allFeatures: boolean,
  noDefault: boolean,
): CliFeatures {
  const features = values
    .flatMap((v) => v.split(/\s+/))
    .flatMap((v) => v.split(","))
    .filter((f) => f !== "");
  for (const f of features) {
    if (f.startsWith("dep:"))
      throw new WharfError({
        code: "CLI_FEATURE_DEP",
        message: `feature \`${f}\` is not allowed to use explicit \`dep:\` syntax`,
        hint: `if you want to enable an optional dependency, specify the name of the optional dependency without the \`dep:\` prefix, or specify a feature from the package's \`[features]\` table which enables the optional dependency`,
      });
    if (f.endsWith("/") || f.startsWith("/"))
      throw new WharfError({ code: "CLI_FEATURE_INVALID", message: `invalid feature \`${f}\`` });
  }
  return { features: [...new Set(features)], allFeatures, defaultFeatures: !noDefault };
}

function newBehaviour(ws: Workspace): boolean {
  if (ws.isVirtual) return true;
  return resolverVersionOf(ws) !== "1";
}

/** `workspace.resolver`, else the root package's `package.resolver`, else by its edition */
export function resolverVersionOf(ws: Workspace): string {
  const root = ws.members.find((m) => m.manifestPath === ws.rootManifest);
  if (ws.resolver !== undefined) return ws.resolver;
  if (root === undefined) return "1";
  if (root.edition >= "2024") return "3";
  return root.edition >= "2021" ? "2" : "1";
}

/** cargo's `collect_matching_features`: the requested values this member has a use for */
function matching(member: Package, cli: CliFeatures, found: Set<string>): CliFeatures {
  if (cli.features.length === 0) return cli;
  const summary = summaryFromPackage(member);
  const featureMap = buildFeatureMap(member.features, summary.dependencies);
  const depNames = new Set(summary.dependencies.map((d) => d.nameInToml));
  const optional = new Set(summary.dependencies.filter((d) => d.optional).map((d) => d.nameInToml));
  const has = (f: string) => featureMap.has(f) || optional.has(f);
  const out: string[] = [];
  for (const f of cli.features) {
    const v = parseFeatureValue(f);
    if (v.kind === "feature") {
      if (has(v.name)) {
        out.push(f);
        found.add(f);
      }
    } else if (v.kind === "dep-feature") {
      if (depNames.has(v.depName)) {
        out.push(f);
        found.add(f);
      } else if (v.depName === member.name && has(v.depFeature)) {
        out.push(v.depFeature);
        found.add(f);
      }
    }
  }
  return { ...cli, features: [...new Set(out)] };
}

export function membersWithFeatures(ws: Workspace, cli: CliFeatures): MemberFeatures[] {
  if (newBehaviour(ws)) {
    const found = new Set<string>();
    const out = ws.members.map((member) => ({ member, ...matching(member, cli, found) }));
    const missing = cli.features.filter((f) => !found.has(f));
    if (missing.length > 0) {
      throw new WharfError({
        code: "CLI_FEATURE_UNKNOWN",
        message: `none of the selected packages contains ${missing.length === 1 ? "this feature" : "these features"}: ${missing.join(", ")}`,
      });
    }
    return out;
  }
  // resolver 1: the flags go to the current package; `member/feat` to that other member
  const current = ws.members.find((m) => m.manifestPath === ws.currentManifest);
  const memberSpecific = new Map<string, string[]>();
  const cwd: string[] = [];
  for (const f of cli.features) {
    const v = parseFeatureValue(f);
    if (v.kind === "dep-feature" && ws.members.some((m) => m !== current && m.name === v.depName)) {
      const list = memberSpecific.get(v.depName) ?? [];
      list.push(v.depFeature);
      memberSpecific.set(v.depName, list);
    } else cwd.push(f);
  }
  return ws.members.map((member) =>
    member === current
      ? { member, features: cwd, allFeatures: cli.allFeatures, defaultFeatures: cli.defaultFeatures }
      : {
          member,
          features: memberSpecific.get(member.name) ?? [],
          allFeatures: cli.allFeatures,
          defaultFeatures: true,
        },
  );
}
