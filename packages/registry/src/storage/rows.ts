/**
 * Row -> record conversions shared by the store operations: 0/1 to booleans, JSON text to
 * arrays, actor columns to Actor. One place, so every read returns the same shapes.
 */
import type { Selectable } from "kysely";
import type { Actor, CrateSummary, TokenRecord, UserRecord } from "./registry-store.js";
import type { ApiTokensTable, CratesTable, UsersTable } from "./schema.js";

export function toUserRecord(row: Selectable<UsersTable>): UserRecord {
  return {
    id: row.id,
    login: row.login,
    name: row.name,
    isAdmin: row.is_admin !== 0,
    createdAt: row.created_at,
  };
}

export function toTokenRecord(row: Selectable<ApiTokensTable>): TokenRecord {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    prefix: row.prefix,
    scopes: parseStringArray(row.scopes),
    cratePatterns: row.crate_patterns === null ? null : parseStringArray(row.crate_patterns),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
  };
}

export function toCrateSummary(row: Selectable<CratesTable>): CrateSummary {
  return {
    id: row.id,
    name: row.name,
    canonicalName: row.canonical_name,
    description: row.description,
    maxVersion: row.max_version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Stored JSON arrays were written by this store; anything else reads as empty. */
export function parseStringArray(text: string): string[] {
  const value: unknown = JSON.parse(text);
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

export function actorColumns(actor: Actor): { kind: string; userId: number | null } {
  return actor.kind === "user" ? { kind: "user", userId: actor.userId } : { kind: "admin-cli", userId: null };
}

export function toActor(kind: string, userId: number | null): Actor {
  return kind === "user" && userId !== null ? { kind: "user", userId } : { kind: "admin-cli" };
}
