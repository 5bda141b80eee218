/**
 * Typosquat detection: does a crate name imitate a popular crate's? In the spirit of
 * crates.io's checker (a corpus of popular crates; omitted, repeated and swapped characters,
 * bit flips, keyboard typos, swapped words and affixes; crates sharing an owner with the
 * popular crate are exempt), plus homoglyphs, `-`/`_` and case confusion and, at a looser
 * threshold, a transposition-aware edit distance. Every finding names the popular crate and
 * says what kind of difference it is. Pure: the popular list and owners are passed in.
 */
import { osaDistance } from "./typosquat-distance.js";
import {
  areHomoglyphs,
  areKeyboardNeighbours,
  foldCrateName,
  isBitflip,
  isDigit,
  MULTI_GLYPHS,
  PREFIXES,
  SUFFIXES,
} from "./typosquat-names.js";

export type TyposquatKind =
  | "case-or-separator"
  | "separator"
  | "swapped-words"
  | "affix"
  | "omitted"
  | "repeated"
  | "inserted"
  | "transposed"
  | "bitflip"
  | "keyboard"
  | "homoglyph"
  | "substituted"
  | "distance";

export interface PopularCrate {
  name: string;
  downloads?: number | undefined;
  /** opaque owner ids (users, teams); a candidate sharing one is not a squat of this crate */
  owners?: readonly string[] | undefined;
  /**
   * false when `name` is only known up to case and `-`/`_` (Debian package names): then a
   * candidate that differs only in those is not reported, since it may be the crate itself.
   */
  exactSpelling?: boolean | undefined;
}

export interface TyposquatMatch {
  /** the popular crate imitated, as spelled in the popular list */
  popular: string;
  kind: TyposquatKind;
  /** one line, e.g. "omits `e` from `serde`" */
  reason: string;
  /** edit distance between the folded names (0 for case/separator-only differences) */
  distance: number;
}

export interface TyposquatFinding {
  name: string;
  /** best match first (smallest distance, then most downloaded) */
  matches: TyposquatMatch[];
}

export interface TyposquatCheckOptions {
  /** the candidate crate's owners (ids comparable with PopularCrate.owners) */
  owners?: readonly string[] | undefined;
  /**
   * Largest edit distance reported for differences that fit no typo pattern (1..3; default 1).
   * At 1 only the named typo patterns are reported; 2 and 3 add plain edit distance for long
   * names (at least 8 and 10 characters respectively).
   */
  threshold?: number | undefined;
}

interface Entry {
  crate: PopularCrate;
  folded: string;
  /** folded, separators removed */
  joined: string;
  words: string;
}

const sortedWords = (folded: string) => folded.split("-").filter(Boolean).sort().join("-");

/**
 * Short names collide by chance (gtk/gdk, pem/pam, glob/glib are all real crates), so the
 * looser patterns need a longer popular name: homoglyphs, repeated and swapped characters
 * count from 3 characters, keyboard typos from 4, bit flips and plain inserted, omitted or
 * replaced characters from 5.
 */
const MIN_KEYBOARD_LENGTH = 4;
const MIN_LOOSE_LENGTH = 5;

/** The popular-crate corpus with the lookups the check needs; build once, check many. */
export class TyposquatIndex {
  readonly #byFolded = new Map<string, Entry>();
  readonly #byJoined = new Map<string, Entry[]>();
  readonly #byWords = new Map<string, Entry[]>();
  readonly #byLength = new Map<number, Entry[]>();

  constructor(popular: Iterable<PopularCrate>) {
    for (const crate of popular) {
      const folded = foldCrateName(crate.name);
      const existing = this.#byFolded.get(folded);
      if (existing) {
        // one crate listed twice (download list and built-in): keep the more exact record
        if (existing.crate.exactSpelling === false && crate.exactSpelling !== false) existing.crate = crate;
        continue;
      }
      const entry: Entry = { crate, folded, joined: folded.replaceAll("-", ""), words: sortedWords(folded) };
      this.#byFolded.set(folded, entry);
      push(this.#byJoined, entry.joined, entry);
      push(this.#byWords, entry.words, entry);
      push(this.#byLength, folded.length, entry);
    }
  }

  get size(): number {
    return this.#byFolded.size;
  }

  /** Whether `name` is itself in the corpus (up to case and `-`/`_`). */
  has(name: string): boolean {
    return this.#byFolded.has(foldCrateName(name));
  }

  /** The popular crates `name` imitates, or undefined when none. */
  check(name: string, options: TyposquatCheckOptions = {}): TyposquatFinding | undefined {
    const threshold = Math.max(1, Math.min(3, options.threshold ?? 1));
    const folded = foldCrateName(name);
    const matches: TyposquatMatch[] = [];
    const seen = new Set<string>();
    const report = (entry: Entry, m: Omit<TyposquatMatch, "popular">) => {
      if (seen.has(entry.folded) || shareOwner(options.owners, entry.crate.owners)) return;
      seen.add(entry.folded);
      matches.push({ popular: entry.crate.name, ...m });
    };

    const same = this.#byFolded.get(folded);
    if (same) {
      // the crate itself, or a spelling crates.io would treat as the same name
      if (same.crate.name !== name && same.crate.exactSpelling !== false) {
        report(same, {
          kind: "case-or-separator",
          reason: `differs from \`${same.crate.name}\` only in case or \`-\`/\`_\``,
          distance: 0,
        });
      }
      return finish(name, matches, this.#byFolded);
    }

    const joined = folded.replaceAll("-", "");
    for (const e of this.#byJoined.get(joined) ?? []) {
      report(e, {
        kind: "separator",
        reason: `adds or drops \`-\`/\`_\` in \`${e.crate.name}\``,
        distance: 1,
      });
    }
    for (const e of this.#byWords.get(sortedWords(folded)) ?? []) {
      if (folded.includes("-")) {
        report(e, { kind: "swapped-words", reason: `swaps the words of \`${e.crate.name}\``, distance: 2 });
      }
    }
    this.#affixes(folded, report);

    for (let len = folded.length - threshold; len <= folded.length + threshold; len++) {
      for (const e of this.#byLength.get(len) ?? []) {
        if (seen.has(e.folded)) continue;
        const m = classify(folded, e, threshold);
        if (m) report(e, m);
      }
    }
    return finish(name, matches, this.#byFolded);
  }

  #affixes(folded: string, report: (e: Entry, m: Omit<TyposquatMatch, "popular">) => void): void {
    const at = (key: string) => this.#byFolded.get(key);
    for (const s of SUFFIXES) {
      const stem = folded.endsWith(`-${s}`) ? at(folded.slice(0, -(s.length + 1))) : undefined;
      if (stem)
        report(stem, {
          kind: "affix",
          reason: `adds the \`-${s}\` suffix to \`${stem.crate.name}\``,
          distance: s.length + 1,
        });
      const longer = at(`${folded}-${s}`);
      if (longer)
        report(longer, {
          kind: "affix",
          reason: `drops the \`-${s}\` suffix of \`${longer.crate.name}\``,
          distance: s.length + 1,
        });
    }
    for (const p of PREFIXES) {
      const stem = folded.startsWith(`${p}-`) ? at(folded.slice(p.length + 1)) : undefined;
      if (stem)
        report(stem, {
          kind: "affix",
          reason: `adds the \`${p}-\` prefix to \`${stem.crate.name}\``,
          distance: p.length + 1,
        });
      const longer = at(`${p}-${folded}`);
      if (longer)
        report(longer, {
          kind: "affix",
          reason: `drops the \`${p}-\` prefix of \`${longer.crate.name}\``,
          distance: p.length + 1,
        });
    }
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function shareOwner(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (!a || !b) return false;
  return a.some((o) => b.includes(o));
}

function finish(
  name: string,
  matches: TyposquatMatch[],
  corpus: Map<string, Entry>,
): TyposquatFinding | undefined {
  if (matches.length === 0) return undefined;
  const downloads = (m: TyposquatMatch) => corpus.get(foldCrateName(m.popular))?.crate.downloads ?? 0;
  matches.sort(
    (a, b) => a.distance - b.distance || downloads(b) - downloads(a) || (a.popular < b.popular ? -1 : 1),
  );
  return { name, matches };
}

/** What single typo turns popular `e` into `c` (both folded), or a plain distance within threshold. */
function classify(c: string, e: Entry, threshold: number): Omit<TyposquatMatch, "popular"> | undefined {
  const p = e.folded;
  const shown = `\`${e.crate.name}\``;
  for (const [many, one] of MULTI_GLYPHS) {
    if (swapsSequence(c, p, many, one) || swapsSequence(p, c, many, one)) {
      return {
        kind: "homoglyph",
        reason: `writes \`${many}\`/\`${one}\` for each other in ${shown}`,
        distance: 2,
      };
    }
  }
  const short = p.length < MIN_LOOSE_LENGTH;
  if (p.length < 3) return undefined;
  if (c.length === p.length) {
    const diff = [...c].flatMap((ch, i) => (ch === p[i] ? [] : [i]));
    if (diff.length === 1) {
      const i = diff[0] ?? 0;
      const from = p[i] ?? "";
      const to = c[i] ?? "";
      // sha1/sha2, md4/md5, crc32/crc64: numbered siblings, not typos
      if (isDigit(from) && isDigit(to)) return undefined;
      if (areHomoglyphs(from, to))
        return {
          kind: "homoglyph",
          reason: `writes \`${to}\` for the look-alike \`${from}\` in ${shown}`,
          distance: 1,
        };
      if (areKeyboardNeighbours(from, to) && p.length >= MIN_KEYBOARD_LENGTH)
        return {
          kind: "keyboard",
          reason: `types the neighbouring key \`${to}\` for \`${from}\` in ${shown}`,
          distance: 1,
        };
      if (short) return undefined;
      if (isBitflip(from, to))
        return {
          kind: "bitflip",
          reason: `flips one bit of \`${from}\` (to \`${to}\`) in ${shown}`,
          distance: 1,
        };
      if (from === "-" || to === "-") return undefined;
      return { kind: "substituted", reason: `replaces \`${from}\` with \`${to}\` in ${shown}`, distance: 1 };
    }
    if (diff.length === 2) {
      const [i, j] = [diff[0] ?? 0, diff[1] ?? 0];
      if (j === i + 1 && c[i] === p[j] && c[j] === p[i])
        return { kind: "transposed", reason: `swaps \`${p[i]}${p[j]}\` in ${shown}`, distance: 1 };
    }
  } else if (c.length === p.length + 1) {
    const i = firstDiff(c, p);
    if (c.slice(i + 1) === p.slice(i)) {
      const ch = c[i] ?? "";
      if (ch === c[i + 1] || ch === c[i - 1])
        return { kind: "repeated", reason: `repeats \`${ch}\` in ${shown}`, distance: 1 };
      if (!short) return { kind: "inserted", reason: `inserts \`${ch}\` into ${shown}`, distance: 1 };
      return undefined;
    }
  } else if (c.length + 1 === p.length) {
    const i = firstDiff(p, c);
    if (p.slice(i + 1) === c.slice(i) && !short) {
      const ch = p[i] ?? "";
      return { kind: "omitted", reason: `omits \`${ch}\` from ${shown}`, distance: 1 };
    }
  }
  if (threshold < 2) return undefined;
  const minLength = threshold === 2 ? 8 : 10;
  if (p.length < minLength || c.replaceAll(/[0-9]/g, "") === p.replaceAll(/[0-9]/g, "")) return undefined;
  const d = osaDistance(c, p, threshold);
  if (d < 2 || d > threshold) return undefined;
  return { kind: "distance", reason: `is ${d} edits away from ${shown}`, distance: d };
}

function firstDiff(a: string, b: string): number {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i;
}

/** `a` is `b` with one occurrence of `one` written as `many`. */
function swapsSequence(a: string, b: string, many: string, one: string): boolean {
  for (let i = a.indexOf(many); i >= 0; i = a.indexOf(many, i + 1)) {
    if (`${a.slice(0, i)}${one}${a.slice(i + many.length)}` === b) return true;
  }
  return false;
}
