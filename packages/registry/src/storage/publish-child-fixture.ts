/**
 * A separate process that publishes into a registry database, for the concurrency and
 * crash tests (a second process is the only honest way to test SQLite file locking and a
 * kill -9 in the middle of a transaction). Not a test file and not exported.
 *
 *   race <db> <blobs> <name> <version> <userId> <salt>
 *     put the blob, print "ready", wait for a line on stdin, publish, print the outcome
 *   loop <db> <blobs> <userId> <start> <end>
 *     publish versions 0.<i>.0 of crash-<i % 3> for i in [start, end), blob first, yank
 *     every fifth one; print each i after its commit
 */
import { once } from "node:events";
import { FsBlobStore } from "./fs-blob-store.js";
import { openSqliteRegistryStore } from "./sqlite-registry-store.js";
import { publishFixture } from "./store-fixtures.js";

function arg(index: number): string {
  const value = process.argv[index + 2];
  if (value === undefined) throw new Error(`publish-child-fixture: missing argument ${index}`);
  return value;
}

async function race(): Promise<void> {
  const store = await openSqliteRegistryStore({ path: arg(1), now: () => new Date(), migrate: false });
  const blobs = new FsBlobStore(arg(2));
  const fixture = publishFixture({ name: arg(3), version: arg(4), userId: Number(arg(5)), salt: arg(6) });
  await blobs.put(fixture.bytes);
  process.stdout.write("ready\n");
  await once(process.stdin, "data");
  let outcome: { ok: boolean; code?: string; cksum: string };
  try {
    await store.publishVersion(fixture.input);
    outcome = { ok: true, cksum: fixture.input.cksum };
  } catch (error) {
    const code =
      typeof error === "object" && error !== null && "code" in error ? String(error.code) : String(error);
    outcome = { ok: false, code, cksum: fixture.input.cksum };
  }
  process.stdout.write(`${JSON.stringify(outcome)}\n`);
  await store.close();
  process.stdin.destroy();
}

async function loop(): Promise<void> {
  const store = await openSqliteRegistryStore({ path: arg(1), now: () => new Date(), migrate: false });
  const blobs = new FsBlobStore(arg(2));
  const userId = Number(arg(3));
  const end = Number(arg(5));
  for (let i = Number(arg(4)); i < end; i++) {
    const name = `crash-${i % 3}`;
    const version = `0.${i}.0`;
    const fixture = publishFixture({ name, version, userId });
    await blobs.put(fixture.bytes);
    await store.publishVersion(fixture.input);
    if (i % 5 === 0) {
      await store.setYanked({ crateName: name, version, yanked: true, actor: { kind: "user", userId } });
    }
    process.stdout.write(`${i}\n`);
  }
  await store.close();
}

const mode = arg(0);
if (mode === "race") await race();
else if (mode === "loop") await loop();
else throw new Error(`publish-child-fixture: unknown mode ${mode}`);
