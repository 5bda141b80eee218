/**
 * When and how long to wait before retrying a request: exponential backoff with full
 * jitter (AWS's recommendation: spreads retries of many clients apart), bounded by a count
 * and a total time budget; a 429's Retry-After is honoured up to its own bound.
 * Pure: the caller passes the random source in.
 */

export interface RetryPolicy {
  /** retries after the first attempt; default 3 */
  maxRetries: number;
  /** first backoff ceiling; default 250 ms */
  baseDelayMs: number;
  /** ceiling of any one backoff; default 10 s */
  maxDelayMs: number;
  /** no retry starts after this much time since the first attempt; default 60 s */
  maxTotalMs: number;
  /** the longest Retry-After Wharf waits; longer asks fail with a clear error; default 60 s */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxRetries: 3,
  baseDelayMs: 250,
  maxDelayMs: 10_000,
  maxTotalMs: 60_000,
  maxRetryAfterMs: 60_000,
});

/** Full jitter: uniform in [0, min(maxDelay, base * 2^retry)). `retry` counts from 0. */
export function backoffDelayMs(policy: RetryPolicy, retry: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(retry, 30));
  return Math.floor(random() * ceiling);
}

/** Retry-After is either delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfterMs(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d{1,9}$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599);
}
