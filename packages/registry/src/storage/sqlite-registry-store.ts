/**
 * RegistryStore on SQLite (better-sqlite3 through Kysely). This file holds the only
 * SQLite-specific setup: pragmas, file mode and the dialect; every query lives in the
 * operation files and is written to run on PostgreSQL too.
 */
import { closeSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";
import { canonicalCrateName } from "@wharf/protocol";
import Database, { type Statement } from "better-sqlite3";
import { Kysely } from "kysely";
import { appendAudit, readAuditLog } from "./audit-log.js";
import { findCrate, getCrate, getVersion, indexFile, indexMarker, searchCrates } from "./crate-reads.js";
import { migrateToLatest, schemaVersion } from "./migrations.js";
import { addOwner, isOwner, listOwners, removeOwner } from "./owners.js";
import { publishVersion } from "./publish-version.js";
import { takeRateLimit } from "./rate-limit.js";
import type {
  AddUserInput,
  AuditEntry,
  AuditQuery,
  AuditRecordInput,
  Clock,
  CrateDetails,
  CrateSummary,
  CreateTokenRecordInput,
  DeleteCrateInput,
  DeleteVersionInput,
  IndexFile,
  OwnerChangeInput,
  PublishVersionInput,
  PublishVersionResult,
  RateLimitDecision,
  RateLimitInput,
  RegistryStore,
  RevokeTokenInput,
  SearchInput,
  SearchResult,
  SetYankedInput,
  TakedownResult,
  TokenLookup,
  TokenRecord,
  UserRecord,
  VersionRecord,
} from "./registry-store.js";
import type { RegistryDatabase } from "./schema.js";
import { setYanked } from "./set-yanked.js";
import { WharfSqliteDialect } from "./sqlite-dialect.js";
import type { StoreContext } from "./store-context.js";
import { deleteCrate, deleteVersion, isTombstoned } from "./takedown.js";
import { createToken, findTokenByHash, listTokens, revokeToken, touchToken } from "./token-records.js";
import { addUser, findUser, listUsers } from "./users.js";

export interface OpenSqliteRegistryStoreOptions {
  /** the database file; created with mode 0600 (it holds token hashes) */
  readonly path: string;
  readonly now: Clock;
  /** how long a writer waits for another process's write lock; default 10 s */
  readonly busyTimeoutMs?: number | undefined;
  /** apply pending migrations on open; default true */
  readonly migrate?: boolean | undefined;
}

interface MarkerRow {
  name: string;
  index_version: number;
  index_updated_at: string;
}

export class SqliteRegistryStore implements RegistryStore {
  readonly db: Kysely<RegistryDatabase>;
  private readonly ctx: StoreContext;

  /** the raw handle, for the one read on the hot path of every index request */
  private readonly markerStatement: Statement<[string], MarkerRow> | undefined;

  constructor(options: { db: Kysely<RegistryDatabase>; now: Clock; sqlite?: Database.Database | undefined }) {
    this.db = options.db;
    this.ctx = { db: options.db, now: options.now };
    this.markerStatement = options.sqlite?.prepare<[string], MarkerRow>(
      "SELECT name, index_version, index_updated_at FROM crates WHERE canonical_name = ?",
    );
  }

  schemaVersion(): Promise<number> {
    return schemaVersion(this.db, "sqlite");
  }

  publishVersion(input: PublishVersionInput): Promise<PublishVersionResult> {
    return publishVersion(this.ctx, input);
  }
  setYanked(input: SetYankedInput): Promise<{ changed: boolean }> {
    return setYanked(this.ctx, input);
  }
  findCrate(name: string): Promise<CrateSummary | undefined> {
    return findCrate(this.ctx, name);
  }
  getCrate(name: string): Promise<CrateDetails | undefined> {
    return getCrate(this.ctx, name);
  }
  getVersion(crateName: string, version: string): Promise<VersionRecord | undefined> {
    return getVersion(this.ctx, crateName, version);
  }
  searchCrates(input: SearchInput): Promise<SearchResult> {
    return searchCrates(this.ctx, input);
  }
  indexFile(crateName: string): Promise<IndexFile | undefined> {
    return indexFile(this.ctx, crateName);
  }

  indexMarker(crateName: string): Promise<{ indexVersion: number; updatedAt: string } | undefined> {
    if (!this.markerStatement) return indexMarker(this.ctx, crateName);
    // a prepared statement skips the query builder: this runs for every index GET and 304
    const row = this.markerStatement.get(canonicalCrateName(crateName));
    if (row === undefined || row.name.toLowerCase() !== crateName.toLowerCase())
      return Promise.resolve(undefined);
    return Promise.resolve({ indexVersion: row.index_version, updatedAt: row.index_updated_at });
  }
  listOwners(crateName: string): Promise<readonly UserRecord[]> {
    return listOwners(this.ctx, crateName);
  }
  isOwner(crateName: string, userId: number): Promise<boolean> {
    return isOwner(this.ctx, crateName, userId);
  }
  addOwner(input: OwnerChangeInput): Promise<{ added: boolean }> {
    return addOwner(this.ctx, input);
  }
  removeOwner(input: OwnerChangeInput): Promise<{ removed: boolean }> {
    return removeOwner(this.ctx, input);
  }
  deleteVersion(input: DeleteVersionInput): Promise<TakedownResult> {
    return deleteVersion(this.ctx, input);
  }
  deleteCrate(input: DeleteCrateInput): Promise<TakedownResult> {
    return deleteCrate(this.ctx, input);
  }
  isTombstoned(crateName: string, version?: string): Promise<boolean> {
    return isTombstoned(this.ctx, crateName, version);
  }
  addUser(input: AddUserInput): Promise<UserRecord> {
    return addUser(this.ctx, input);
  }
  listUsers(): Promise<readonly UserRecord[]> {
    return listUsers(this.ctx);
  }
  findUser(login: string): Promise<UserRecord | undefined> {
    return findUser(this.ctx, login);
  }
  createToken(input: CreateTokenRecordInput): Promise<TokenRecord> {
    return createToken(this.ctx, input);
  }
  listTokens(userId: number): Promise<readonly TokenRecord[]> {
    return listTokens(this.ctx, userId);
  }
  revokeToken(input: RevokeTokenInput): Promise<{ revoked: boolean }> {
    return revokeToken(this.ctx, input);
  }
  findTokenByHash(tokenHash: string): Promise<TokenLookup | undefined> {
    return findTokenByHash(this.ctx, tokenHash);
  }
  touchToken(tokenId: number): Promise<void> {
    return touchToken(this.ctx, tokenId);
  }
  recordAudit(input: AuditRecordInput): Promise<void> {
    return appendAudit(this.ctx, input);
  }
  readAuditLog(query: AuditQuery): Promise<readonly AuditEntry[]> {
    return readAuditLog(this.ctx, query);
  }
  takeRateLimit(input: RateLimitInput): Promise<RateLimitDecision> {
    return takeRateLimit(this.ctx, input);
  }
  async referencedBlobs(): Promise<ReadonlySet<string>> {
    const rows = await this.db.selectFrom("versions").select("blob_hash").distinct().execute();
    return new Set(rows.map((row) => row.blob_hash));
  }
  close(): Promise<void> {
    return this.db.destroy();
  }
}

/** Opens (creating if needed) a registry database file and migrates it to SCHEMA_VERSION. */
export async function openSqliteRegistryStore(
  options: OpenSqliteRegistryStoreOptions,
): Promise<SqliteRegistryStore> {
  mkdirSync(dirname(options.path), { recursive: true, mode: 0o700 });
  // Created here with 0600 because SQLite would use the umask, and its -wal and -shm files
  // copy the main file's mode.
  closeSync(openSync(options.path, "a", 0o600));
  const sqlite = new Database(options.path, { timeout: options.busyTimeoutMs ?? 10_000 });
  sqlite.pragma("journal_mode = WAL");
  // FULL: a publish the client saw succeed must survive a power cut, or the index would
  // forget a version that lockfiles already pin.
  sqlite.pragma("synchronous = FULL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 10_000)}`);
  const db = new Kysely<RegistryDatabase>({ dialect: new WharfSqliteDialect({ database: sqlite }) });
  try {
    if (options.migrate !== false) await migrateToLatest(db, "sqlite");
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return new SqliteRegistryStore({ db, now: options.now, sqlite });
}
