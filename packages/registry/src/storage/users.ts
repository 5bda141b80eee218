/**
 * Registry users. Logins are unique and compared exactly; who may log in how is the auth
 * layer's business (tokens), this only keeps the rows.
 */
import { appendAudit } from "./audit-log.js";
import type { AddUserInput, UserRecord } from "./registry-store.js";
import { toUserRecord } from "./rows.js";
import { storageError } from "./storage-error.js";
import { inTransaction, isoNow, type StoreContext } from "./store-context.js";
import { isUniqueViolation } from "./unique-violation.js";

const LOGIN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export async function addUser(ctx: StoreContext, input: AddUserInput): Promise<UserRecord> {
  if (!LOGIN.test(input.login)) {
    throw storageError({
      code: "REGISTRY_INVALID_INPUT",
      message: `invalid login \`${input.login.slice(0, 80)}\``,
      hint: "use 1-64 ASCII letters, digits, `_`, `.` or `-`, starting with a letter or digit",
    });
  }
  return inTransaction(ctx, async (trx) => {
    let row: UserRecord;
    try {
      const inserted = await trx.db
        .insertInto("users")
        .values({
          login: input.login,
          name: input.name ?? null,
          is_admin: input.isAdmin === true ? 1 : 0,
          created_at: isoNow(trx),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      row = toUserRecord(inserted);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      throw storageError({
        code: "REGISTRY_USER_EXISTS",
        message: `user \`${input.login}\` already exists`,
        cause: error,
      });
    }
    await appendAudit(trx, {
      actor: input.actor,
      action: "user-add",
      detail: { login: row.login, userId: row.id, isAdmin: row.isAdmin },
    });
    return row;
  });
}

export async function listUsers(ctx: StoreContext): Promise<UserRecord[]> {
  const rows = await ctx.db.selectFrom("users").selectAll().orderBy("login").execute();
  return rows.map(toUserRecord);
}

export async function findUser(ctx: StoreContext, login: string): Promise<UserRecord | undefined> {
  const row = await ctx.db.selectFrom("users").selectAll().where("login", "=", login).executeTakeFirst();
  return row === undefined ? undefined : toUserRecord(row);
}
