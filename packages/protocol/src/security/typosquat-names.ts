/**
 * The character-level facts the typosquat check reasons with: how names are folded before
 * comparing (case, `-`/`_`), which keys sit next to each other on a QWERTY keyboard, which
 * characters look alike, which one-bit errors stay inside the crate-name alphabet, and the
 * affixes people bolt onto a crate name. Pure data and small functions.
 */

/** Lowercase, `_` as `-`: two names equal after this are the same crate to crates.io. */
export function foldCrateName(name: string): string {
  return name.toLowerCase().replaceAll("_", "-");
}

/** Folded crate-name alphabet. */
const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789-";

const ROWS = ["1234567890-", "qwertyuiop", "asdfghjkl", "zxcvbnm"];
/** each row is shifted right by about half a key against the one above */
function keyNeighbours(): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (a: string | undefined, b: string | undefined) => {
    if (a === undefined || b === undefined) return;
    if (!out.has(a)) out.set(a, new Set());
    if (!out.has(b)) out.set(b, new Set());
    out.get(a)?.add(b);
    out.get(b)?.add(a);
  };
  ROWS.forEach((row, r) => {
    for (let i = 0; i < row.length; i++) {
      add(row[i], row[i + 1]);
      const below = ROWS[r + 1];
      if (below) {
        // the key below-left and below-right of row[i]
        add(row[i], below[i - 1]);
        add(row[i], below[i]);
      }
    }
  });
  return out;
}

const NEIGHBOURS = keyNeighbours();

export function areKeyboardNeighbours(a: string, b: string): boolean {
  return NEIGHBOURS.get(a)?.has(b) === true;
}

/** Single characters that read alike in common fonts (folded, so no case pairs). */
const GLYPH_PAIRS: readonly (readonly [string, string])[] = [
  ["0", "o"],
  ["1", "l"],
  ["1", "i"],
  ["l", "i"],
  ["5", "s"],
  ["2", "z"],
  ["8", "b"],
  ["6", "g"],
  ["9", "q"],
  ["u", "v"],
];

/** Character sequences that read as one letter. */
export const MULTI_GLYPHS: readonly (readonly [string, string])[] = [
  ["rn", "m"],
  ["vv", "w"],
  ["cl", "d"],
  ["nn", "m"],
];

export function areHomoglyphs(a: string, b: string): boolean {
  return GLYPH_PAIRS.some(([x, y]) => (a === x && b === y) || (a === y && b === x));
}

/** One flipped bit of the (unfolded) character that, after folding, is still a name character. */
export function isBitflip(a: string, b: string): boolean {
  const code = a.charCodeAt(0);
  for (let bit = 0; bit < 7; bit++) {
    const flipped = String.fromCharCode(code ^ (1 << bit));
    if (flipped === b) return true;
    // an uppercase letter folds to its lowercase, `_` to `-`
    if (foldCrateName(flipped) === b && /[A-Z_]/.test(flipped)) return true;
  }
  return false;
}

/** Every character one bit away from `c` that folds into the alphabet (for the generator). */
export function bitflipsOf(c: string): string[] {
  const out = new Set<string>();
  for (let bit = 0; bit < 7; bit++) {
    const f = foldCrateName(String.fromCharCode(c.charCodeAt(0) ^ (1 << bit)));
    if (f !== c && f.length === 1 && ALPHABET.includes(f)) out.add(f);
  }
  return [...out];
}

export function keyboardNeighboursOf(c: string): string[] {
  return [...(NEIGHBOURS.get(c) ?? [])].filter((n) => ALPHABET.includes(n));
}

export function homoglyphsOf(c: string): string[] {
  return GLYPH_PAIRS.flatMap(([x, y]) => (c === x ? [y] : c === y ? [x] : []));
}

/** Suffixes and prefixes added to a popular name to make a believable "companion" crate. */
export const SUFFIXES = ["rs", "rust", "cli", "lib", "core", "sys", "api"] as const;
export const PREFIXES = ["rust", "rs", "cargo", "lib"] as const;

export function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= "0" && c <= "9";
}
