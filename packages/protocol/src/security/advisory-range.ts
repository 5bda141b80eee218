/**
 * Advisory version ranges as cargo-audit reads them (rustsec's OSV conversion): each
 * `patched` or `unaffected` requirement is one interval of safe versions with at most one
 * lower and one upper bound (`^`/`~`/`=` stand alone; wildcards are refused), intervals may
 * not overlap, and a version is affected exactly when no safe interval holds it. Intervals
 * compare by version order alone, so `>= 1.2.3` also covers 2.0.0-beta (unlike a requirement
 * match, which would skip the pre-release). Pure.
 */
import {
  type Comparator,
  compareVersions,
  formatVersion,
  makeVersion,
  tryParseRequirement,
  type Version,
} from "../semver/index.js";

export type Bound = { kind: "unbounded" } | { kind: "inclusive" | "exclusive"; version: Version };

export interface AdvisoryRange {
  /** the requirement it came from */
  text: string;
  start: Bound;
  end: Bound;
}

const UNBOUNDED: Bound = { kind: "unbounded" };

function versionOf(c: Comparator): Version {
  return makeVersion(c.major, c.minor ?? 0n, c.patch ?? 0n, c.pre);
}

/** The lowest pre-release of a version: `2.0.0-0` sorts before every other 2.0.0 pre-release. */
function lowest(major: bigint, minor: bigint, patch: bigint): Version {
  return makeVersion(major, minor, patch, "0");
}

/** One requirement as an interval of safe versions. */
export function rangeOf(text: string): AdvisoryRange {
  const parsed = tryParseRequirement(text);
  if (!parsed.ok) throw new Error(`\`${text}\` is not a version requirement: ${parsed.reason}`);
  const cs = parsed.value.comparators;
  if (cs.length === 0) throw new Error(`\`${text}\`: \`*\` is not allowed in a range`);
  if (cs.length > 2) throw new Error(`too many comparators in \`${text}\``);
  let start: Bound = UNBOUNDED;
  let end: Bound = UNBOUNDED;
  const lower = (b: Bound) => {
    if (start.kind !== "unbounded") throw new Error(`more than one lower bound in \`${text}\``);
    start = b;
  };
  const upper = (b: Bound) => {
    if (end.kind !== "unbounded") throw new Error(`more than one upper bound in \`${text}\``);
    end = b;
  };
  for (const c of cs) {
    const v = versionOf(c);
    switch (c.op) {
      case "greater":
        lower({ kind: "exclusive", version: v });
        break;
      case "greaterEq":
        lower({ kind: "inclusive", version: v });
        break;
      case "less":
        upper({ kind: "exclusive", version: v });
        break;
      case "lessEq":
        upper({ kind: "inclusive", version: v });
        break;
      case "exact":
      case "caret":
      case "tilde": {
        if (cs.length !== 1) throw new Error(`\`${text}\`: \`${c.op}\` requirements must stand alone`);
        start = { kind: "inclusive", version: v };
        if (c.op === "exact") {
          end = { kind: "inclusive", version: v };
        } else if (c.op === "caret") {
          const next =
            c.major > 0n
              ? lowest(c.major + 1n, 0n, 0n)
              : c.minor === undefined
                ? lowest(1n, 0n, 0n)
                : c.minor === 0n && c.patch !== undefined
                  ? lowest(0n, 0n, c.patch + 1n)
                  : lowest(0n, c.minor + 1n, 0n);
          end = { kind: "exclusive", version: next };
        } else {
          const next =
            c.minor === undefined ? lowest(c.major + 1n, 0n, 0n) : lowest(c.major, c.minor + 1n, 0n);
          end = { kind: "exclusive", version: next };
        }
        break;
      }
      default:
        throw new Error(`\`${text}\`: wildcard requirements are not supported in advisories`);
    }
  }
  if (!startBeforeEnd(start, end)) throw new Error(`\`${text}\` is an empty range`);
  return { text, start, end };
}

/** start <= end, where equal versions need both bounds inclusive (rustsec's rule). */
function startBeforeEnd(start: Bound, end: Bound): boolean {
  if (start.kind === "unbounded" || end.kind === "unbounded") return true;
  const c = compareVersions(start.version, end.version);
  return c < 0 || (c === 0 && start.kind === "inclusive" && end.kind === "inclusive");
}

function overlaps(a: AdvisoryRange, b: AdvisoryRange): boolean {
  return startBeforeEnd(a.start, b.end) && startBeforeEnd(b.start, a.end);
}

/** All patched and unaffected requirements of one advisory; overlapping ones are an error. */
export function parseAdvisoryRanges(reqs: readonly string[]): AdvisoryRange[] {
  const ranges = reqs.map(rangeOf);
  for (let i = 0; i < ranges.length; i++) {
    for (let j = i + 1; j < ranges.length; j++) {
      const [a, b] = [ranges[i], ranges[j]];
      if (a && b && overlaps(a, b))
        throw new Error(`overlapping version ranges \`${a.text}\` and \`${b.text}\``);
    }
  }
  return ranges;
}

function inRange(r: AdvisoryRange, v: Version): boolean {
  const s = r.start;
  const e = r.end;
  const afterStart =
    s.kind === "unbounded" ||
    (s.kind === "inclusive" ? compareVersions(v, s.version) >= 0 : compareVersions(v, s.version) > 0);
  const beforeEnd =
    e.kind === "unbounded" ||
    (e.kind === "inclusive" ? compareVersions(v, e.version) <= 0 : compareVersions(v, e.version) < 0);
  return afterStart && beforeEnd;
}

/** Whether `version` is affected: no patched or unaffected interval holds it. */
export function isAffected(safeRanges: readonly AdvisoryRange[], version: Version): boolean {
  return !safeRanges.some((r) => inRange(r, version));
}

export function formatBound(b: Bound): string {
  return b.kind === "unbounded" ? "*" : formatVersion(b.version);
}
