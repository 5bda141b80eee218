/**
 * What every store operation is handed: the Kysely handle (a transaction inside one) and
 * the injected clock. Operations live in their own files as functions over this context,
 * so SqliteRegistryStore (and a later PostgreSQL store) only wire them up.
 */
import type { Kysely } from "kysely";
import type { Clock } from "./registry-store.js";
import type { RegistryDatabase } from "./schema.js";

export interface StoreContext {
  readonly db: Kysely<RegistryDatabase>;
  readonly now: Clock;
}

/** Runs `work` in one transaction with the same clock. */
export async function inTransaction<T>(
  ctx: StoreContext,
  work: (trx: StoreContext) => Promise<T>,
): Promise<T> {
  return ctx.db.transaction().execute((trx) => work({ db: trx, now: ctx.now }));
}

export function isoNow(ctx: StoreContext): string {
  return ctx.now().toISOString();
}
