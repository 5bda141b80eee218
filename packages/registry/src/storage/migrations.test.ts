import assert from "node:assert/strict";
import { statSync } from "node:fs";
import { after, describe, it } from "node:test";
import { sql } from "kysely";
import { SCHEMA_VERSION } from "./migrations.js";
import { openSqliteRegistryStore } from "./sqlite-registry-store.js";
import { openTestRegistry } from "./store-fixtures.js";

describe("SQLite registry schema", async () => {
  const registry = await openTestRegistry("schema");
  after(() => registry.close());

  it("is at SCHEMA_VERSION 1 after opening", async () => {
    assert.equal(SCHEMA_VERSION, 1);
    assert.equal(await registry.store.schemaVersion(), SCHEMA_VERSION);
  });

  it("runs in WAL mode with foreign keys and a busy timeout", async () => {
    const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(registry.store.db);
    assert.equal(mode.rows[0]?.journal_mode, "wal");
    const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(registry.store.db);
    assert.equal(fk.rows[0]?.foreign_keys, 1);
    const timeout = await sql<{ timeout: number }>`pragma busy_timeout`.execute(registry.store.db);
    assert.equal(timeout.rows[0]?.timeout, 10_000);
  });

  it("creates the database file readable by its owner only", () => {
    assert.equal(statSync(registry.dbPath).mode & 0o777, 0o600);
  });

  it("re-opens an existing file without re-running migrations", async () => {
    const again = await openSqliteRegistryStore({ path: registry.dbPath, now: registry.clock });
    try {
      assert.equal(await again.schemaVersion(), SCHEMA_VERSION);
    } finally {
      await again.close();
    }
  });

  it("refuses to update or delete audit entries even through raw SQL", async () => {
    await registry.store.addUser({ login: "audited", actor: { kind: "admin-cli" } });
    await assert.rejects(sql`update audit_log set action = 'x'`.execute(registry.store.db), /append-only/);
    await assert.rejects(sql`delete from audit_log`.execute(registry.store.db), /append-only/);
    assert.equal((await registry.store.readAuditLog({})).length, 1);
  });

  it("enforces foreign keys", async () => {
    await assert.rejects(
      registry.store.db
        .insertInto("crate_owners")
        .values({ crate_id: 999, user_id: 999, added_at: "2025-01-01T00:00:00.000Z" })
        .execute(),
      /FOREIGN KEY/,
    );
  });
});
