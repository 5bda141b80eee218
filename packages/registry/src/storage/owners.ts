/**
 * Crate ownership: list, check, add, remove. A crate always keeps at least one owner, so
 * it can never become unmaintainable through the API.
 */
import { canonicalCrateName } from "@wharf/protocol";
import { appendAudit } from "./audit-log.js";
import type { OwnerChangeInput, UserRecord } from "./registry-store.js";
import { toUserRecord } from "./rows.js";
import { storageError } from "./storage-error.js";
import { inTransaction, isoNow, type StoreContext } from "./store-context.js";

async function requireCrate(ctx: StoreContext, name: string): Promise<{ id: number; name: string }> {
  const crate = await ctx.db
    .selectFrom("crates")
    .select(["id", "name"])
    .where("canonical_name", "=", canonicalCrateName(name))
    .executeTakeFirst();
  if (crate === undefined) {
    throw storageError({ code: "REGISTRY_CRATE_NOT_FOUND", message: `crate \`${name}\` does not exist` });
  }
  return crate;
}

async function requireUser(ctx: StoreContext, login: string): Promise<UserRecord> {
  const user = await ctx.db.selectFrom("users").selectAll().where("login", "=", login).executeTakeFirst();
  if (user === undefined) {
    throw storageError({ code: "REGISTRY_USER_NOT_FOUND", message: `no user with login \`${login}\`` });
  }
  return toUserRecord(user);
}

export async function listOwners(ctx: StoreContext, crateName: string): Promise<UserRecord[]> {
  const crate = await requireCrate(ctx, crateName);
  const rows = await ctx.db
    .selectFrom("crate_owners")
    .innerJoin("users", "users.id", "crate_owners.user_id")
    .selectAll("users")
    .where("crate_owners.crate_id", "=", crate.id)
    .orderBy("users.login")
    .execute();
  return rows.map(toUserRecord);
}

export async function isOwner(ctx: StoreContext, crateName: string, userId: number): Promise<boolean> {
  const row = await ctx.db
    .selectFrom("crate_owners")
    .innerJoin("crates", "crates.id", "crate_owners.crate_id")
    .select("crate_owners.user_id")
    .where("crates.canonical_name", "=", canonicalCrateName(crateName))
    .where("crate_owners.user_id", "=", userId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function addOwner(ctx: StoreContext, input: OwnerChangeInput): Promise<{ added: boolean }> {
  return inTransaction(ctx, async (trx) => {
    const crate = await requireCrate(trx, input.crateName);
    const user = await requireUser(trx, input.login);
    const existing = await trx.db
      .selectFrom("crate_owners")
      .select("user_id")
      .where("crate_id", "=", crate.id)
      .where("user_id", "=", user.id)
      .executeTakeFirst();
    if (existing !== undefined) return { added: false };
    await trx.db
      .insertInto("crate_owners")
      .values({ crate_id: crate.id, user_id: user.id, added_at: isoNow(trx) })
      .execute();
    await appendAudit(trx, {
      actor: input.actor,
      action: "owner-add",
      crateName: crate.name,
      detail: { login: user.login, userId: user.id },
      remoteAddr: input.remoteAddr,
    });
    return { added: true };
  });
}

export async function removeOwner(ctx: StoreContext, input: OwnerChangeInput): Promise<{ removed: boolean }> {
  return inTransaction(ctx, async (trx) => {
    const crate = await requireCrate(trx, input.crateName);
    const user = await requireUser(trx, input.login);
    const owners = await trx.db
      .selectFrom("crate_owners")
      .select("user_id")
      .where("crate_id", "=", crate.id)
      .execute();
    if (!owners.some((owner) => owner.user_id === user.id)) return { removed: false };
    if (owners.length <= 1) {
      throw storageError({
        code: "REGISTRY_LAST_OWNER",
        message: `\`${user.login}\` is the last owner of crate \`${crate.name}\``,
        hint: "add another owner first",
      });
    }
    await trx.db
      .deleteFrom("crate_owners")
      .where("crate_id", "=", crate.id)
      .where("user_id", "=", user.id)
      .execute();
    await appendAudit(trx, {
      actor: input.actor,
      action: "owner-remove",
      crateName: crate.name,
      detail: { login: user.login, userId: user.id },
      remoteAddr: input.remoteAddr,
    });
    return { removed: true };
  });
}
