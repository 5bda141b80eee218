/**
 * The registry database as Kysely sees it: one interface per table, column names as in
 * SQL. Times are ISO-8601 UTC text (sortable, portable); booleans are 0/1 integers and
 * lists are JSON text, because SQLite has neither type and PostgreSQL accepts both forms.
 */
import type { Generated } from "kysely";

export interface UsersTable {
  id: Generated<number>;
  login: string;
  name: string | null;
  is_admin: number;
  created_at: string;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  /** sha256 hex of the whole token; the token itself is never stored */
  token_hash: string;
  /** the first characters, so a user can tell tokens apart in a list */
  prefix: string;
  /** JSON array of endpoint scopes */
  scopes: string;
  /** JSON array of crate patterns, or NULL for every crate */
  crate_patterns: string | null;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
}

export interface CratesTable {
  id: Generated<number>;
  /** the spelling of the first publish; later publishes must use it exactly */
  name: string;
  canonical_name: string;
  description: string | null;
  homepage: string | null;
  repository: string | null;
  documentation: string | null;
  license: string | null;
  /** JSON arrays */
  keywords: string;
  categories: string;
  /** highest version published, whose metadata the search columns show */
  max_version: string;
  created_at: string;
  updated_at: string;
  /** bumped by every change to the crate's index file: the sparse index ETag */
  index_version: number;
  index_updated_at: string;
}

export interface CrateOwnersTable {
  crate_id: number;
  user_id: number;
  added_at: string;
}

export interface VersionsTable {
  id: Generated<number>;
  crate_id: number;
  num: string;
  /** num without build metadata: `1.0.0+a` and `1.0.0+b` are one version to cargo */
  canonical_num: string;
  cksum: string;
  blob_hash: string;
  index_line: string;
  yanked: number;
  published_by: number;
  published_at: string;
  size: number;
  links: string | null;
  rust_version: string | null;
}

export interface TombstonesTable {
  id: Generated<number>;
  canonical_name: string;
  /** canonical version, or NULL when the whole crate was taken down */
  version: string | null;
  deleted_by_kind: string;
  deleted_by_user_id: number | null;
  reason: string;
  deleted_at: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor_kind: string;
  actor_user_id: number | null;
  action: string;
  crate_name: string | null;
  version: string | null;
  detail: string;
  remote_addr: string | null;
}

export interface RateLimitBucketsTable {
  user_id: number;
  kind: string;
  /** GCRA state: when the bucket is next empty, in ms since the epoch */
  theoretical_arrival_ms: number;
}

export interface RegistryDatabase {
  users: UsersTable;
  api_tokens: ApiTokensTable;
  crates: CratesTable;
  crate_owners: CrateOwnersTable;
  versions: VersionsTable;
  tombstones: TombstonesTable;
  audit_log: AuditLogTable;
  rate_limit_buckets: RateLimitBucketsTable;
}
