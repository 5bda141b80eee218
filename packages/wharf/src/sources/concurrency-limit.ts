/** At most N tasks at once; the rest wait in FIFO order. Keeps a resolve of hundreds of crates from opening hundreds of streams. */
export class ConcurrencyLimit {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`concurrency limit must be >= 1, not ${max}`);
  }

  get pending(): number {
    return this.waiting.length;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      // hand the slot straight to the next waiter, so `active` never dips and lets a newcomer jump the queue
      if (next) next();
      else this.active--;
    }
  }
}
