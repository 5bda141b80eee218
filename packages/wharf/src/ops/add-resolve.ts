/**
 * The lookups behind `wharf add`: which version of a crate to write (newest non-yanked
 * release whose rust-version fits, as cargo add picks it), which features that version
 * offers (for the "Features:" listing and the unknown-feature check), and the registry
 * and path-package access they need. Everything network-facing goes through the
 * ResolverRegistry (sparse client with the configured source replacement).
 */
import {
  compareVersions,
  formatVersion,
  matches,
  type Package,
  parseRequirement,
  parseVersion,
  type SourceId,
  type Version,
  WharfError,
} from "@wharf/protocol";
import type { DependencySpec, Summary } from "../resolver/index.js";
import type { ResolverRegistry } from "../sources/index.js";

/** Index summaries of `name` (non-yanked), trying cargo's `-`/`_` spellings. */
export async function queryRegistry(
  registry: ResolverRegistry,
  source: SourceId,
  name: string,
): Promise<{ name: string; summaries: Summary[] }> {
  const spellings = [name, name.replace(/-/g, "_"), name.replace(/_/g, "-")];
  for (const n of new Set(spellings)) {
    const spec: DependencySpec = {
      name: n,
      nameInToml: n,
      req: parseRequirement("*"),
      kind: "normal",
      optional: false,
      defaultFeatures: true,
      features: [],
      source,
    };
    const found = (await registry.query(spec)).filter((s) => !s.yanked);
    if (found.length > 0) return { name: found[0]?.id.name ?? n, summaries: found };
  }
  return { name, summaries: [] };
}

function rustVersionParts(v: string): [number, number, number] {
  const [a, b, c] = v.split(/[.-]/).map((x) => Number(x));
  return [a ?? 0, Number.isFinite(b) ? (b ?? 0) : 0, Number.isFinite(c) ? (c ?? 0) : 0];
}

/** rust-version `a` <= `b`, missing parts as 0. */
export function rustVersionLe(a: string, b: string): boolean {
  const x = rustVersionParts(a);
  const y = rustVersionParts(b);
  for (let i = 0; i < 3; i++) {
    if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) < (y[i] ?? 0);
  }
  return true;
}

export interface LatestChoice {
  summary: Summary;
  /** set when a newer version was skipped for its rust-version */
  warning?: string | undefined;
}

/** cargo add's version choice: newest stable (else newest pre-release), within the MSRV. */
export function chooseLatest(options: {
  summaries: readonly Summary[];
  depName: string;
  packageName: string;
  /** the package's rust-version, or undefined to compare with `rustc` */
  packageRustVersion: string | undefined;
  rustcVersion: string | undefined;
  honorRustVersion: boolean;
}): LatestChoice {
  const sorted = [...options.summaries].sort((a, b) => {
    const sa = a.id.version.pre === "" ? 1 : 0;
    const sb = b.id.version.pre === "" ? 1 : 0;
    return sa - sb || compareVersions(a.id.version, b.id.version);
  });
  const latest = sorted.at(-1);
  if (!latest) {
    throw new WharfError({
      code: "ADD_CRATE_NOT_FOUND",
      message: `the crate \`${options.depName}\` could not be found in registry index.`,
    });
  }
  const target = options.packageRustVersion ?? options.rustcVersion;
  if (!options.honorRustVersion || target === undefined) return { summary: latest };
  const isMsrv = options.packageRustVersion !== undefined;
  const compatible = sorted
    .filter((s) => s.rustVersion === undefined || rustVersionLe(s.rustVersion, target))
    .at(-1);
  const latestVersion = formatVersion(latest.id.version);
  if (!compatible) {
    const what = isMsrv
      ? `can maintain ${options.packageName}'s rust-version of ${target}`
      : `is compatible with rustc ${target}`;
    throw new WharfError({
      code: "ADD_NO_COMPATIBLE_VERSION",
      message: `no version of crate \`${options.depName}\` ${what}`,
      hint: `pass \`--ignore-rust-version\` to select ${options.depName}@${latestVersion} which requires rustc ${latest.rustVersion}`,
    });
  }
  if (compareVersions(compatible.id.version, latest.id.version) < 0) {
    const why = isMsrv
      ? `to maintain ${options.packageName}'s rust-version of ${target}`
      : `as it is incompatible with rustc ${target}`;
    return {
      summary: compatible,
      warning: `ignoring ${options.depName}@${latestVersion} (which requires rustc ${latest.rustVersion}) ${why}`,
    };
  }
  return { summary: compatible };
}

/** The lowest version a requirement allows (stable first): the widest feature set that may be locked. */
export function lowestMatching(summaries: readonly Summary[], req: string | undefined): Summary | undefined {
  let parsed: ReturnType<typeof parseRequirement>;
  try {
    parsed = parseRequirement(req ?? "*");
  } catch {
    return undefined;
  }
  const candidates = summaries.filter((s) => matches(parsed, s.id.version));
  candidates.sort((a, b) => {
    const pa = a.id.version.pre === "" ? 0 : 1;
    const pb = b.id.version.pre === "" ? 0 : 1;
    return pa - pb || compareVersions(a.id.version, b.id.version);
  });
  return candidates[0];
}

/** feature -> the plain features it enables (`dep:`/`a/b` values do not count), as cargo add shows them. */
export function availableFeatures(features: ReadonlyMap<string, readonly string[]>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [k, values] of features) {
    out.set(
      k,
      values.filter((v) => !v.includes("/") && !v.startsWith("dep:")),
    );
  }
  return out;
}

export function featuresOfPackage(pkg: Package): Map<string, string[]> {
  return availableFeatures(pkg.features);
}

export function versionOfString(v: string): Version | undefined {
  try {
    return parseVersion(v);
  } catch {
    return undefined;
  }
}
