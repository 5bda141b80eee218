/**
 * The RegistryStore contract: everything the HTTP handlers, the admin CLI and the auth
 * layer may ask of the registry database, as plain typed values. SQLite implements it
 * today; a PostgreSQL store must pass the same tests. Failures are WharfErrors with the
 * codes in storage-error.ts.
 */

export type Clock = () => Date;

/** Who did something: a registry user, or an operator at the server's admin CLI. */
export type Actor = { readonly kind: "user"; readonly userId: number } | { readonly kind: "admin-cli" };

export type AuditAction =
  | "publish"
  | "yank"
  | "unyank"
  | "owner-add"
  | "owner-remove"
  | "delete-version"
  | "delete-crate"
  | "user-add"
  | "token-create"
  | "token-revoke";

export type RateLimitKind = "new-crate" | "new-version";

export interface UserRecord {
  readonly id: number;
  readonly login: string;
  readonly name: string | null;
  readonly isAdmin: boolean;
  readonly createdAt: string;
}

export interface TokenRecord {
  readonly id: number;
  readonly userId: number;
  readonly name: string;
  readonly prefix: string;
  readonly scopes: readonly string[];
  /** null: every crate */
  readonly cratePatterns: readonly string[] | null;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
  readonly lastUsedAt: string | null;
}

/** What authentication needs: the token row with its hash, and its owner. */
export interface TokenLookup {
  readonly token: TokenRecord;
  readonly tokenHash: string;
  readonly user: UserRecord;
}

/** Search and web-UI metadata taken from the manifest of the published version. */
export interface CrateMetadata {
  readonly description?: string | null | undefined;
  readonly homepage?: string | null | undefined;
  readonly repository?: string | null | undefined;
  readonly documentation?: string | null | undefined;
  readonly license?: string | null | undefined;
  readonly keywords?: readonly string[] | undefined;
  readonly categories?: readonly string[] | undefined;
}

export interface PublishVersionInput {
  readonly crateName: string;
  readonly version: string;
  /** sha256 hex of the .crate file, as in the index line */
  readonly cksum: string;
  /** the BlobStore hash of the stored .crate; the blob must be written before this call */
  readonly blobHash: string;
  /** the index line JSON text; its name, vers and cksum must match the fields above */
  readonly indexLine: string;
  readonly size: number;
  readonly links: string | null;
  readonly rustVersion: string | null;
  readonly userId: number;
  readonly remoteAddr: string | null;
  readonly metadata: CrateMetadata;
  /**
   * Set when the caller authorized the publish as a new crate (publish-new only): if the
   * crate appeared since, the publish is refused instead of silently becoming an update.
   */
  readonly expectNewCrate?: boolean | undefined;
}

export interface PublishVersionResult {
  readonly crateId: number;
  readonly versionId: number;
  readonly crateCreated: boolean;
  readonly publishedAt: string;
  readonly indexVersion: number;
}

export interface CrateSummary {
  readonly id: number;
  readonly name: string;
  readonly canonicalName: string;
  readonly description: string | null;
  readonly maxVersion: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface CrateDetails extends CrateSummary {
  readonly homepage: string | null;
  readonly repository: string | null;
  readonly documentation: string | null;
  readonly license: string | null;
  readonly keywords: readonly string[];
  readonly categories: readonly string[];
  readonly indexVersion: number;
  readonly indexUpdatedAt: string;
  readonly owners: readonly UserRecord[];
  /** publish order */
  readonly versions: readonly VersionRecord[];
}

export interface VersionRecord {
  readonly id: number;
  readonly crateName: string;
  readonly num: string;
  readonly cksum: string;
  readonly blobHash: string;
  readonly yanked: boolean;
  readonly publishedBy: { readonly id: number; readonly login: string };
  readonly publishedAt: string;
  readonly size: number;
  readonly links: string | null;
  readonly rustVersion: string | null;
}

export interface IndexFile {
  readonly crateName: string;
  /** one JSON line per version, publish order, each ending in `\n` */
  readonly content: string;
  readonly lineCount: number;
  /** changes whenever the content changes: use it in the ETag */
  readonly indexVersion: number;
  /** for Last-Modified */
  readonly updatedAt: string;
}

export interface SearchInput {
  readonly query: string;
  readonly page?: number | undefined;
  readonly perPage?: number | undefined;
}

export interface SearchResult {
  readonly crates: readonly CrateSummary[];
  readonly total: number;
  readonly page: number;
  readonly perPage: number;
}

export interface SetYankedInput {
  readonly crateName: string;
  readonly version: string;
  readonly yanked: boolean;
  readonly actor: Actor;
  readonly remoteAddr?: string | null | undefined;
}

export interface OwnerChangeInput {
  readonly crateName: string;
  readonly login: string;
  readonly actor: Actor;
  readonly remoteAddr?: string | null | undefined;
}

export interface DeleteVersionInput {
  readonly crateName: string;
  readonly version: string;
  readonly actor: Actor;
  readonly reason: string;
  readonly remoteAddr?: string | null | undefined;
}

export interface DeleteCrateInput {
  readonly crateName: string;
  readonly actor: Actor;
  readonly reason: string;
  readonly remoteAddr?: string | null | undefined;
}

export interface TakedownResult {
  /** blobs no remaining version refers to: the caller may delete them now */
  readonly unreferencedBlobs: readonly string[];
}

export interface AddUserInput {
  readonly login: string;
  readonly name?: string | null | undefined;
  readonly isAdmin?: boolean | undefined;
  readonly actor: Actor;
}

export interface CreateTokenRecordInput {
  readonly userId: number;
  readonly name: string;
  readonly tokenHash: string;
  readonly prefix: string;
  readonly scopes: readonly string[];
  readonly cratePatterns: readonly string[] | null;
  readonly expiresAt: Date | null;
  readonly actor: Actor;
}

export interface RevokeTokenInput {
  readonly tokenId: number;
  /** when set, only a token of this user is revoked (a user revoking their own) */
  readonly userId?: number | undefined;
  readonly actor: Actor;
}

export interface AuditEntry {
  readonly id: number;
  readonly at: string;
  readonly actor: Actor;
  readonly action: string;
  readonly crateName: string | null;
  readonly version: string | null;
  readonly detail: Readonly<Record<string, unknown>>;
  readonly remoteAddr: string | null;
}

export interface AuditRecordInput {
  readonly actor: Actor;
  readonly action: AuditAction;
  readonly crateName?: string | null | undefined;
  readonly version?: string | null | undefined;
  readonly detail?: Readonly<Record<string, unknown>> | undefined;
  readonly remoteAddr?: string | null | undefined;
}

export interface AuditQuery {
  readonly crateName?: string | undefined;
  readonly action?: AuditAction | undefined;
  readonly actorUserId?: number | undefined;
  /** ISO time, inclusive */
  readonly since?: string | undefined;
  /** ISO time, exclusive */
  readonly until?: string | undefined;
  /** entries with a smaller id, for paging back in time */
  readonly beforeId?: number | undefined;
  readonly limit?: number | undefined;
}

export interface RateLimitInput {
  readonly userId: number;
  readonly kind: RateLimitKind;
  /** how many actions may happen back to back */
  readonly burst: number;
  /** sustained rate once the burst is spent */
  readonly perMinute: number;
}

export type RateLimitDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly retryAfterSeconds: number };

export interface RegistryStore {
  publishVersion(input: PublishVersionInput): Promise<PublishVersionResult>;
  setYanked(input: SetYankedInput): Promise<{ readonly changed: boolean }>;

  findCrate(name: string): Promise<CrateSummary | undefined>;
  getCrate(name: string): Promise<CrateDetails | undefined>;
  getVersion(crateName: string, version: string): Promise<VersionRecord | undefined>;
  searchCrates(input: SearchInput): Promise<SearchResult>;
  indexFile(crateName: string): Promise<IndexFile | undefined>;
  /** The index file's change marker alone (one indexed row), for caches and conditional GETs. */
  indexMarker(
    crateName: string,
  ): Promise<{ readonly indexVersion: number; readonly updatedAt: string } | undefined>;

  listOwners(crateName: string): Promise<readonly UserRecord[]>;
  isOwner(crateName: string, userId: number): Promise<boolean>;
  addOwner(input: OwnerChangeInput): Promise<{ readonly added: boolean }>;
  removeOwner(input: OwnerChangeInput): Promise<{ readonly removed: boolean }>;

  deleteVersion(input: DeleteVersionInput): Promise<TakedownResult>;
  deleteCrate(input: DeleteCrateInput): Promise<TakedownResult>;
  isTombstoned(crateName: string, version?: string): Promise<boolean>;

  addUser(input: AddUserInput): Promise<UserRecord>;
  listUsers(): Promise<readonly UserRecord[]>;
  findUser(login: string): Promise<UserRecord | undefined>;

  createToken(input: CreateTokenRecordInput): Promise<TokenRecord>;
  listTokens(userId: number): Promise<readonly TokenRecord[]>;
  revokeToken(input: RevokeTokenInput): Promise<{ readonly revoked: boolean }>;
  findTokenByHash(tokenHash: string): Promise<TokenLookup | undefined>;
  touchToken(tokenId: number): Promise<void>;

  recordAudit(input: AuditRecordInput): Promise<void>;
  readAuditLog(query: AuditQuery): Promise<readonly AuditEntry[]>;

  takeRateLimit(input: RateLimitInput): Promise<RateLimitDecision>;

  /** Every blob hash a version row refers to, for orphan sweeps. */
  referencedBlobs(): Promise<ReadonlySet<string>>;
  close(): Promise<void>;
}
