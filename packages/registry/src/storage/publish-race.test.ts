import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { openTestRegistry, publishFixture, publishWithBlob, type TestRegistry } from "./store-fixtures.js";

const CHILD = fileURLToPath(new URL("./publish-child-fixture.js", import.meta.url));
const RIVALS = 6;

interface Outcome {
  ok: boolean;
  code?: string;
  cksum: string;
}

/** Reads newline-separated stdout lines of a child as they come. */
function lines(child: ChildProcess): AsyncIterator<string> {
  const queue: string[] = [];
  const waiters: ((line: string) => void)[] = [];
  let buffer = "";
  child.stdout?.setEncoding("utf8");
  child.stdout?.on("data", (chunk: string) => {
    buffer += chunk;
    for (let nl = buffer.indexOf("\n"); nl >= 0; nl = buffer.indexOf("\n")) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      const waiter = waiters.shift();
      if (waiter) waiter(line);
      else queue.push(line);
    }
  });
  return {
    next: () =>
      new Promise((resolve) => {
        const line = queue.shift();
        if (line !== undefined) resolve({ value: line, done: false });
        else waiters.push((value) => resolve({ value, done: false }));
      }),
  };
}

/** Starts one child per rival, waits until all are ready, then releases them together. */
async function raceChildren(
  registry: TestRegistry,
  rivals: { name: string; version: string; userId: number }[],
) {
  const children = rivals.map((rival, i) =>
    spawn(
      process.execPath,
      [
        CHILD,
        "race",
        registry.dbPath,
        registry.blobDir,
        rival.name,
        rival.version,
        String(rival.userId),
        `#${i}`,
      ],
      { stdio: ["pipe", "pipe", "inherit"] },
    ),
  );
  const outputs = children.map(lines);
  for (const output of outputs) assert.equal((await output.next()).value, "ready");
  for (const child of children) child.stdin?.write("go\n");
  const outcomes: Outcome[] = [];
  for (const output of outputs) outcomes.push(JSON.parse((await output.next()).value as string) as Outcome);
  await Promise.all(children.map((child) => (child.exitCode === null ? once(child, "exit") : undefined)));
  for (const child of children) assert.equal(child.exitCode, 0);
  return outcomes;
}

describe("concurrent publishes from separate processes on one database file", () => {
  let registry: TestRegistry;
  let alice: number;
  before(async () => {
    registry = await openTestRegistry("race");
    alice = (await registry.store.addUser({ login: "alice", actor: { kind: "admin-cli" } })).id;
  });
  after(() => registry.close());

  it(`${RIVALS} processes publish the same new version: exactly one wins, the rest get REGISTRY_VERSION_EXISTS`, async () => {
    await publishWithBlob(registry, { name: "contested", version: "0.1.0", userId: alice });
    const outcomes = await raceChildren(
      registry,
      Array.from({ length: RIVALS }, () => ({ name: "contested", version: "1.0.0", userId: alice })),
    );
    const winners = outcomes.filter((o) => o.ok);
    assert.equal(winners.length, 1, JSON.stringify(outcomes));
    assert.deepEqual(
      outcomes.filter((o) => !o.ok).map((o) => o.code),
      Array(RIVALS - 1).fill("REGISTRY_VERSION_EXISTS"),
    );
    const version = await registry.store.getVersion("contested", "1.0.0");
    assert.equal(version?.cksum, winners[0]?.cksum, "the stored row is the winner's upload");
    const index = await registry.store.indexFile("contested");
    assert.equal(index?.lineCount, 2);
    assert.equal(
      (await registry.store.readAuditLog({ crateName: "contested", action: "publish" })).length,
      2,
    );
  });

  it(`${RIVALS} processes create one crate under folded spellings: one crate, the rest collide`, async () => {
    const spellings = [
      "fresh-crate",
      "fresh_crate",
      "Fresh-Crate",
      "FRESH_CRATE",
      "fresh-Crate",
      "Fresh_crate",
    ];
    const outcomes = await raceChildren(
      registry,
      spellings.map((name) => ({ name, version: "1.0.0", userId: alice })),
    );
    const winners = outcomes.filter((o) => o.ok);
    assert.equal(winners.length, 1, JSON.stringify(outcomes));
    for (const loser of outcomes.filter((o) => !o.ok)) {
      assert.ok(
        loser.code === "REGISTRY_CRATE_NAME_COLLISION" || loser.code === "REGISTRY_VERSION_EXISTS",
        String(loser.code),
      );
    }
    const found = await registry.store.searchCrates({ query: "fresh" });
    assert.equal(found.total, 1);
  });

  it("the unique constraint itself refuses a second row for one version, whatever the code above it does", async () => {
    const crate = await registry.store.findCrate("contested");
    assert.ok(crate);
    const fixture = publishFixture({ name: "contested", version: "1.0.0", userId: alice, salt: "direct" });
    const row = {
      crate_id: crate.id,
      cksum: fixture.input.cksum,
      blob_hash: fixture.input.blobHash,
      index_line: fixture.input.indexLine,
      yanked: 0,
      published_by: alice,
      published_at: "2025-01-01T00:00:00.000Z",
      size: 1,
      links: null,
      rust_version: null,
    };
    await assert.rejects(
      registry.store.db
        .insertInto("versions")
        .values({ ...row, num: "1.0.0", canonical_num: "1.0.0" })
        .execute(),
      { code: "SQLITE_CONSTRAINT_UNIQUE" },
    );
    await assert.rejects(
      registry.store.db
        .insertInto("versions")
        .values({ ...row, num: "1.0.0+other", canonical_num: "1.0.0" })
        .execute(),
      { code: "SQLITE_CONSTRAINT_UNIQUE" },
    );
  });
});
