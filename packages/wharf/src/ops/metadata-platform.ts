/**
 * `--filter-platform TRIPLE` for `wharf metadata`: which `[target.'…'.dependencies]` apply to
 * a target, decided as cargo does, from the cfg set `rustc --print cfg --target TRIPLE` gives
 * (cargo asks rustc too, so custom and new targets behave alike). Also cargo's `Platform`
 * order, which sorts a node's `dep_kinds`.
 */
import { spawnSync } from "node:child_process";
import { type CfgExpr, type Platform, WharfError } from "@wharf/protocol";

export interface TargetCfg {
  triple: string;
  names: ReadonlySet<string>;
  pairs: ReadonlyMap<string, ReadonlySet<string>>;
}

/** Parses rustc's `--print cfg` lines (`unix`, `target_os="linux"`). */
export function parseCfgLines(triple: string, text: string): TargetCfg {
  const names = new Set<string>();
  const pairs = new Map<string, Set<string>>();
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "") continue;
    const eq = line.indexOf("=");
    if (eq < 0) {
      names.add(line);
      continue;
    }
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1).replace(/^"(.*)"$/, "$1");
    let set = pairs.get(key);
    if (set === undefined) {
      set = new Set();
      pairs.set(key, set);
    }
    set.add(value);
  }
  return { triple, names, pairs };
}

/** Runs rustc (RUSTC or `rustc` on PATH) for the cfg set of `triple`. */
export function targetCfgFromRustc(
  triple: string,
  env: Readonly<Record<string, string | undefined>>,
): TargetCfg {
  const rustc = env.RUSTC ?? "rustc";
  const r = spawnSync(rustc, ["--print", "cfg", "--target", triple], {
    encoding: "utf8",
    env: { ...env },
    maxBuffer: 1 << 20,
  });
  if (r.error !== undefined || r.status !== 0) {
    throw new WharfError({
      code: "METADATA_TARGET_CFG",
      message: `failed to run \`${rustc} --print cfg --target ${triple}\` for \`--filter-platform ${triple}\``,
      notes: [r.error?.message ?? r.stderr.trim()],
      hint: "check the target triple (`rustc --print target-list`) and that rustc is installed",
    });
  }
  return parseCfgLines(triple, r.stdout);
}

function evalCfg(expr: CfgExpr, cfg: TargetCfg): boolean {
  switch (expr.kind) {
    case "name":
      return cfg.names.has(expr.name);
    case "key-pair":
      return cfg.pairs.get(expr.key)?.has(expr.value) ?? false;
    case "bool":
      return expr.value;
    case "not":
      return !evalCfg(expr.expr, cfg);
    case "all":
      return expr.exprs.every((e) => evalCfg(e, cfg));
    case "any":
      return expr.exprs.some((e) => evalCfg(e, cfg));
  }
}

/** cargo's `Platform::matches`: a triple by name, a cfg() by the target's cfg set. */
export function platformMatches(platform: Platform | undefined, cfg: TargetCfg): boolean {
  if (platform === undefined) return true;
  return platform.kind === "name" ? platform.triple === cfg.triple : evalCfg(platform.expr, cfg);
}

function compareStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const CFG_RANK: Record<CfgExpr["kind"], number> = { not: 0, all: 1, any: 2, name: 3, "key-pair": 3, bool: 4 };

/** the derived Ord of cargo-platform's `CfgExpr` (Not, All, Any, Value(Name | KeyPair), True, False) */
function compareCfg(a: CfgExpr, b: CfgExpr): number {
  const rank = (e: CfgExpr) => (e.kind === "bool" ? (e.value ? 4 : 5) : CFG_RANK[e.kind]);
  const d = rank(a) - rank(b);
  if (d !== 0) return d;
  if (a.kind === "not" && b.kind === "not") return compareCfg(a.expr, b.expr);
  if ((a.kind === "all" || a.kind === "any") && (b.kind === "all" || b.kind === "any")) {
    for (let i = 0; i < Math.min(a.exprs.length, b.exprs.length); i++) {
      const c = compareCfg(a.exprs[i]!, b.exprs[i]!);
      if (c !== 0) return c;
    }
    return a.exprs.length - b.exprs.length;
  }
  if (a.kind === "name" && b.kind === "name") return compareStr(a.name, b.name);
  if (a.kind === "name") return -1;
  if (b.kind === "name") return 1;
  if (a.kind === "key-pair" && b.kind === "key-pair")
    return compareStr(a.key, b.key) || compareStr(a.value, b.value);
  return 0;
}

/** `Option<Platform>` order: none first, then `Name(triple)` before `Cfg(expr)` */
export function comparePlatforms(a: Platform | undefined, b: Platform | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  if (a.kind === "name" && b.kind === "name") return compareStr(a.triple, b.triple);
  if (a.kind === "name") return -1;
  if (b.kind === "name") return 1;
  return compareCfg(a.expr, b.expr);
}
