/**
 * The token format: `wharf_` + 40 base62 characters (about 238 bits), prefixed so secret
 * scanners (ours in @wharf/protocol, GitHub's) recognise a leaked one. Only the SHA-256 of
 * a token is stored; a plain hash suffices because the token is random, not a password.
 */
import { createHash, randomBytes } from "node:crypto";

export const TOKEN_PREFIX = "wharf_";
export const TOKEN_BODY_LENGTH = 40;
/** How much of a token lists may show: the prefix and four characters of the body. */
export const TOKEN_DISPLAY_LENGTH = TOKEN_PREFIX.length + 4;

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/** 4 * 62: bytes at or above it are thrown away, so `byte % 62` has no bias. */
const ACCEPT_BELOW = 248;
const WELL_FORMED = new RegExp(`^${TOKEN_PREFIX}[0-9A-Za-z]{${TOKEN_BODY_LENGTH}}$`);

export type RandomSource = (size: number) => Buffer;

/** A fresh token. `random` is injectable so tests can check the rejection sampling. */
export function generateToken(random: RandomSource = randomBytes): string {
  let body = "";
  while (body.length < TOKEN_BODY_LENGTH) {
    for (const byte of random(TOKEN_BODY_LENGTH)) {
      if (byte >= ACCEPT_BELOW) continue;
      body += BASE62[byte % 62];
      if (body.length === TOKEN_BODY_LENGTH) break;
    }
  }
  return TOKEN_PREFIX + body;
}

export function isWellFormedToken(text: string): boolean {
  return WELL_FORMED.test(text);
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function tokenDisplayPrefix(token: string): string {
  return token.slice(0, TOKEN_DISPLAY_LENGTH);
}
