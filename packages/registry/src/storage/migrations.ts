/**
 * Versioned schema migrations, in code so they ship inside the build and cannot go missing
 * from a deployment. Names are `NNNN-what`; the number is the schema version. Never edit
 * a released migration: add the next one.
 */
import { type ColumnDefinitionBuilder, type Kysely, type Migration, Migrator, sql } from "kysely";
import type { RegistryDatabase } from "./schema.js";

export type SqlDialectName = "sqlite" | "postgres";

/** The schema version this build expects after migrating. */
export const SCHEMA_VERSION = 1;

function idColumn(dialect: SqlDialectName): (col: ColumnDefinitionBuilder) => ColumnDefinitionBuilder {
  // AUTOINCREMENT so SQLite never reuses an id (audit entries and tokens are referenced
  // by id in logs); PostgreSQL's identity columns never reuse ids either.
  return dialect === "sqlite"
    ? (col) => col.primaryKey().autoIncrement()
    : (col) => col.primaryKey().generatedAlwaysAsIdentity();
}

function initialSchema(dialect: SqlDialectName): Migration {
  const id = idColumn(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("users")
        .addColumn("id", "integer", id)
        .addColumn("login", "text", (col) => col.notNull().unique())
        .addColumn("name", "text")
        .addColumn("is_admin", "integer", (col) => col.notNull().defaultTo(0))
        .addColumn("created_at", "text", (col) => col.notNull())
        .execute();

      await db.schema
        .createTable("api_tokens")
        .addColumn("id", "integer", id)
        .addColumn("user_id", "integer", (col) => col.notNull().references("users.id"))
        .addColumn("name", "text", (col) => col.notNull())
        .addColumn("token_hash", "text", (col) => col.notNull().unique())
        .addColumn("prefix", "text", (col) => col.notNull())
        .addColumn("scopes", "text", (col) => col.notNull())
        .addColumn("crate_patterns", "text")
        .addColumn("created_at", "text", (col) => col.notNull())
        .addColumn("expires_at", "text")
        .addColumn("revoked_at", "text")
        .addColumn("last_used_at", "text")
        .execute();
      await db.schema.createIndex("api_tokens_user_idx").on("api_tokens").column("user_id").execute();

      await db.schema
        .createTable("crates")
        .addColumn("id", "integer", id)
        .addColumn("name", "text", (col) => col.notNull().unique())
        .addColumn("canonical_name", "text", (col) => col.notNull().unique())
        .addColumn("description", "text")
        .addColumn("homepage", "text")
        .addColumn("repository", "text")
        .addColumn("documentation", "text")
        .addColumn("license", "text")
        .addColumn("keywords", "text", (col) => col.notNull().defaultTo("[]"))
        .addColumn("categories", "text", (col) => col.notNull().defaultTo("[]"))
        .addColumn("max_version", "text", (col) => col.notNull())
        .addColumn("created_at", "text", (col) => col.notNull())
        .addColumn("updated_at", "text", (col) => col.notNull())
        .addColumn("index_version", "integer", (col) => col.notNull().defaultTo(0))
        .addColumn("index_updated_at", "text", (col) => col.notNull())
        .execute();

      await db.schema
        .createTable("crate_owners")
        .addColumn("crate_id", "integer", (col) => col.notNull().references("crates.id"))
        .addColumn("user_id", "integer", (col) => col.notNull().references("users.id"))
        .addColumn("added_at", "text", (col) => col.notNull())
        .addPrimaryKeyConstraint("crate_owners_pk", ["crate_id", "user_id"])
        .execute();
      await db.schema.createIndex("crate_owners_user_idx").on("crate_owners").column("user_id").execute();

      await db.schema
        .createTable("versions")
        .addColumn("id", "integer", id)
        .addColumn("crate_id", "integer", (col) => col.notNull().references("crates.id"))
        .addColumn("num", "text", (col) => col.notNull())
        .addColumn("canonical_num", "text", (col) => col.notNull())
        .addColumn("cksum", "text", (col) => col.notNull())
        .addColumn("blob_hash", "text", (col) => col.notNull())
        .addColumn("index_line", "text", (col) => col.notNull())
        .addColumn("yanked", "integer", (col) => col.notNull().defaultTo(0))
        .addColumn("published_by", "integer", (col) => col.notNull().references("users.id"))
        .addColumn("published_at", "text", (col) => col.notNull())
        .addColumn("size", "integer", (col) => col.notNull())
        .addColumn("links", "text")
        .addColumn("rust_version", "text")
        // The database, not a read-then-write check, is what makes concurrent publishes of
        // one version end with exactly one row.
        .addUniqueConstraint("versions_crate_num_unique", ["crate_id", "num"])
        .addUniqueConstraint("versions_crate_canonical_num_unique", ["crate_id", "canonical_num"])
        .execute();
      await db.schema.createIndex("versions_blob_idx").on("versions").column("blob_hash").execute();

      await db.schema
        .createTable("tombstones")
        .addColumn("id", "integer", id)
        .addColumn("canonical_name", "text", (col) => col.notNull())
        .addColumn("version", "text")
        .addColumn("deleted_by_kind", "text", (col) => col.notNull())
        .addColumn("deleted_by_user_id", "integer")
        .addColumn("reason", "text", (col) => col.notNull())
        .addColumn("deleted_at", "text", (col) => col.notNull())
        .execute();
      await db.schema.createIndex("tombstones_name_idx").on("tombstones").column("canonical_name").execute();

      await db.schema
        .createTable("audit_log")
        .addColumn("id", "integer", id)
        .addColumn("at", "text", (col) => col.notNull())
        .addColumn("actor_kind", "text", (col) => col.notNull())
        .addColumn("actor_user_id", "integer")
        .addColumn("action", "text", (col) => col.notNull())
        .addColumn("crate_name", "text")
        .addColumn("version", "text")
        .addColumn("detail", "text", (col) => col.notNull())
        .addColumn("remote_addr", "text")
        .execute();
      await db.schema.createIndex("audit_log_crate_idx").on("audit_log").column("crate_name").execute();
      await db.schema.createIndex("audit_log_at_idx").on("audit_log").column("at").execute();
      if (dialect === "sqlite") {
        // The store has no update/delete path for the audit log; these triggers also stop
        // anything else that opens the file through SQL (an admin's sqlite3 shell excepted
        // only by dropping them, which is itself visible in the schema).
        await sql`create trigger audit_log_no_update before update on audit_log
          begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
        await sql`create trigger audit_log_no_delete before delete on audit_log
          begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
      }

      await db.schema
        .createTable("rate_limit_buckets")
        .addColumn("user_id", "integer", (col) => col.notNull().references("users.id"))
        .addColumn("kind", "text", (col) => col.notNull())
        .addColumn("theoretical_arrival_ms", "bigint", (col) => col.notNull())
        .addPrimaryKeyConstraint("rate_limit_buckets_pk", ["user_id", "kind"])
        .execute();
    },
  };
}

/** Every migration, keyed by name, for Kysely's Migrator. */
export function registryMigrations(dialect: SqlDialectName): Record<string, Migration> {
  return {
    "0001-initial-schema": initialSchema(dialect),
  };
}

export function createMigrator(db: Kysely<RegistryDatabase>, dialect: SqlDialectName): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => registryMigrations(dialect) },
  });
}

/** Applies pending migrations; throws the first failure with its migration name. */
export async function migrateToLatest(
  db: Kysely<RegistryDatabase>,
  dialect: SqlDialectName,
): Promise<number> {
  const { error, results } = await createMigrator(db, dialect).migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((result) => result.status === "Error");
    throw new Error(`registry schema migration ${failed?.migrationName ?? "(unknown)"} failed`, {
      cause: error,
    });
  }
  return schemaVersion(db, dialect);
}

/** The number of the newest applied migration; 0 for an empty database. */
export async function schemaVersion(db: Kysely<RegistryDatabase>, dialect: SqlDialectName): Promise<number> {
  const migrations = await createMigrator(db, dialect).getMigrations();
  let version = 0;
  for (const migration of migrations) {
    if (migration.executedAt === undefined) continue;
    const number = Number.parseInt(migration.name.slice(0, 4), 10);
    if (number > version) version = number;
  }
  return version;
}
