/**
 * Offsets to 1-based line and column, the way rustc and cargo report them: columns count
 * characters (code points), not UTF-16 units, so a non-ASCII author name earlier on the
 * line does not shift the caret.
 */
export interface TextPosition {
  line: number;
  column: number;
}

export class LineIndex {
  readonly #text: string;
  /** offset of the first character of each line */
  readonly #starts: number[] = [0];

  constructor(text: string) {
    this.#text = text;
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) this.#starts.push(i + 1);
  }

  position(offset: number): TextPosition {
    // Binary search for the last line start <= offset.
    let lo = 0;
    let hi = this.#starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.#starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    const start = this.#starts[lo] ?? 0;
    return { line: lo + 1, column: [...this.#text.slice(start, offset)].length + 1 };
  }
}
