/**
 * Shared by the storage and auth tests and the child-process fixture: temp directories
 * with real SQLite files, a settable clock, and publish inputs whose index line, checksum
 * and blob agree. Not exported from index.ts.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sha256Hex } from "./blob-store.js";
import { FsBlobStore } from "./fs-blob-store.js";
import type { PublishVersionInput } from "./registry-store.js";
import { openSqliteRegistryStore, type SqliteRegistryStore } from "./sqlite-registry-store.js";

export interface TestClock {
  (): Date;
  set(iso: string): void;
  advance(ms: number): void;
}

export function testClock(start = "2025-01-01T00:00:00.000Z"): TestClock {
  let current = new Date(start).getTime();
  const clock = (() => new Date(current)) as TestClock;
  clock.set = (iso) => {
    current = new Date(iso).getTime();
  };
  clock.advance = (ms) => {
    current += ms;
  };
  return clock;
}

export function makeTempDir(label: string): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), `wharf-${label}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TestRegistry {
  readonly dir: string;
  readonly dbPath: string;
  readonly blobDir: string;
  readonly store: SqliteRegistryStore;
  readonly blobs: FsBlobStore;
  readonly clock: TestClock;
  close(): Promise<void>;
}

export async function openTestRegistry(label: string): Promise<TestRegistry> {
  const { dir, cleanup } = makeTempDir(label);
  const dbPath = join(dir, "db", "registry.sqlite3");
  const blobDir = join(dir, "blobs");
  const clock = testClock();
  const store = await openSqliteRegistryStore({ path: dbPath, now: clock });
  const blobs = new FsBlobStore(blobDir, { now: clock });
  return {
    dir,
    dbPath,
    blobDir,
    store,
    blobs,
    clock,
    async close() {
      await store.close();
      cleanup();
    },
  };
}

/** Stand-in .crate bytes: unique per name and version, which is all storage cares about. */
export function fakeCrateBytes(name: string, version: string): Buffer {
  return Buffer.from(`fake crate ${name} ${version}\n`.repeat(8));
}

/** An index line shaped like cargo's (keys sorted, `yanked` present). */
export function fakeIndexLine(name: string, version: string, cksum: string): string {
  return JSON.stringify({ cksum, deps: [], features: {}, name, v: 2, vers: version, yanked: false });
}

export interface PublishFixture {
  readonly bytes: Buffer;
  readonly input: PublishVersionInput;
}

/** A consistent publish input; the caller still has to put `bytes` in the blob store. */
export function publishFixture(options: {
  name: string;
  version: string;
  userId: number;
  description?: string;
  keywords?: string[];
  /** makes different bytes for the same name and version, as rival uploads would be */
  salt?: string;
}): PublishFixture {
  const bytes = fakeCrateBytes(options.name, `${options.version}${options.salt ?? ""}`);
  const hash = sha256Hex(bytes);
  return {
    bytes,
    input: {
      crateName: options.name,
      version: options.version,
      cksum: hash,
      blobHash: hash,
      indexLine: fakeIndexLine(options.name, options.version, hash),
      size: bytes.length,
      links: null,
      rustVersion: "1.70",
      userId: options.userId,
      remoteAddr: "192.0.2.1",
      metadata: {
        description: options.description ?? `the ${options.name} crate`,
        keywords: options.keywords ?? [],
        license: "MIT",
      },
    },
  };
}

/** Blob first, then the row: the order the registry's publish route must follow. */
export async function publishWithBlob(
  registry: Pick<TestRegistry, "store" | "blobs">,
  options: Parameters<typeof publishFixture>[0],
) {
  const fixture = publishFixture(options);
  await registry.blobs.put(fixture.bytes);
  return registry.store.publishVersion(fixture.input);
}

/** Asserts that `promise` rejects with a WharfError carrying `code`. */
export async function rejectsWithCode(promise: Promise<unknown>, code: string): Promise<void> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  if (caught === undefined) throw new Error(`expected a rejection with ${code}, got a success`);
  const actual = typeof caught === "object" && caught !== null && "code" in caught ? caught.code : caught;
  if (actual !== code) {
    throw new Error(`expected ${code}, got ${String(actual)}`, { cause: caught });
  }
}
