/**
 * Per-user publish rate limits: new crates and new versions are counted separately (a
 * burst of new names is the typosquatting pattern; many versions is normal CI). The
 * bucket state lives in the store so limits hold across restarts and server processes.
 */
import type { RateLimitKind, RegistryStore } from "../storage/index.js";
import { type AuthDenial, deny } from "./auth-denial.js";

export interface RateLimitRule {
  readonly burst: number;
  readonly perMinute: number;
}

export type PublishRateLimits = Readonly<Record<RateLimitKind, RateLimitRule>>;

/** crates.io-like defaults: a few new crates, then one every 10 minutes; versions more freely. */
export const DEFAULT_PUBLISH_RATE_LIMITS: PublishRateLimits = {
  "new-crate": { burst: 5, perMinute: 0.1 },
  "new-version": { burst: 30, perMinute: 1 },
};

export async function checkPublishRateLimit(options: {
  store: Pick<RegistryStore, "takeRateLimit">;
  userId: number;
  kind: RateLimitKind;
  limits?: PublishRateLimits | undefined;
}): Promise<{ readonly ok: true } | AuthDenial> {
  const rule = (options.limits ?? DEFAULT_PUBLISH_RATE_LIMITS)[options.kind];
  const decision = await options.store.takeRateLimit({ userId: options.userId, kind: options.kind, ...rule });
  if (decision.allowed) return { ok: true };
  const what = options.kind === "new-crate" ? "new crates" : "new versions";
  return {
    ...deny(429, "AUTH_RATE_LIMITED", `you have published too many ${what} in a short time`),
    hint: `try again in ${decision.retryAfterSeconds} seconds`,
    retryAfterSeconds: decision.retryAfterSeconds,
  };
}
