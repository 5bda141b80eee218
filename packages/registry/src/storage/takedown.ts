/**
 * Admin takedowns: a version or a whole crate is removed from the index and the database
 * and a tombstone is written, so the same name/version can never be published again (a
 * lockfile that pinned the old checksum must not silently get different bytes). Blob
 * deletion is left to the caller, after the commit, for the hashes returned here.
 */
import { canonicalCrateName } from "@wharf/protocol";
import { appendAudit } from "./audit-log.js";
import { checkVersion } from "./publish-version.js";
import type { DeleteCrateInput, DeleteVersionInput, TakedownResult } from "./registry-store.js";
import { actorColumns } from "./rows.js";
import { storageError } from "./storage-error.js";
import { inTransaction, isoNow, type StoreContext } from "./store-context.js";
import { findVersionRow } from "./version-row.js";

async function stillReferenced(ctx: StoreContext, hashes: readonly string[]): Promise<Set<string>> {
  if (hashes.length === 0) return new Set();
  const rows = await ctx.db
    .selectFrom("versions")
    .select("blob_hash")
    .where("blob_hash", "in", hashes)
    .execute();
  return new Set(rows.map((row) => row.blob_hash));
}

export async function deleteVersion(ctx: StoreContext, input: DeleteVersionInput): Promise<TakedownResult> {
  return inTransaction(ctx, async (trx) => {
    const row = await findVersionRow(trx, input.crateName, input.version);
    const now = isoNow(trx);
    const actor = actorColumns(input.actor);
    await trx.db.deleteFrom("versions").where("id", "=", row.id).execute();
    await trx.db
      .insertInto("tombstones")
      .values({
        canonical_name: row.canonical_name,
        version: checkVersion(row.num).canonical,
        deleted_by_kind: actor.kind,
        deleted_by_user_id: actor.userId,
        reason: input.reason,
        deleted_at: now,
      })
      .execute();
    await trx.db
      .updateTable("crates")
      .set({ index_version: row.index_version + 1, index_updated_at: now, updated_at: now })
      .where("id", "=", row.crate_id)
      .execute();
    await appendAudit(trx, {
      actor: input.actor,
      action: "delete-version",
      crateName: row.name,
      version: row.num,
      detail: { reason: input.reason, blobHash: row.blob_hash },
      remoteAddr: input.remoteAddr,
    });
    const referenced = await stillReferenced(trx, [row.blob_hash]);
    return { unreferencedBlobs: referenced.has(row.blob_hash) ? [] : [row.blob_hash] };
  });
}

export async function deleteCrate(ctx: StoreContext, input: DeleteCrateInput): Promise<TakedownResult> {
  return inTransaction(ctx, async (trx) => {
    const crate = await trx.db
      .selectFrom("crates")
      .select(["id", "name", "canonical_name"])
      .where("canonical_name", "=", canonicalCrateName(input.crateName))
      .executeTakeFirst();
    if (crate === undefined) {
      throw storageError({
        code: "REGISTRY_CRATE_NOT_FOUND",
        message: `crate \`${input.crateName}\` does not exist`,
      });
    }
    const versions = await trx.db
      .selectFrom("versions")
      .select(["num", "blob_hash"])
      .where("crate_id", "=", crate.id)
      .execute();
    const now = isoNow(trx);
    const actor = actorColumns(input.actor);
    await trx.db.deleteFrom("versions").where("crate_id", "=", crate.id).execute();
    await trx.db.deleteFrom("crate_owners").where("crate_id", "=", crate.id).execute();
    await trx.db.deleteFrom("crates").where("id", "=", crate.id).execute();
    await trx.db
      .insertInto("tombstones")
      .values({
        canonical_name: crate.canonical_name,
        version: null,
        deleted_by_kind: actor.kind,
        deleted_by_user_id: actor.userId,
        reason: input.reason,
        deleted_at: now,
      })
      .execute();
    await appendAudit(trx, {
      actor: input.actor,
      action: "delete-crate",
      crateName: crate.name,
      detail: { reason: input.reason, versions: versions.map((version) => version.num) },
      remoteAddr: input.remoteAddr,
    });
    const hashes = [...new Set(versions.map((version) => version.blob_hash))];
    const referenced = await stillReferenced(trx, hashes);
    return { unreferencedBlobs: hashes.filter((hash) => !referenced.has(hash)).sort() };
  });
}

export async function isTombstoned(ctx: StoreContext, crateName: string, version?: string): Promise<boolean> {
  const canonical = canonicalCrateName(crateName);
  const canonicalVersion = version === undefined ? undefined : checkVersion(version).canonical;
  const row = await ctx.db
    .selectFrom("tombstones")
    .select("id")
    .where("canonical_name", "=", canonical)
    .where((eb) =>
      canonicalVersion === undefined
        ? eb("version", "is", null)
        : eb.or([eb("version", "is", null), eb("version", "=", canonicalVersion)]),
    )
    .executeTakeFirst();
  return row !== undefined;
}
