/**
 * Operator actions on a registry's data directory, as `wharf registry user|token|audit-log|
 * delete` run them. Each acts as the `admin-cli` actor, which the audit log records.
 */
import { WharfError } from "@wharf/protocol";
import { createApiToken, ENDPOINT_SCOPES, isEndpointScope, isValidCratePattern } from "../auth/index.js";
import type { AuditEntry, AuditQuery, Clock, TokenRecord, UserRecord } from "../storage/index.js";
import type { RegistryData } from "./registry-data.js";

const ADMIN = { kind: "admin-cli" } as const;

export async function adminAddUser(
  data: RegistryData,
  input: { login: string; name?: string | undefined; admin?: boolean | undefined },
): Promise<UserRecord> {
  return data.store.addUser({
    login: input.login,
    name: input.name ?? null,
    isAdmin: input.admin ?? false,
    actor: ADMIN,
  });
}

/** `30d`, `12` (days) or `never`. */
export function parseExpiry(text: string): number | "never" {
  if (text === "never") return "never";
  const m = /^(\d+)d?$/.exec(text.trim());
  if (!m) {
    throw new WharfError({
      code: "REGISTRY_BAD_EXPIRY",
      message: `invalid token lifetime \`${text}\``,
      hint: "use a number of days such as `30d`, or `never`",
    });
  }
  return Number(m[1]);
}

export interface CreateTokenInput {
  login: string;
  name?: string | undefined;
  scopes: readonly string[];
  cratePatterns?: readonly string[] | undefined;
  expires?: string | undefined;
}

export async function adminCreateToken(
  data: RegistryData,
  input: CreateTokenInput,
  now: Clock,
): Promise<{ token: string; record: TokenRecord }> {
  const user = await data.store.findUser(input.login);
  if (!user) {
    throw new WharfError({
      code: "REGISTRY_USER_NOT_FOUND",
      message: `no registry user named \`${input.login}\``,
      hint: `add one with \`wharf registry user add ${input.login}\``,
    });
  }
  for (const s of input.scopes) {
    if (!isEndpointScope(s)) {
      throw new WharfError({
        code: "REGISTRY_BAD_SCOPE",
        message: `unknown token scope \`${s}\``,
        hint: `scopes are ${ENDPOINT_SCOPES.join(", ")}`,
      });
    }
  }
  for (const p of input.cratePatterns ?? []) {
    if (!isValidCratePattern(p)) {
      throw new WharfError({
        code: "REGISTRY_BAD_CRATE_PATTERN",
        message: `invalid crate pattern \`${p}\``,
        hint: "a pattern is a crate name, or a prefix ending in `*`",
      });
    }
  }
  return createApiToken({
    store: data.store,
    userId: user.id,
    name: input.name ?? `cli-${now().toISOString().slice(0, 10)}`,
    scopes: input.scopes,
    cratePatterns: input.cratePatterns && input.cratePatterns.length > 0 ? input.cratePatterns : null,
    expires: input.expires === undefined ? undefined : parseExpiry(input.expires),
    actor: ADMIN,
    now,
  });
}

export async function adminListTokens(data: RegistryData, login: string): Promise<readonly TokenRecord[]> {
  const user = await data.store.findUser(login);
  if (!user)
    throw new WharfError({ code: "REGISTRY_USER_NOT_FOUND", message: `no registry user named \`${login}\`` });
  return data.store.listTokens(user.id);
}

export async function adminRevokeToken(data: RegistryData, tokenId: number): Promise<void> {
  const r = await data.store.revokeToken({ tokenId, actor: ADMIN });
  if (!r.revoked)
    throw new WharfError({ code: "REGISTRY_TOKEN_NOT_FOUND", message: `no live token with id ${tokenId}` });
}

export function adminAuditLog(data: RegistryData, query: AuditQuery): Promise<readonly AuditEntry[]> {
  return data.store.readAuditLog(query);
}

/** Malware takedown: removes a version or a whole crate for good (a tombstone blocks reuse). */
export async function adminDelete(
  data: RegistryData,
  input: { crate: string; version?: string | undefined; reason: string },
): Promise<{ deletedBlobs: number }> {
  const result = input.version
    ? await data.store.deleteVersion({
        crateName: input.crate,
        version: input.version,
        reason: input.reason,
        actor: ADMIN,
      })
    : await data.store.deleteCrate({ crateName: input.crate, reason: input.reason, actor: ADMIN });
  let deletedBlobs = 0;
  for (const hash of result.unreferencedBlobs) if (await data.blobs.delete(hash)) deletedBlobs++;
  return { deletedBlobs };
}
