/**
 * Kysely's SqliteDialect with two SQLite-specific changes, kept here so the store code
 * stays portable SQL:
 * - transactions start with BEGIN IMMEDIATE: a deferred BEGIN that reads and then writes
 *   fails at once with SQLITE_BUSY when another process wrote in between (busy_timeout
 *   does not apply to that upgrade), while IMMEDIATE waits for the write lock up front;
 * - the adapter reports transactional DDL (SQLite has it), so the Migrator runs each
 *   migration batch in one such transaction and concurrent servers cannot both migrate.
 */
import {
  CompiledQuery,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  SqliteAdapter,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
} from "kysely";

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
}

class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

export class WharfSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}
