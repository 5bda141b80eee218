/**
 * VersionReq -> text, exactly as the semver crate's `Display` prints it (and hence as
 * `cargo metadata` prints a dependency's `req`): `^1.0`, `>=1.0, <2`, `1.*`, `*`. Build
 * metadata was discarded at parse time, so `=1.0.152+x` prints as `=1.0.152`.
 */
import type { Comparator, Op, VersionReq } from "./version-req.js";

const OP_TEXT: Readonly<Record<Op, string>> = {
  exact: "=",
  greater: ">",
  greaterEq: ">=",
  less: "<",
  lessEq: "<=",
  tilde: "~",
  caret: "^",
  wildcard: "",
};

export function formatComparator(comparator: Comparator): string {
  let out = `${OP_TEXT[comparator.op]}${comparator.major}`;
  if (comparator.minor !== undefined) {
    out += `.${comparator.minor}`;
    if (comparator.patch !== undefined) {
      out += `.${comparator.patch}`;
      if (comparator.pre !== "") out += `-${comparator.pre}`;
    } else if (comparator.op === "wildcard") {
      out += ".*";
    }
  } else if (comparator.op === "wildcard") {
    out += ".*";
  }
  return out;
}

export function formatRequirement(req: VersionReq): string {
  if (req.comparators.length === 0) return "*";
  return req.comparators.map(formatComparator).join(", ");
}
