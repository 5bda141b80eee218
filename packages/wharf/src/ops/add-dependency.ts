/**
 * The pure half of `wharf add`: turning the command line into one operation per crate
 * (cargo's DepOp: `name@req`, features split per crate), applying an operation's flags to
 * a dependency entry, and the texts cargo prints about features (the "Features:" listing
 * and the unrecognized-feature error).
 */
import { parseFeatureValue, WharfError } from "@wharf/protocol";
import type { EditDependency } from "./manifest-edit.js";

export interface DepOp {
  name?: string | undefined;
  versionReq?: string | undefined;
  rename?: string | undefined;
  features?: string[] | undefined;
  defaultFeatures?: boolean | undefined;
  optional?: boolean | undefined;
  registry?: string | undefined;
  path?: string | undefined;
  git?: string | undefined;
  branch?: string | undefined;
  tag?: string | undefined;
  rev?: string | undefined;
}

export interface CrateSpecArgs {
  crates: string[];
  features: string[];
  rename?: string | undefined;
  path?: string | undefined;
  git?: string | undefined;
  branch?: string | undefined;
  tag?: string | undefined;
  rev?: string | undefined;
  registry?: string | undefined;
  defaultFeatures?: boolean | undefined;
  optional?: boolean | undefined;
}

const NAME = /^[\p{XID_Start}_][\p{XID_Continue}-]*$/u;

function checkName(spec: string, name: string): void {
  if (name === "")
    throw new WharfError({ code: "ADD_INVALID_NAME", message: "package name cannot be empty" });
  if (NAME.test(name)) return;
  const bad =
    [...name].find((c, i) => !(i === 0 ? /[\p{XID_Start}_]/u : /[\p{XID_Continue}-]/u).test(c)) ?? "";
  let message = /^\d/.test(name)
    ? `invalid character \`${name[0]}\` in package name: \`${name}\`, the name cannot start with a digit`
    : `invalid character \`${bad}\` in package name: \`${name}\`, characters must be Unicode XID characters (numbers, \`-\`, \`_\`, or most letters)`;
  if (!spec.includes("@")) {
    const idx = [...spec].findIndex((c) => !/[\p{XID_Continue}-]/u.test(c));
    if (idx > 0)
      message += `\n\nhelp: if this is meant to be a package name followed by a version, insert an \`@\` like \`${spec.slice(0, idx)}@${spec.slice(idx)}\``;
  }
  throw new WharfError({ code: "ADD_INVALID_NAME", message });
}

/** cargo's parse_dependencies: one DepOp per crate with its features. */
export function parseCrateSpec(args: CrateSpecArgs): DepOp[] {
  const crates = new Map<string | undefined, string[] | undefined>();
  for (const c of args.crates) {
    if (c.startsWith("+")) {
      throw new WharfError({
        code: "ADD_INVALID_NAME",
        message: `invalid character \`+\` in dependency name: \`${c}\`\n    Use \`cargo +${c.slice(1)} add\` if you meant to use the \`${c.slice(1)}\` toolchain.`,
      });
    }
    if (!crates.has(c)) crates.set(c, undefined);
  }
  let infer = false;
  if (crates.size === 0) {
    if (args.path === undefined && args.git === undefined) {
      throw new WharfError({
        code: "ADD_NO_DEPENDENCY",
        message: "the following required arguments were not provided:\n  <DEP_ID|--path <PATH>|--git <URI>>",
      });
    }
    crates.set(undefined, undefined);
    infer = true;
  }
  const features = args.features
    .flatMap((f) => f.split(/\s+/).flatMap((s) => s.split(",")))
    .filter((s) => s !== "");
  for (const feature of features) {
    const fv = parseFeatureValue(feature);
    if (fv.kind === "feature") {
      if (crates.size > 1) {
        const candidates = [...crates.keys()].map((c) => `\`${c}/${feature}\``);
        throw new WharfError({
          code: "ADD_FEATURE_UNQUALIFIED",
          message: `feature \`${feature}\` must be qualified by the dependency it's being activated for, like ${candidates.join(", ")}`,
        });
      }
      const first = [...crates.keys()][0];
      const list = crates.get(first) ?? [];
      if (!list.includes(feature)) list.push(feature);
      crates.set(first, list);
    } else if (fv.kind === "dep") {
      throw new WharfError({
        code: "ADD_FEATURE_DEP",
        message: `feature \`${feature}\` is not allowed to use explicit \`dep:\` syntax`,
      });
    } else {
      if (infer) {
        throw new WharfError({
          code: "ADD_FEATURE_INFER",
          message: `\`${feature}\` is unsupported when inferring the crate name, use \`${fv.depFeature}\``,
        });
      }
      if (fv.depFeature.includes("/")) {
        throw new WharfError({
          code: "ADD_FEATURE_SLASHES",
          message: `multiple slashes in feature \`${feature}\` is not allowed`,
        });
      }
      if (!crates.has(fv.depName)) {
        throw new WharfError({
          code: "ADD_FEATURE_CRATE",
          message: `feature \`${fv.depFeature}\` activated for crate \`${fv.depName}\` but the crate wasn't specified`,
        });
      }
      const list = crates.get(fv.depName) ?? [];
      if (!list.includes(fv.depFeature)) list.push(fv.depFeature);
      crates.set(fv.depName, list);
    }
  }
  const ops: DepOp[] = [];
  for (const [spec, feats] of crates) {
    let name: string | undefined;
    let versionReq: string | undefined;
    if (spec !== undefined) {
      const at = spec.indexOf("@");
      name = at >= 0 ? spec.slice(0, at) : spec;
      versionReq = at >= 0 ? spec.slice(at + 1) : undefined;
      checkName(spec, name);
      if (versionReq !== undefined) checkRequirement(name, versionReq);
    }
    ops.push({
      name,
      versionReq,
      rename: args.rename,
      features: feats,
      defaultFeatures: args.defaultFeatures,
      optional: args.optional,
      registry: args.registry,
      path: args.path,
      git: args.git,
      branch: args.branch,
      tag: args.tag,
      rev: args.rev,
    });
  }
  if (ops.length > 1 && args.rename !== undefined) {
    throw new WharfError({
      code: "ADD_RENAME_MULTIPLE",
      message: "cannot specify multiple crates with `--rename`",
    });
  }
  return ops;
}

function checkRequirement(name: string, req: string): void {
  // cargo parses with the semver crate; a loose shape check catches the usual mistakes
  const ok =
    /^\s*(?:[=><~^]=?\s*)?(?:\d+|\*)(?:\.(?:\d+|\*|x|X))?(?:\.(?:\d+|\*|x|X))?(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?\s*(?:,\s*(?:[=><~^]=?\s*)?\d+(?:\.(?:\d+|\*))?(?:\.(?:\d+|\*))?(?:-[0-9A-Za-z.-]+)?\s*)*$/.test(
      req,
    );
  if (ok) return;
  const hint = req.startsWith("v") ? `\n\nhelp: changing the package to \`${name}@${req.slice(1)}\`` : "";
  throw new WharfError({
    code: "ADD_INVALID_VERSION",
    message: req.startsWith("v")
      ? `the version provided, \`${req}\` is not a valid SemVer requirement${hint}`
      : `invalid version requirement \`${req}\``,
  });
}

/** cargo's populate_dependency: the flags of an operation applied to an entry. */
export function applyDepOp(dep: EditDependency, op: DepOp): EditDependency {
  const out: EditDependency = { ...dep };
  if (op.registry !== undefined) out.registry = op.registry === "" ? undefined : op.registry;
  if (op.optional !== undefined) out.optional = op.optional ? true : undefined;
  if (op.defaultFeatures !== undefined) out.defaultFeatures = op.defaultFeatures ? undefined : false;
  if (op.features !== undefined) {
    const list = [...(out.features ?? [])];
    for (const f of op.features) if (!list.includes(f)) list.push(f);
    out.features = list;
  }
  if (op.rename !== undefined) out.rename = op.rename;
  return out;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Features on (requested, default, inherited and what they enable) and off. */
export function activatedFeatures(
  dep: EditDependency,
  available: ReadonlyMap<string, readonly string[]>,
): { activated: string[]; deactivated: string[] } {
  const activated: string[] = [...(dep.features ?? [])];
  const add = (f: string) => {
    if (!activated.includes(f)) activated.push(f);
  };
  if (dep.defaultFeatures !== false) add("default");
  for (const f of dep.inheritedFeatures ?? []) add(f);
  const walk = [...activated];
  while (walk.length > 0) {
    const next = walk.shift() as string;
    for (const f of available.get(next) ?? []) {
      if (!activated.includes(f)) walk.push(f);
      add(f);
    }
  }
  const on = activated.filter((f) => f !== "default").sort(cmp);
  const off = [...available.keys()].filter((f) => !on.includes(f) && f !== "default").sort(cmp);
  return { activated: on, deactivated: off };
}

const MAX_FEATURE_PRINTS = 30;

function coalesce(list: readonly string[]): string {
  const lines: string[] = [];
  for (const f of list) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + f.length < 78) lines[lines.length - 1] = `${last}, ${f}`;
    else lines.push(f);
  }
  return lines.join("\n    ");
}

/** The unrecognized-feature error cargo add gives, or undefined when every feature exists. */
export function unknownFeatureMessage(
  dep: EditDependency,
  available: ReadonlyMap<string, readonly string[]>,
): string | undefined {
  const unknown = [
    ...new Set([...(dep.features ?? []), ...(dep.inheritedFeatures ?? [])].filter((f) => !available.has(f))),
  ].sort(cmp);
  if (unknown.length === 0) return undefined;
  let { activated, deactivated } = activatedFeatures(dep, available);
  activated = activated.filter((f) => !unknown.includes(f));
  deactivated = deactivated.filter((f) => !unknown.includes(f));
  let message = `unrecognized feature${unknown.length === 1 ? "" : "s"} for crate ${dep.name}: ${unknown.join(", ")}`;
  if (activated.length === 0 && deactivated.length === 0) {
    message += `\n\nno features available for crate ${dep.name}`;
  } else {
    let suggested = false;
    for (const u of unknown) {
      const best = closestFeature(u, [...deactivated, ...activated]);
      if (best !== undefined) {
        message += `\n\nhelp: a feature with a similar name exists: \`${best}\``;
        suggested = true;
      }
    }
    if (deactivated.length > 0 && !suggested) {
      message +=
        deactivated.length <= MAX_FEATURE_PRINTS
          ? `\n\ndisabled features:\n    ${coalesce(deactivated)}`
          : `\n\n${deactivated.length} disabled features available`;
    }
    if (activated.length > 0 && !suggested) {
      message +=
        deactivated.length + activated.length <= MAX_FEATURE_PRINTS
          ? `\n\nenabled features:\n    ${coalesce(activated)}\n`
          : `\n\n${activated.length} enabled features available\n`;
    }
  }
  return message.trim();
}

function closestFeature(name: string, candidates: readonly string[]): string | undefined {
  let best: { c: string; d: number } | undefined;
  for (const c of candidates) {
    const d = levenshtein(name, c);
    if (d > 3) continue;
    if (!best || d < best.d) best = { c, d };
  }
  return best?.c;
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const t = row[j] ?? 0;
      row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = t;
    }
  }
  return row[b.length] ?? 0;
}

/** The version cargo would show as "precise" for a requirement (`1.2.3`, `=1.2.3`), if any. */
function preciseVersion(req: string | undefined): string | undefined {
  if (req === undefined) return undefined;
  let best: string | undefined;
  for (const part of req.split(",")) {
    const m = /^\s*(?:=|>=|<=|~|\^)?\s*(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?(?:\+\S*)?\s*$/.exec(part);
    if (m) best = `${m[1]}.${m[2]}.${m[3]}${m[4] ?? ""}`;
  }
  return best;
}

/** The "Features:" block cargo prints under "Adding". */
export function featureListing(
  dep: EditDependency,
  available: ReadonlyMap<string, readonly string[]>,
  availableVersion: string | undefined,
): string[] {
  const { activated, deactivated } = activatedFeatures(dep, available);
  if (activated.length === 0 && deactivated.length === 0) return [];
  const prefix = " ".repeat(13);
  let suffix = "";
  if (availableVersion !== undefined) {
    const v = availableVersion.split("+")[0] ?? availableVersion;
    const s = dep.source;
    const req = s && s.kind !== "workspace" ? s.version : undefined;
    if (preciseVersion(req) !== v) suffix = ` as of v${v}`;
  }
  const lines = [`${prefix}Features${suffix}:`];
  if (activated.length <= MAX_FEATURE_PRINTS) for (const f of activated) lines.push(`${prefix}+ ${f}`);
  else lines.push(`${prefix}${activated.length} activated features`);
  if (activated.length + deactivated.length <= MAX_FEATURE_PRINTS)
    for (const f of deactivated) lines.push(`${prefix}- ${f}`);
  else lines.push(`${prefix}${deactivated.length} deactivated features`);
  return lines;
}
