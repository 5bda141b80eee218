/**
 * Token -> user. The token is hashed, looked up by hash, and the stored hash compared in
 * constant time (the lookup alone would trust the database's string comparison).
 * Expired and revoked tokens are refused here, before any scope is looked at, so no
 * privilege (not even an admin's) outlives its token.
 */
import { timingSafeEqual } from "node:crypto";
import type { Clock, RegistryStore, TokenRecord, UserRecord } from "../storage/index.js";
import { type AuthDenial, deny } from "./auth-denial.js";
import { hashToken, isWellFormedToken } from "./token-format.js";

export interface Authenticated {
  readonly ok: true;
  readonly user: UserRecord;
  readonly token: TokenRecord;
}

const LOGIN_HINT = "create a new token and run `cargo login --registry <name>`";

export async function authenticate(options: {
  token: string | undefined;
  store: Pick<RegistryStore, "findTokenByHash" | "touchToken">;
  now: Clock;
}): Promise<Authenticated | AuthDenial> {
  const presented = options.token?.trim();
  if (presented === undefined || presented === "") {
    return deny(401, "AUTH_TOKEN_MISSING", "this registry requires an API token", LOGIN_HINT);
  }
  const invalid = deny(401, "AUTH_TOKEN_INVALID", "the API token is not valid", LOGIN_HINT);
  if (!isWellFormedToken(presented)) return invalid;
  const hash = hashToken(presented);
  const found = await options.store.findTokenByHash(hash);
  if (found === undefined) return invalid;
  const expected = Buffer.from(found.tokenHash, "hex");
  const actual = Buffer.from(hash, "hex");
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return invalid;
  if (found.token.revokedAt !== null) {
    return deny(401, "AUTH_TOKEN_REVOKED", `the API token \`${found.token.name}\` was revoked`, LOGIN_HINT);
  }
  if (found.token.expiresAt !== null && Date.parse(found.token.expiresAt) <= options.now().getTime()) {
    return deny(401, "AUTH_TOKEN_EXPIRED", `the API token \`${found.token.name}\` has expired`, LOGIN_HINT);
  }
  await options.store.touchToken(found.token.id);
  return { ok: true, user: found.user, token: found.token };
}
