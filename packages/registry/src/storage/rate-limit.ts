/**
 * Per-user publish rate limits as a GCRA (generic cell rate algorithm): one timestamp per
 * (user, kind) instead of a counter per window, which gives a burst plus a steady refill
 * with no window-edge doubling. The read-modify-write runs in one transaction so two
 * publishes by one user cannot both take the last slot.
 */
import type { RateLimitDecision, RateLimitInput } from "./registry-store.js";
import { storageError } from "./storage-error.js";
import { inTransaction, type StoreContext } from "./store-context.js";

export interface GcraStep {
  readonly allowed: boolean;
  /** the state to store when allowed */
  readonly nextArrivalMs: number;
  readonly retryAfterMs: number;
}

/** Pure: one request against the state `arrivalMs` (0 for a fresh bucket). */
export function gcraStep(options: {
  arrivalMs: number;
  nowMs: number;
  burst: number;
  perMinute: number;
}): GcraStep {
  const interval = 60_000 / options.perMinute;
  const tolerance = interval * options.burst;
  const next = Math.max(options.arrivalMs, options.nowMs) + interval;
  if (next - options.nowMs <= tolerance) return { allowed: true, nextArrivalMs: next, retryAfterMs: 0 };
  return { allowed: false, nextArrivalMs: options.arrivalMs, retryAfterMs: next - options.nowMs - tolerance };
}

export async function takeRateLimit(ctx: StoreContext, input: RateLimitInput): Promise<RateLimitDecision> {
  if (!(input.burst >= 1 && input.perMinute > 0 && Number.isFinite(input.perMinute))) {
    throw storageError({
      code: "REGISTRY_INVALID_INPUT",
      message: `invalid rate limit: burst ${input.burst}, ${input.perMinute} per minute`,
    });
  }
  return inTransaction(ctx, async (trx) => {
    const nowMs = trx.now().getTime();
    const row = await trx.db
      .selectFrom("rate_limit_buckets")
      .select("theoretical_arrival_ms")
      .where("user_id", "=", input.userId)
      .where("kind", "=", input.kind)
      .executeTakeFirst();
    const step = gcraStep({
      arrivalMs: row === undefined ? 0 : Number(row.theoretical_arrival_ms),
      nowMs,
      burst: input.burst,
      perMinute: input.perMinute,
    });
    if (!step.allowed)
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(step.retryAfterMs / 1000)) };
    const next = Math.ceil(step.nextArrivalMs);
    if (row === undefined) {
      await trx.db
        .insertInto("rate_limit_buckets")
        .values({ user_id: input.userId, kind: input.kind, theoretical_arrival_ms: next })
        .execute();
    } else {
      await trx.db
        .updateTable("rate_limit_buckets")
        .set({ theoretical_arrival_ms: next })
        .where("user_id", "=", input.userId)
        .where("kind", "=", input.kind)
        .execute();
    }
    return { allowed: true };
  });
}
