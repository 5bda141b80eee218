/**
 * The error for a dependency nothing could satisfy, worded as cargo's `activation_error`
 * words it, so users (and tests comparing with cargo) see the familiar text.
 */
import {
  compareVersions,
  formatRequirement,
  formatVersion,
  isPrerelease,
  matches,
  WharfError,
} from "@wharf/protocol";
import type { CandidateQueryer } from "./candidates.js";
import { sameSource } from "./candidates.js";
import type { ConflictMap, ConflictReason } from "./conflict.js";
import { describePathInContext } from "./describe-path.js";
import type { ResolverContext } from "./resolver-context.js";
import { comparePackageIds, type DependencySpec, type Summary } from "./summary.js";

export interface ActivationErrorInput {
  readonly ctx: ResolverContext;
  readonly queryer: CandidateQueryer;
  readonly parent: Summary;
  readonly dep: DependencySpec;
  readonly conflicts: ConflictMap;
  readonly candidates: readonly Summary[];
}

const REASON_RANK: Record<ConflictReason["kind"], number> = {
  semver: 0,
  links: 1,
  "missing-feature": 2,
  "required-dependency-as-feature": 3,
  "non-implicit-dependency-as-feature": 4,
};

export async function activationError(input: ActivationErrorInput): Promise<WharfError> {
  const { ctx, parent, dep } = input;
  if (input.candidates.length > 0) return conflictError(input);

  const req = formatRequirement(dep.req);
  const all = (await input.queryer.allVersions(dep)).filter(
    (s) => s.id.name === dep.name && sameSource(s.id.source, dep.source),
  );
  const yanked = all
    .filter((s) => matches(dep.req, s.id.version) && s.yanked)
    .sort((a, b) => compareVersions(a.id.version, b.id.version));
  const others = all.filter((s) => !s.yanked).sort((a, b) => compareVersions(b.id.version, a.id.version));
  let msg = "";
  let hints = "";
  let code: string;
  if (yanked.length > 0) {
    code = "RESOLVE_NO_MATCHING_VERSION";
    msg += `failed to select a version for the requirement \`${dep.name} = "${req}"\`\n`;
    for (const s of yanked) msg += `  version ${formatVersion(s.id.version)} is yanked\n`;
  } else if (others.length > 0) {
    code = "RESOLVE_NO_MATCHING_VERSION";
    const versions = others.slice(0, 3).map((s) => formatVersion(s.id.version));
    if (others.length > 3) versions.push("...");
    msg += `failed to select a version for the requirement \`${dep.name} = "${req}"\`\n`;
    msg += `candidate versions found which didn't match: ${versions.join(", ")}\n`;
    const pre = others.find((s) => isPrerelease(s.id.version));
    if (pre !== undefined) {
      hints +=
        "\nhelp: if you are looking for the prerelease package it needs to be specified explicitly" +
        `\n    ${pre.id.name} = { version = "${formatVersion(pre.id.version)}" }`;
    }
  } else {
    code = "RESOLVE_PACKAGE_NOT_FOUND";
    msg += `no matching package named \`${dep.name}\` found\n`;
  }
  msg += `location searched: ${input.queryer.describeSource(dep.source)}\n`;
  msg += `required by ${describePathInContext(ctx, parent.id)}`;
  return new WharfError({ code, message: msg + hints });
}

function conflictError(input: ActivationErrorInput): WharfError {
  const { ctx, parent, dep } = input;
  let msg = `failed to select a version for \`${dep.name}\`.`;
  msg += `\n    ... required by ${describePathInContext(ctx, parent.id)}`;
  msg += `\nversions that meet the requirements \`${formatRequirement(dep.req)}\` are: `;
  msg += input.candidates.map((s) => formatVersion(s.id.version)).join(", ");

  // cargo sorts (PackageId, ConflictReason) and walks the list from the largest.
  const conflicts = [...input.conflicts.values()].sort(
    (a, b) => comparePackageIds(b.id, a.id) || REASON_RANK[b.reason.kind] - REASON_RANK[a.reason.kind],
  );
  let code = "RESOLVE_VERSION_CONFLICT";
  let hasSemver = false;
  const latest = input.candidates[input.candidates.length - 1]!;
  for (const { id, reason } of conflicts) {
    switch (reason.kind) {
      case "semver":
        hasSemver = true;
        break;
      case "links":
        code = "RESOLVE_LINKS_CONFLICT";
        msg += `\n\npackage \`${dep.name}\` links to the native library \`${reason.links}\`, but it conflicts with a previous package which links to \`${reason.links}\` as well:\n`;
        msg += describePathInContext(ctx, id);
        msg +=
          "\nnote: only one package in the dependency graph may specify the same links value to ensure that only one copy of a native library is linked in the final binary";
        msg += "\nfor more information, see https://doc.rust-lang.org/cargo/reference/resolver.html#links";
        msg += `\nhelp: try to adjust your dependencies so that only one package uses the \`links = "${reason.links}"\` value`;
        break;
      case "missing-feature":
      case "required-dependency-as-feature":
      case "non-implicit-dependency-as-feature": {
        code = "RESOLVE_FEATURE_MISSING";
        msg += `\n\npackage \`${id.name}\` depends on \`${dep.name}\` with feature \`${reason.feature}\` but \`${dep.name}\` does not have that feature.\n`;
        if (reason.kind === "required-dependency-as-feature") {
          msg +=
            "note: a required dependency with that name exists, but only optional dependencies can be used as features.\n";
        } else if (reason.kind === "non-implicit-dependency-as-feature") {
          msg +=
            'note: an optional dependency with that name exists, but that dependency uses the "dep:" syntax in the features table, so it does not have an implicit feature with that name.\n';
        } else if (latest.features.size > 0) {
          msg += `help: available features: ${[...latest.features.keys()].sort().join(", ")}\n`;
        }
        break;
      }
    }
  }
  if (hasSemver) {
    msg += "\n\nall possible versions conflict with previously selected packages";
    for (const { id, reason } of conflicts) {
      if (reason.kind === "semver") msg += `\n\n  previously selected ${describePathInContext(ctx, id)}`;
    }
  }
  msg += `\n\nfailed to select a version for \`${dep.name}\` which could resolve this conflict`;
  return new WharfError({ code, message: msg });
}
