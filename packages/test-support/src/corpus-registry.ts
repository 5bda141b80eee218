/**
 * The setup most differential tests share: a real Wharf registry holding the whole Debian
 * crate corpus (imported with nothing refused), and real cargo pointed at it with crates-io
 * replaced, so projects depending on ordinary crates resolve from it.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { importCrates } from "@wharf/registry";
import { type CargoRegistryClient, cargoRegistryEnv } from "./cargo-client.js";
import type { Sandbox } from "./run.js";
import { startTestRegistry, type TestRegistry } from "./test-registry.js";

export const CORPUS_DIR = "/usr/share/cargo/registry";

export interface CorpusRegistry {
  registry: TestRegistry;
  /** cargo's environment: CARGO_HOME with the registry and crates-io replacement, test CA */
  client: CargoRegistryClient;
}

export async function startCorpusRegistry(home: Sandbox): Promise<CorpusRegistry> {
  assert.ok(
    existsSync(CORPUS_DIR),
    `${CORPUS_DIR} is missing: run scripts/setup.sh to install the crate corpus`,
  );
  const registry = await startTestRegistry({ dir: join(home.root, "registry") });
  const report = await importCrates({
    data: registry.running.data,
    paths: [CORPUS_DIR],
    now: () => new Date(),
  });
  assert.deepEqual(
    report.outcomes.filter((o) => o.result === "refused"),
    [],
    "corpus crates refused by the import",
  );
  const client = cargoRegistryEnv({
    home,
    caCertPath: registry.pki.ca.caCertPath,
    registryName: "wharf",
    indexUrl: registry.indexUrl,
    replaceCratesIo: true,
  });
  return { registry, client };
}
