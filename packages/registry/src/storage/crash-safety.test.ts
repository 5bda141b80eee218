import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomInt } from "node:crypto";
import { once } from "node:events";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import { sha256Hex } from "./blob-store.js";
import { orphanBlobs } from "./orphan-blobs.js";
import { openSqliteRegistryStore } from "./sqlite-registry-store.js";
import { openTestRegistry, type TestRegistry } from "./store-fixtures.js";

const CHILD = fileURLToPath(new URL("./publish-child-fixture.js", import.meta.url));
const ROUNDS = 8;
/** Upper bound per round so a slow kill can never leave the test looping for long. */
const MAX_PER_ROUND = 400;

interface Round {
  readonly killed: boolean;
  readonly reported: number;
}

/** Runs the publish loop in a child and SIGKILLs it a random short time after it starts. */
async function killMidway(registry: TestRegistry, userId: number, start: number): Promise<Round> {
  const child = spawn(
    process.execPath,
    [
      CHILD,
      "loop",
      registry.dbPath,
      registry.blobDir,
      String(userId),
      String(start),
      String(start + MAX_PER_ROUND),
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  let reported = 0;
  let firstCommit: () => void = () => {};
  const started = new Promise<void>((resolve) => {
    firstCommit = resolve;
  });
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    reported += chunk.split("\n").length - 1;
    firstCommit();
  });
  const exited = once(child, "exit");
  await Promise.race([started, exited]);
  await new Promise((resolve) => setTimeout(resolve, randomInt(5, 150)));
  const killed = child.exitCode === null && child.kill("SIGKILL");
  const [code, signal] = (await exited) as [number | null, NodeJS.Signals | null];
  if (!killed) assert.equal(code, 0, "the loop ended on its own, so it must have succeeded");
  else assert.equal(signal, "SIGKILL");
  return { killed, reported };
}

describe("crash safety: SIGKILL in the middle of many publishes", () => {
  let registry: TestRegistry;
  let userId: number;
  before(async () => {
    registry = await openTestRegistry("crash");
    userId = (await registry.store.addUser({ login: "loop", actor: { kind: "admin-cli" } })).id;
    // The parent's connection stays closed while children write, as another server would.
    await registry.store.close();
  });
  after(() => registry.close());

  it(`keeps every invariant across ${ROUNDS} killed runs`, async (t) => {
    let published = 0;
    let kills = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const result = await killMidway(registry, userId, published);
      if (result.killed) kills++;
      const store = await openSqliteRegistryStore({
        path: registry.dbPath,
        now: () => new Date(),
        migrate: false,
      });
      try {
        const check = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(store.db);
        assert.deepEqual(
          check.rows.map((row) => row.integrity_check),
          ["ok"],
        );

        const rows = await store.db
          .selectFrom("versions")
          .innerJoin("crates", "crates.id", "versions.crate_id")
          .select(["crates.name", "versions.num", "versions.cksum", "versions.blob_hash", "versions.yanked"])
          .orderBy("versions.id")
          .execute();
        // Publishes are sequential, so what survived is exactly a prefix: every version the
        // child reported committed, plus at most the one in flight at the kill.
        const numbers = rows.map((row) => Number(row.num.split(".")[1]));
        assert.deepEqual(
          numbers,
          Array.from({ length: rows.length }, (_, i) => i),
        );
        assert.ok(rows.length >= published + result.reported, "a committed publish was lost");
        assert.ok(rows.length <= published + result.reported + 1);

        for (const row of rows) {
          const bytes = await registry.blobs.get(row.blob_hash);
          assert.ok(bytes, `${row.name}@${row.num} has no blob`);
          assert.equal(sha256Hex(bytes), row.cksum);
        }

        for (const name of ["crash-0", "crash-1", "crash-2"]) {
          const index = await store.indexFile(name);
          const mine = rows.filter((row) => row.name === name);
          if (mine.length === 0) {
            assert.equal(index, undefined);
            continue;
          }
          assert.ok(index);
          const lines = index.content
            .trimEnd()
            .split("\n")
            .map(
              (line) => JSON.parse(line) as { name: string; vers: string; cksum: string; yanked: boolean },
            );
          assert.deepEqual(
            lines.map((line) => [line.name, line.vers, line.cksum, line.yanked]),
            mine.map((row) => [row.name, row.num, row.cksum, row.yanked !== 0]),
          );
        }

        const audited = await store.db
          .selectFrom("audit_log")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("action", "=", "publish")
          .executeTakeFirstOrThrow();
        assert.equal(Number(audited.n), rows.length, "every version row has its audit entry and no more");

        // At most one blob per kill can be an orphan: the publish in flight.
        const orphans = await orphanBlobs({
          store,
          blobs: registry.blobs,
          now: () => new Date(Date.now() + 1000),
          minAgeMs: 0,
        });
        assert.ok(orphans.length <= kills, `${orphans.length} orphans after ${kills} kills`);
        t.diagnostic(
          `round ${round}: killed=${result.killed} rows=${rows.length} reported=${result.reported} orphans=${orphans.length}`,
        );
        published = rows.length;
      } finally {
        await store.close();
      }
    }
    assert.ok(kills >= 1, "at least one run was killed before it finished");
    assert.ok(published > 0);
  });
});
