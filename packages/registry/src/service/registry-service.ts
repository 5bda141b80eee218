/**
 * The RegistryService the HTTP routes call: authorization first, then storage, with every
 * failure turned into an ApiError carrying the HTTP status and a message cargo can show.
 * Publishing lives in publish.ts; this file holds the reads, yanks, owners and tokens.
 */
import { canonicalCrateName, WharfError } from "@wharf/protocol";
import { ApiError } from "../app/api-error.js";
import type {
  Download,
  IndexFile,
  OwnerList,
  PublishResult,
  RegistryService,
  RequestInfo,
  SearchResult,
} from "../app/service.js";
import {
  type AuthAction,
  type AuthDenial,
  type AuthGrant,
  authenticate,
  authorize,
  createApiToken,
  DEFAULT_TOKEN_LIFETIME_DAYS,
} from "../auth/index.js";
import type { RegistryConfig } from "../config/index.js";
import { type BlobStore, type Clock, type RegistryStore, storageErrorStatus } from "../storage/index.js";
import { type PublishContext, publishCrate } from "./publish.js";

/** Bytes of index files kept in memory (the whole corpus index is a few MiB). */
const INDEX_CACHE_BYTES = 64 * 1024 * 1024;

export interface RegistryServiceOptions {
  config: RegistryConfig;
  store: RegistryStore;
  blobs: BlobStore;
  now: Clock;
}

/** Storage errors carry their own status; anything unexpected becomes a 500 by the app. */
export function toApiError(error: unknown): unknown {
  if (error instanceof ApiError) return error;
  if (error instanceof WharfError) {
    const status = storageErrorStatus(error);
    if (status !== 500)
      return new ApiError(
        status,
        error.code,
        error.hint ? `${error.message} (${error.hint})` : error.message,
      );
    // a body over max-crate-bytes / max-metadata-bytes is too large, not malformed (crates.io: 413)
    if (error.code === "PUBLISH_BODY_CRATE_TOO_LARGE" || error.code === "PUBLISH_BODY_METADATA_TOO_LARGE") {
      return new ApiError(413, error.code, error.message);
    }
    if (
      error.code.startsWith("CRATE_ARCHIVE") ||
      error.code.startsWith("PUBLISH") ||
      error.code.startsWith("MANIFEST")
    ) {
      return new ApiError(400, error.code, error.message);
    }
  }
  return error;
}

function denial(d: AuthDenial): ApiError {
  const detail = d.hint ? `${d.message} (${d.hint})` : d.message;
  return new ApiError(d.status, d.code, detail, d.retryAfterSeconds);
}

export class DefaultRegistryService implements RegistryService {
  readonly authRequired: boolean;
  private readonly options: RegistryServiceOptions;
  private inFlight = new Set<Promise<unknown>>();
  private readonly indexCache = new Map<string, { indexVersion: number; file: IndexFile }>();
  private cacheBytes = 0;

  constructor(options: RegistryServiceOptions) {
    this.options = options;
    this.authRequired = options.config.authRequired;
  }

  private async guard(action: AuthAction, crateName: string, req: RequestInfo): Promise<AuthGrant> {
    const result = await authorize({
      token: req.authorization,
      action,
      crateName,
      store: this.options.store,
      now: this.options.now,
      authRequired: this.authRequired,
    });
    if (!result.ok) throw denial(result);
    return result;
  }

  /** Runs a mutation so that shutdown can wait for it. */
  private async track<T>(work: () => Promise<T>): Promise<T> {
    const p = (async () => {
      try {
        return await work();
      } catch (error) {
        throw toApiError(error);
      }
    })();
    this.inFlight.add(p);
    try {
      return await p;
    } finally {
      this.inFlight.delete(p);
    }
  }

  indexConfig(): Record<string, unknown> {
    const base = this.options.config.publicUrl;
    const cfg: Record<string, unknown> = { dl: `${base}/api/v1/crates`, api: base };
    if (this.authRequired) cfg["auth-required"] = true;
    return cfg;
  }

  async indexFile(name: string, req: RequestInfo): Promise<IndexFile | undefined> {
    await this.guard("read", name, req);
    // one indexed row tells whether the cached file is current (another process, such as
    // `wharf registry import`, may have changed it); only then is the whole file rebuilt
    const marker = await this.options.store.indexMarker(name);
    if (!marker) return undefined;
    const key = name.toLowerCase();
    const cached = this.indexCache.get(key);
    if (cached && cached.indexVersion === marker.indexVersion) return cached.file;
    const file = await this.options.store.indexFile(name);
    if (!file) return undefined;
    const out = {
      body: file.content,
      etag: `"${file.indexVersion}-${file.lineCount}"`,
      lastModified: new Date(file.updatedAt),
    };
    this.remember(key, file.indexVersion, out);
    return out;
  }

  private remember(key: string, indexVersion: number, file: IndexFile): void {
    const old = this.indexCache.get(key);
    if (old) this.cacheBytes -= old.file.body.length;
    this.indexCache.delete(key);
    this.indexCache.set(key, { indexVersion, file });
    this.cacheBytes += file.body.length;
    // Map keeps insertion order: evict the oldest entries past the budget
    for (const [k, v] of this.indexCache) {
      if (this.cacheBytes <= INDEX_CACHE_BYTES) break;
      this.indexCache.delete(k);
      this.cacheBytes -= v.file.body.length;
    }
  }

  async download(name: string, version: string, req: RequestInfo): Promise<Download | undefined> {
    await this.guard("read", name, req);
    const v = await this.options.store.getVersion(name, version);
    if (!v) return undefined;
    const stream = await this.options.blobs.openStream(v.blobHash);
    if (!stream)
      throw new ApiError(
        500,
        "REGISTRY_BLOB_MISSING",
        `the stored file of \`${name}@${version}\` is missing`,
      );
    return { stream, size: v.size, cksum: v.cksum };
  }

  publish(body: Uint8Array, req: RequestInfo): Promise<PublishResult> {
    const ctx: PublishContext = {
      config: this.options.config,
      store: this.options.store,
      blobs: this.options.blobs,
      now: this.options.now,
      authRequired: this.authRequired,
    };
    return this.track(() => publishCrate(ctx, body, req));
  }

  setYanked(name: string, version: string, yanked: boolean, req: RequestInfo): Promise<void> {
    return this.track(async () => {
      const grant = await this.guard(yanked ? "yank" : "unyank", name, req);
      const v = await this.options.store.getVersion(name, version);
      if (!v)
        throw new ApiError(404, "NOT_FOUND", `crate \`${name}\` does not have a version \`${version}\``);
      await this.options.store.setYanked({
        crateName: name,
        version,
        yanked,
        actor: { kind: "user", userId: grant.user!.id },
        remoteAddr: req.remoteAddr,
      });
    });
  }

  async listOwners(name: string, req: RequestInfo): Promise<OwnerList> {
    await this.guard("owners-list", name, req);
    if (!(await this.options.store.findCrate(name)))
      throw new ApiError(404, "NOT_FOUND", `crate \`${name}\` does not exist`);
    const owners = await this.options.store.listOwners(name);
    return { users: owners.map((u) => ({ id: u.id, login: u.login, name: u.name })) };
  }

  changeOwners(name: string, logins: string[], add: boolean, req: RequestInfo): Promise<string> {
    return this.track(async () => {
      const grant = await this.guard(add ? "owners-add" : "owners-remove", name, req);
      const actor = { kind: "user" as const, userId: grant.user!.id };
      for (const login of logins) {
        if (!(await this.options.store.findUser(login)))
          throw new ApiError(404, "USER_NOT_FOUND", `could not find user with login \`${login}\``);
      }
      for (const login of logins) {
        const input = { crateName: name, login, actor, remoteAddr: req.remoteAddr };
        if (add) await this.options.store.addOwner(input);
        else await this.options.store.removeOwner(input);
      }
      const who = logins.map((l) => `\`${l}\``).join(", ");
      return add ? `user ${who} has been added as an owner of crate ${name}` : `owners successfully removed`;
    });
  }

  async search(query: string, perPage: number, req: RequestInfo): Promise<SearchResult> {
    await this.guard("read", query, req);
    const result = await this.options.store.searchCrates({ query, perPage });
    return {
      crates: result.crates.map((c) => ({
        name: c.name,
        max_version: c.maxVersion,
        description: c.description,
      })),
      meta: { total: result.total },
    };
  }

  async crateInfo(name: string, req: RequestInfo): Promise<Record<string, unknown> | undefined> {
    await this.guard("read", name, req);
    const c = await this.options.store.getCrate(name);
    if (!c) return undefined;
    return {
      crate: {
        id: c.name,
        name: c.name,
        description: c.description,
        homepage: c.homepage,
        repository: c.repository,
        documentation: c.documentation,
        license: c.license,
        keywords: c.keywords,
        categories: c.categories,
        max_version: c.maxVersion,
        created_at: c.createdAt,
        updated_at: c.updatedAt,
      },
      versions: c.versions.map((v) => versionJson(v)),
      owners: c.owners.map((u) => ({ id: u.id, login: u.login, name: u.name })),
    };
  }

  async versionInfo(
    name: string,
    version: string,
    req: RequestInfo,
  ): Promise<Record<string, unknown> | undefined> {
    await this.guard("read", name, req);
    const v = await this.options.store.getVersion(name, version);
    return v ? { version: versionJson(v) } : undefined;
  }

  private async me(req: RequestInfo) {
    const auth = await authenticate({
      token: req.authorization,
      store: this.options.store,
      now: this.options.now,
    });
    if (!auth.ok) throw denial(auth);
    return auth;
  }

  async listTokens(req: RequestInfo): Promise<Record<string, unknown>[]> {
    const auth = await this.me(req);
    const tokens = await this.options.store.listTokens(auth.user.id);
    return tokens.map((t) => ({
      id: t.id,
      name: t.name,
      prefix: t.prefix,
      endpoint_scopes: t.scopes,
      crate_scopes: t.cratePatterns,
      created_at: t.createdAt,
      expired_at: t.expiresAt,
      revoked_at: t.revokedAt,
      last_used_at: t.lastUsedAt,
    }));
  }

  createToken(spec: Record<string, unknown>, req: RequestInfo): Promise<Record<string, unknown>> {
    return this.track(async () => {
      const auth = await this.me(req);
      const name = spec.name;
      if (typeof name !== "string" || name.length === 0 || name.length > 64) {
        throw new ApiError(400, "BAD_TOKEN_SPEC", "a token needs a `name` of 1 to 64 characters");
      }
      const scopes = spec.endpoint_scopes ?? auth.token.scopes;
      // omitted: as narrow as the token making it (null would mean every crate)
      const crates = spec.crate_scopes === undefined ? auth.token.cratePatterns : spec.crate_scopes;
      if (!Array.isArray(scopes) || !scopes.every((s) => typeof s === "string")) {
        throw new ApiError(400, "BAD_TOKEN_SPEC", "`endpoint_scopes` must be a list of scope names");
      }
      if (crates !== null && (!Array.isArray(crates) || !crates.every((s) => typeof s === "string"))) {
        throw new ApiError(400, "BAD_TOKEN_SPEC", "`crate_scopes` must be a list of crate patterns");
      }
      // a token can only hand out what it holds: no widening through the API
      const missing = (scopes as string[]).filter((s) => !auth.token.scopes.includes(s));
      if (missing.length > 0) {
        throw new ApiError(
          403,
          "AUTH_SCOPE_MISSING",
          `this token cannot create a token with scopes it does not have: ${missing.join(", ")}`,
        );
      }
      const held = auth.token.cratePatterns;
      if (held !== null) {
        const wider =
          crates === null
            ? ["every crate"]
            : (crates as string[]).filter((p) => !held.some((h) => patternWithin(p, h)));
        if (wider.length > 0) {
          throw new ApiError(
            403,
            "AUTH_CRATE_PATTERN_MISMATCH",
            `this token cannot create a token for crates it is not limited to: ${wider.join(", ")}`,
          );
        }
      }
      const expiresDays = spec.expires_in_days;
      if (
        expiresDays !== undefined &&
        expiresDays !== "never" &&
        (typeof expiresDays !== "number" || !Number.isInteger(expiresDays))
      ) {
        throw new ApiError(
          400,
          "BAD_TOKEN_SPEC",
          '`expires_in_days` must be a whole number of days or "never"',
        );
      }
      // nor can it outlive the token making it
      let expires = expiresDays as number | "never" | undefined;
      if (auth.token.expiresAt !== null) {
        const leftDays = Math.floor(
          (Date.parse(auth.token.expiresAt) - this.options.now().getTime()) / 86_400_000,
        );
        if (expires === "never" || (typeof expires === "number" && expires > leftDays)) {
          throw new ApiError(
            403,
            "AUTH_TOKEN_LIFETIME",
            `this token expires in ${leftDays} days and cannot create a token that lives longer`,
          );
        }
        expires ??= Math.max(1, Math.min(DEFAULT_TOKEN_LIFETIME_DAYS, leftDays));
      }
      const created = await createApiToken({
        store: this.options.store,
        userId: auth.user.id,
        name,
        scopes: scopes as string[],
        cratePatterns: crates as string[] | null,
        expires,
        actor: { kind: "user", userId: auth.user.id },
        now: this.options.now,
      });
      return {
        id: created.record.id,
        name: created.record.name,
        token: created.token,
        expired_at: created.record.expiresAt,
      };
    });
  }

  revokeToken(id: number, req: RequestInfo): Promise<void> {
    return this.track(async () => {
      const auth = await this.me(req);
      const r = await this.options.store.revokeToken({
        tokenId: id,
        userId: auth.user.id,
        actor: { kind: "user", userId: auth.user.id },
      });
      if (!r.revoked) throw new ApiError(404, "NOT_FOUND", `you have no token with id ${id}`);
    });
  }

  async drain(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }
}

/** Every crate name `pattern` matches is also matched by `held`. */
function patternWithin(pattern: string, held: string): boolean {
  if (held.endsWith("*")) {
    const base = pattern.endsWith("*") ? pattern.slice(0, -1) : pattern;
    return canonicalCrateName(base).startsWith(canonicalCrateName(held.slice(0, -1)));
  }
  return !pattern.endsWith("*") && canonicalCrateName(pattern) === canonicalCrateName(held);
}

function versionJson(v: {
  crateName: string;
  num: string;
  cksum: string;
  yanked: boolean;
  publishedAt: string;
  size: number;
  publishedBy: { login: string };
  links: string | null;
  rustVersion: string | null;
}) {
  return {
    crate: v.crateName,
    num: v.num,
    checksum: v.cksum,
    yanked: v.yanked,
    created_at: v.publishedAt,
    crate_size: v.size,
    published_by: { login: v.publishedBy.login },
    links: v.links,
    rust_version: v.rustVersion,
    dl_path: `/api/v1/crates/${v.crateName}/${v.num}/download`,
  };
}
