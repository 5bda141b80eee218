/**
 * Opening a registry's data directory (SQLite database + blob store), shared by the server
 * and the admin commands, so both always agree on the layout.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import {
  type BlobStore,
  type Clock,
  FsBlobStore,
  openSqliteRegistryStore,
  type RegistryStore,
} from "../storage/index.js";

export interface RegistryData {
  store: RegistryStore;
  blobs: BlobStore;
  close(): Promise<void>;
}

export async function openRegistryData(
  dataDir: string,
  now: Clock = () => new Date(),
): Promise<RegistryData> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const store = await openSqliteRegistryStore({ path: join(dataDir, "registry.sqlite"), now });
  const blobs = new FsBlobStore(join(dataDir, "blobs"), { now });
  return { store, blobs, close: () => store.close() };
}
