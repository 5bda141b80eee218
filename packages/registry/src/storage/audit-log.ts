/**
 * The append-only audit log: one insert function and one read function, and deliberately
 * nothing that updates or deletes (the SQLite schema also refuses both with triggers).
 */

import type { AuditEntry, AuditQuery, AuditRecordInput } from "./registry-store.js";
import { actorColumns, toActor } from "./rows.js";
import { isoNow, type StoreContext } from "./store-context.js";

export const MAX_AUDIT_PAGE = 1000;

export async function appendAudit(ctx: StoreContext, input: AuditRecordInput): Promise<void> {
  const actor = actorColumns(input.actor);
  await ctx.db
    .insertInto("audit_log")
    .values({
      at: isoNow(ctx),
      actor_kind: actor.kind,
      actor_user_id: actor.userId,
      action: input.action,
      crate_name: input.crateName ?? null,
      version: input.version ?? null,
      detail: JSON.stringify(input.detail ?? {}),
      remote_addr: input.remoteAddr ?? null,
    })
    .execute();
}

export async function readAuditLog(ctx: StoreContext, query: AuditQuery): Promise<AuditEntry[]> {
  const limit = Math.min(Math.max(Math.trunc(query.limit ?? 100), 1), MAX_AUDIT_PAGE);
  let select = ctx.db.selectFrom("audit_log").selectAll();
  if (query.crateName !== undefined) select = select.where("crate_name", "=", query.crateName);
  if (query.action !== undefined) select = select.where("action", "=", query.action);
  if (query.actorUserId !== undefined) select = select.where("actor_user_id", "=", query.actorUserId);
  if (query.since !== undefined) select = select.where("at", ">=", query.since);
  if (query.until !== undefined) select = select.where("at", "<", query.until);
  if (query.beforeId !== undefined) select = select.where("id", "<", query.beforeId);
  const rows = await select.orderBy("id", "desc").limit(limit).execute();
  return rows.map((row) => ({
    id: row.id,
    at: row.at,
    actor: toActor(row.actor_kind, row.actor_user_id),
    action: row.action,
    crateName: row.crate_name,
    version: row.version,
    detail: parseDetail(row.detail),
    remoteAddr: row.remote_addr,
  }));
}

function parseDetail(text: string): Record<string, unknown> {
  const value: unknown = JSON.parse(text);
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
