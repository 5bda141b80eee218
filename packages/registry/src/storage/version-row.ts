/**
 * The version row a yank or a takedown acts on, looked up by crate (case and -/_ folded)
 * and exact version, with NOT_FOUND as a typed storage error when there is none.
 */
import { canonicalCrateName } from "@wharf/protocol";
import { storageError } from "./storage-error.js";
import type { StoreContext } from "./store-context.js";

export async function findVersionRow(ctx: StoreContext, crateName: string, version: string) {
  const row = await ctx.db
    .selectFrom("versions")
    .innerJoin("crates", "crates.id", "versions.crate_id")
    .select([
      "versions.id",
      "versions.yanked",
      "versions.blob_hash",
      "versions.num",
      "crates.id as crate_id",
      "crates.name",
      "crates.canonical_name",
      "crates.index_version",
    ])
    .where("crates.canonical_name", "=", canonicalCrateName(crateName))
    .where("versions.num", "=", version)
    .executeTakeFirst();
  if (row === undefined) {
    throw storageError({
      code: "REGISTRY_VERSION_NOT_FOUND",
      message: `crate \`${crateName}\` does not have a version \`${version}\``,
    });
  }
  return row;
}
