/**
 * Generates look-alike names of a crate, one list per kind of typo, the way crates.io's
 * checker enumerates squats of its popular crates. The registry can use it to see what a
 * popular name invites; the tests use it as an independent source of squats to detect.
 * Pure and deterministic (no randomness: callers sample).
 */
import type { TyposquatKind } from "./typosquat.js";
import {
  bitflipsOf,
  foldCrateName,
  homoglyphsOf,
  keyboardNeighboursOf,
  MULTI_GLYPHS,
  PREFIXES,
  SUFFIXES,
} from "./typosquat-names.js";

export interface LookAlike {
  name: string;
  kind: TyposquatKind;
}

/** Every single-typo variant of `name` (folded), without duplicates or `name` itself. */
export function generateLookAlikes(name: string): LookAlike[] {
  const p = foldCrateName(name);
  const out = new Map<string, TyposquatKind>();
  const add = (n: string, kind: TyposquatKind) => {
    if (n !== p && n.length > 0 && /^[a-z0-9][a-z0-9-]*$/.test(n) && !n.endsWith("-") && !n.includes("--")) {
      if (!out.has(n)) out.set(n, kind);
    }
  };
  const at = (i: number, s: string, drop = 1) => `${p.slice(0, i)}${s}${p.slice(i + drop)}`;
  for (let i = 0; i < p.length; i++) {
    const c = p[i] ?? "";
    if (c === "-") {
      add(at(i, ""), "separator");
      continue;
    }
    add(at(i, `${c}${c}`), "repeated");
    if (i + 1 < p.length && p[i + 1] !== c && p[i + 1] !== "-")
      add(at(i, `${p[i + 1]}${c}`, 2), "transposed");
    for (const h of homoglyphsOf(c)) add(at(i, h), "homoglyph");
    for (const k of keyboardNeighboursOf(c)) if (k !== "-") add(at(i, k), "keyboard");
    for (const b of bitflipsOf(c)) if (b !== "-") add(at(i, b), "bitflip");
    add(at(i, ""), "omitted");
  }
  for (const [many, one] of MULTI_GLYPHS) {
    for (let i = p.indexOf(one); i >= 0; i = p.indexOf(one, i + 1)) add(at(i, many, one.length), "homoglyph");
    for (let i = p.indexOf(many); i >= 0; i = p.indexOf(many, i + 1))
      add(at(i, one, many.length), "homoglyph");
  }
  const words = p.split("-");
  if (words.length >= 2) add([...words].reverse().join("-"), "swapped-words");
  for (const s of SUFFIXES) add(`${p}-${s}`, "affix");
  for (const pre of PREFIXES) add(`${pre}-${p}`, "affix");
  return [...out].map(([n, kind]) => ({ name: n, kind }));
}
