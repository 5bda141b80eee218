/**
 * Which `[target.'…'.dependencies]` apply on the host. Wharf only runs on the host cargo
 * tree defaults to, so the cfg set is the one `rustc --print cfg` gives for
 * x86_64-unknown-linux-gnu (debug build: `debug_assertions` is set).
 */
import type { CfgExpr, Platform } from "@wharf/protocol";

export const HOST_TRIPLE = "x86_64-unknown-linux-gnu";

const NAMES = new Set(["debug_assertions", "unix"]);
const PAIRS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ["panic", new Set(["unwind"])],
  ["target_abi", new Set([""])],
  ["target_arch", new Set(["x86_64"])],
  ["target_endian", new Set(["little"])],
  ["target_env", new Set(["gnu"])],
  ["target_family", new Set(["unix"])],
  ["target_feature", new Set(["fxsr", "sse", "sse2"])],
  ["target_has_atomic", new Set(["8", "16", "32", "64", "ptr"])],
  ["target_os", new Set(["linux"])],
  ["target_pointer_width", new Set(["64"])],
  ["target_vendor", new Set(["unknown"])],
]);

function evalCfg(expr: CfgExpr): boolean {
  switch (expr.kind) {
    case "name":
      return NAMES.has(expr.name);
    case "key-pair":
      return PAIRS.get(expr.key)?.has(expr.value) ?? false;
    case "bool":
      return expr.value;
    case "not":
      return !evalCfg(expr.expr);
    case "all":
      return expr.exprs.every(evalCfg);
    case "any":
      return expr.exprs.some(evalCfg);
  }
}

export function platformActiveOnHost(platform: Platform | undefined): boolean {
  if (platform === undefined) return true;
  return platform.kind === "name" ? platform.triple === HOST_TRIPLE : evalCfg(platform.expr);
}
