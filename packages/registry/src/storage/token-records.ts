/**
 * API token rows. Only the SHA-256 of a token is stored; generating tokens, checking
 * scopes and comparing hashes belong to ../auth, which calls these.
 */
import { appendAudit } from "./audit-log.js";
import { isBlobHash } from "./blob-store.js";
import type { CreateTokenRecordInput, RevokeTokenInput, TokenLookup, TokenRecord } from "./registry-store.js";
import { toTokenRecord, toUserRecord } from "./rows.js";
import { storageError } from "./storage-error.js";
import { inTransaction, isoNow, type StoreContext } from "./store-context.js";

export async function createToken(ctx: StoreContext, input: CreateTokenRecordInput): Promise<TokenRecord> {
  if (!isBlobHash(input.tokenHash)) {
    throw storageError({
      code: "REGISTRY_INVALID_INPUT",
      message: "the token hash is not a sha256 hex digest",
    });
  }
  return inTransaction(ctx, async (trx) => {
    const user = await trx.db
      .selectFrom("users")
      .select("id")
      .where("id", "=", input.userId)
      .executeTakeFirst();
    if (user === undefined) {
      throw storageError({ code: "REGISTRY_USER_NOT_FOUND", message: `no user with id ${input.userId}` });
    }
    const row = await trx.db
      .insertInto("api_tokens")
      .values({
        user_id: input.userId,
        name: input.name,
        token_hash: input.tokenHash,
        prefix: input.prefix,
        scopes: JSON.stringify(input.scopes),
        crate_patterns: input.cratePatterns === null ? null : JSON.stringify(input.cratePatterns),
        created_at: isoNow(trx),
        expires_at: input.expiresAt === null ? null : input.expiresAt.toISOString(),
        revoked_at: null,
        last_used_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const record = toTokenRecord(row);
    await appendAudit(trx, {
      actor: input.actor,
      action: "token-create",
      detail: {
        tokenId: record.id,
        userId: record.userId,
        name: record.name,
        scopes: record.scopes,
        cratePatterns: record.cratePatterns,
        expiresAt: record.expiresAt,
      },
    });
    return record;
  });
}

export async function listTokens(ctx: StoreContext, userId: number): Promise<TokenRecord[]> {
  const rows = await ctx.db
    .selectFrom("api_tokens")
    .selectAll()
    .where("user_id", "=", userId)
    .orderBy("id")
    .execute();
  return rows.map(toTokenRecord);
}

export async function revokeToken(ctx: StoreContext, input: RevokeTokenInput): Promise<{ revoked: boolean }> {
  return inTransaction(ctx, async (trx) => {
    let select = trx.db
      .selectFrom("api_tokens")
      .select(["id", "user_id", "revoked_at"])
      .where("id", "=", input.tokenId);
    if (input.userId !== undefined) select = select.where("user_id", "=", input.userId);
    const row = await select.executeTakeFirst();
    if (row === undefined) {
      throw storageError({ code: "REGISTRY_TOKEN_NOT_FOUND", message: `no token with id ${input.tokenId}` });
    }
    if (row.revoked_at !== null) return { revoked: false };
    await trx.db
      .updateTable("api_tokens")
      .set({ revoked_at: isoNow(trx) })
      .where("id", "=", row.id)
      .execute();
    await appendAudit(trx, {
      actor: input.actor,
      action: "token-revoke",
      detail: { tokenId: row.id, userId: row.user_id },
    });
    return { revoked: true };
  });
}

export async function findTokenByHash(
  ctx: StoreContext,
  tokenHash: string,
): Promise<TokenLookup | undefined> {
  const token = await ctx.db
    .selectFrom("api_tokens")
    .selectAll()
    .where("token_hash", "=", tokenHash)
    .executeTakeFirst();
  if (token === undefined) return undefined;
  const user = await ctx.db
    .selectFrom("users")
    .selectAll()
    .where("id", "=", token.user_id)
    .executeTakeFirstOrThrow();
  return { token: toTokenRecord(token), tokenHash: token.token_hash, user: toUserRecord(user) };
}

export async function touchToken(ctx: StoreContext, tokenId: number): Promise<void> {
  await ctx.db
    .updateTable("api_tokens")
    .set({ last_used_at: isoNow(ctx) })
    .where("id", "=", tokenId)
    .execute();
}
