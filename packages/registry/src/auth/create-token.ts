/**
 * Issuing an API token: generate, store only the hash, return the token once. Expiry
 * defaults to 90 days so a forgotten token does not stay valid forever; `never` must be
 * asked for explicitly.
 */
import { WharfError } from "@wharf/protocol";
import type { Actor, Clock, RegistryStore, TokenRecord } from "../storage/index.js";
import { ENDPOINT_SCOPES, type EndpointScope, isEndpointScope, isValidCratePattern } from "./scopes.js";
import { generateToken, hashToken, type RandomSource, tokenDisplayPrefix } from "./token-format.js";

export const DEFAULT_TOKEN_LIFETIME_DAYS = 90;
export const MAX_TOKEN_LIFETIME_DAYS = 3650;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface CreateApiTokenOptions {
  readonly store: Pick<RegistryStore, "createToken">;
  readonly userId: number;
  readonly name: string;
  readonly scopes: readonly string[];
  /** omitted or null: every crate */
  readonly cratePatterns?: readonly string[] | null | undefined;
  /** lifetime in days, or "never"; default 90 days */
  readonly expires?: number | "never" | undefined;
  readonly actor: Actor;
  readonly now: Clock;
  readonly random?: RandomSource | undefined;
}

export interface CreatedApiToken {
  /** the only time the plain token exists outside the client: show it once */
  readonly token: string;
  readonly record: TokenRecord;
}

function invalid(message: string): WharfError {
  return new WharfError({ code: "AUTH_TOKEN_REQUEST_INVALID", message });
}

export async function createApiToken(options: CreateApiTokenOptions): Promise<CreatedApiToken> {
  const name = options.name.trim();
  if (name === "" || name.length > 64) throw invalid("a token needs a name of 1 to 64 characters");
  if (options.scopes.length === 0) {
    throw invalid(`a token needs at least one scope (${ENDPOINT_SCOPES.join(", ")})`);
  }
  const scopes: EndpointScope[] = [];
  for (const scope of options.scopes) {
    if (!isEndpointScope(scope)) throw invalid(`unknown token scope \`${scope}\``);
    if (!scopes.includes(scope)) scopes.push(scope);
  }
  const patterns = options.cratePatterns ?? null;
  if (patterns !== null) {
    if (patterns.length === 0)
      throw invalid("an empty crate pattern list would allow no crate; omit it instead");
    for (const pattern of patterns) {
      if (!isValidCratePattern(pattern)) throw invalid(`invalid crate pattern \`${pattern.slice(0, 80)}\``);
    }
  }
  const expires = options.expires ?? DEFAULT_TOKEN_LIFETIME_DAYS;
  if (
    expires !== "never" &&
    !(Number.isInteger(expires) && expires >= 1 && expires <= MAX_TOKEN_LIFETIME_DAYS)
  ) {
    throw invalid(`token lifetime must be 1 to ${MAX_TOKEN_LIFETIME_DAYS} days, or never`);
  }
  const token = generateToken(options.random);
  const record = await options.store.createToken({
    userId: options.userId,
    name,
    tokenHash: hashToken(token),
    prefix: tokenDisplayPrefix(token),
    scopes,
    cratePatterns: patterns === null ? null : [...patterns],
    expiresAt: expires === "never" ? null : new Date(options.now().getTime() + expires * DAY_MS),
    actor: options.actor,
  });
  return { token, record };
}
