/**
 * The authorization decision for one request, with crates.io's rules:
 * - publish to a new crate: publish-new; to an existing crate: publish-update AND owner
 *   (the crate's existence decides, whichever publish action the caller names);
 * - yank and unyank: yank AND owner; owner changes: change-owners AND owner;
 * - owners list and reads: only a live token, and only when the registry requires auth.
 * Crate patterns limit every write. Admins count as owners of every crate, but their
 * tokens keep their scopes and patterns (a narrow token stays narrow whoever holds it)
 * and, like everyone's, stop at expiry or revocation.
 */
import type { Clock, RegistryStore, TokenRecord, UserRecord } from "../storage/index.js";
import { type AuthDenial, deny } from "./auth-denial.js";
import { authenticate } from "./authenticate.js";
import { type EndpointScope, patternsCoverCrate } from "./scopes.js";

export type AuthAction =
  | "publish-new"
  | "publish-update"
  | "yank"
  | "unyank"
  | "owners-list"
  | "owners-add"
  | "owners-remove"
  | "read";

export interface AuthorizeOptions {
  /** the raw Authorization header value; undefined when absent */
  readonly token: string | undefined;
  readonly action: AuthAction;
  readonly crateName: string;
  readonly store: Pick<RegistryStore, "findTokenByHash" | "touchToken" | "findCrate" | "isOwner">;
  readonly now: Clock;
  /** config.json's auth-required; default true (a private registry) */
  readonly authRequired?: boolean | undefined;
}

export interface AuthGrant {
  readonly ok: true;
  /** undefined for an anonymous read of a public registry */
  readonly user: UserRecord | undefined;
  readonly token: TokenRecord | undefined;
  /** the scope that allowed a write */
  readonly scope: EndpointScope | undefined;
  /** for publishes: the crate does not exist yet (pass expectNewCrate on to the store) */
  readonly newCrate: boolean;
}

const WRITE_SCOPE: Record<
  Exclude<AuthAction, "read" | "owners-list" | "publish-new" | "publish-update">,
  EndpointScope
> = {
  yank: "yank",
  unyank: "yank",
  "owners-add": "change-owners",
  "owners-remove": "change-owners",
};

export async function authorize(options: AuthorizeOptions): Promise<AuthGrant | AuthDenial> {
  const isRead = options.action === "read" || options.action === "owners-list";
  if (isRead && options.authRequired === false && options.token === undefined) {
    return { ok: true, user: undefined, token: undefined, scope: undefined, newCrate: false };
  }
  // A token that was sent is checked even where none is needed: a client using a revoked
  // token should learn it now, not at its next publish.
  const auth = await authenticate({ token: options.token, store: options.store, now: options.now });
  if (!auth.ok) return auth;
  if (isRead) return { ok: true, user: auth.user, token: auth.token, scope: undefined, newCrate: false };

  const crate = await options.store.findCrate(options.crateName);
  const isPublish = options.action === "publish-new" || options.action === "publish-update";
  if (crate === undefined && !isPublish) {
    return deny(404, "AUTH_CRATE_NOT_FOUND", `crate \`${options.crateName}\` does not exist`);
  }
  const newCrate = isPublish && crate === undefined;
  const scope: EndpointScope = isPublish
    ? newCrate
      ? "publish-new"
      : "publish-update"
    : WRITE_SCOPE[options.action as keyof typeof WRITE_SCOPE];

  if (!auth.token.scopes.includes(scope)) {
    return deny(
      403,
      "AUTH_SCOPE_MISSING",
      `this token does not have the \`${scope}\` scope needed to ${describe(options.action, newCrate)}`,
      `create a token with the \`${scope}\` scope`,
    );
  }
  if (!patternsCoverCrate(auth.token.cratePatterns, options.crateName)) {
    return deny(
      403,
      "AUTH_CRATE_PATTERN_MISMATCH",
      `this token is not allowed to act on crate \`${options.crateName}\``,
      "its crate patterns do not match this crate name",
    );
  }
  if (!newCrate && !auth.user.isAdmin && !(await options.store.isOwner(options.crateName, auth.user.id))) {
    return deny(
      403,
      "AUTH_NOT_OWNER",
      `you are not an owner of crate \`${crate?.name ?? options.crateName}\``,
    );
  }
  return { ok: true, user: auth.user, token: auth.token, scope, newCrate };
}

function describe(action: AuthAction, newCrate: boolean): string {
  if (action === "publish-new" || action === "publish-update") {
    return newCrate ? "publish a new crate" : "publish a new version of an existing crate";
  }
  if (action === "yank" || action === "unyank") return `${action} a version`;
  return "change crate owners";
}
