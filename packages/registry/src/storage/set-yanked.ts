import { appendAudit } from "./audit-log.js";
import type { SetYankedInput } from "./registry-store.js";
import { inTransaction, isoNow, type StoreContext } from "./store-context.js";
import { findVersionRow } from "./version-row.js";

export async function setYanked(ctx: StoreContext, input: SetYankedInput): Promise<{ changed: boolean }> {
  return inTransaction(ctx, async (trx) => {
    const row = await findVersionRow(trx, input.crateName, input.version);
    // Repeating a yank is a success that changes nothing, as on crates.io.
    if ((row.yanked !== 0) === input.yanked) return { changed: false };
    const now = isoNow(trx);
    await trx.db
      .updateTable("versions")
      .set({ yanked: input.yanked ? 1 : 0 })
      .where("id", "=", row.id)
      .execute();
    await trx.db
      .updateTable("crates")
      .set({ index_version: row.index_version + 1, index_updated_at: now, updated_at: now })
      .where("id", "=", row.crate_id)
      .execute();
    await appendAudit(trx, {
      actor: input.actor,
      action: input.yanked ? "yank" : "unyank",
      crateName: row.name,
      version: input.version,
      remoteAddr: input.remoteAddr,
    });
    return { changed: true };
  });
}
