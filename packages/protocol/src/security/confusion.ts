/**
 * Dependency confusion: a crate taken from a private registry whose name also exists on
 * another configured registry (a build that ever looks in the wrong place gets the
 * attacker's crate), and a locked dependency whose source changed from the one the previous
 * Cargo.lock recorded. The caller looks the names up; this decides and words the warnings. Pure.
 */

export interface ConfusionFinding {
  kind: "name-on-other-registry" | "source-changed";
  package: string;
  version: string;
  message: string;
}

export interface PrivateCrate {
  name: string;
  version: string;
  /** the registry it was resolved from (config name or URL) */
  registry: string;
  /** the other configured registries that also have a crate of this name */
  alsoOn: readonly string[];
}

export function nameConfusion(crates: readonly PrivateCrate[]): ConfusionFinding[] {
  return crates
    .filter((c) => c.alsoOn.length > 0)
    .map((c) => ({
      kind: "name-on-other-registry" as const,
      package: c.name,
      version: c.version,
      message: `\`${c.name}\` comes from \`${c.registry}\` but a crate of the same name is also on ${c.alsoOn
        .map((r) => `\`${r}\``)
        .join(", ")}: make sure every dependency on it names its registry`,
    }));
}

export interface LockSourcePackage {
  name: string;
  version: string;
  /** Cargo.lock `source`; undefined for path packages */
  source?: string | undefined;
}

const sourceKey = (s: string | undefined) =>
  s === undefined ? "path" : s.replace(/#.*$/, "").replace(/\?.*$/, "");
const shown = (s: string | undefined) => (s === undefined ? "a path" : `\`${s.replace(/#.*$/, "")}\``);

/**
 * Packages whose name was locked before but from none of the sources it comes from now
 * (a git commit or rev change of the same repository is not a source change).
 */
export function sourceChanges(
  previous: readonly LockSourcePackage[],
  next: readonly LockSourcePackage[],
): ConfusionFinding[] {
  const before = new Map<string, LockSourcePackage[]>();
  for (const p of previous) {
    const list = before.get(p.name);
    if (list) list.push(p);
    else before.set(p.name, [p]);
  }
  const out: ConfusionFinding[] = [];
  for (const p of next) {
    const old = before.get(p.name);
    if (!old || old.some((o) => sourceKey(o.source) === sourceKey(p.source))) continue;
    const was = [...new Set(old.map((o) => shown(o.source)))].join(", ");
    out.push({
      kind: "source-changed",
      package: p.name,
      version: p.version,
      message: `\`${p.name} v${p.version}\` now comes from ${shown(p.source)}; Cargo.lock had it from ${was}`,
    });
  }
  return out;
}
