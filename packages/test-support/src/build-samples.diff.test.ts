/**
 * Real programs built by both tools: each sample application (serde derive + serde_json,
 * clap derive, regex, rand with a fixed seed, tokio with macros, anyhow + thiserror) is run
 * with `cargo run` and with `wharf run`, against the corpus registry; stdout and exit status
 * must be identical. One target dir per tool is shared by all apps, as on a developer's
 * machine, so the common dependencies compile once per tool.
 */
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { SAMPLE_APPS, type SampleApp } from "./build-samples.js";
import type { CargoRegistryClient } from "./cargo-client.js";
import { startCorpusRegistry } from "./corpus-registry.js";
import { writeTree } from "./project.js";
import { makeTempHome, WHARF_BIN } from "./run.js";
import { runAsync } from "./run-async.js";
import type { TestRegistry } from "./test-registry.js";

const home = makeTempHome("wharf-samples-");
let registry: TestRegistry;
let client: CargoRegistryClient;

before(async () => {
  ({ registry, client } = await startCorpusRegistry(home));
});
after(async () => {
  await registry?.close();
  home.cleanup();
});

interface Outcome {
  name: string;
  equal: boolean;
  detail?: string;
}

async function compare(app: SampleApp): Promise<Outcome> {
  const dirs = { cargo: join(home.root, "cargo", app.name), wharf: join(home.root, "wharf", app.name) };
  for (const d of Object.values(dirs)) {
    mkdirSync(d, { recursive: true });
    writeTree(d, app.files);
  }
  const env = { ...client.env, WHARF_HOME: home.wharfHome, RUST_BACKTRACE: "0" };
  const [cargo, wharf] = await Promise.all([
    runAsync("cargo", ["run", "-q", "--", ...app.args], {
      cwd: dirs.cargo,
      env: { ...env, CARGO_TARGET_DIR: join(home.root, "target-cargo") },
      timeoutMs: 900_000,
    }),
    runAsync(process.execPath, [WHARF_BIN, "-q", "run", "--", ...app.args], {
      cwd: dirs.wharf,
      env: { ...env, CARGO_TARGET_DIR: join(home.root, "target-wharf") },
      timeoutMs: 900_000,
    }),
  ]);
  const equal = cargo.status === 0 && cargo.status === wharf.status && cargo.stdout === wharf.stdout;
  return {
    name: app.name,
    equal,
    detail: equal
      ? undefined
      : `cargo ${cargo.status}: ${cargo.stdout.slice(0, 300)} ${cargo.stderr.slice(-300)} | wharf ${wharf.status}: ${wharf.stdout.slice(0, 300)} ${wharf.stderr.slice(-800)}`,
  };
}

describe("sample applications built by wharf print what cargo's builds print", () => {
  test("serde, clap, regex, rand, tokio, anyhow + thiserror", async (t) => {
    assert.ok(SAMPLE_APPS.length >= 5);
    const outcomes: Outcome[] = [];
    // one app at a time: each tool's target dir is shared across apps
    for (const app of SAMPLE_APPS) outcomes.push(await compare(app));
    const bad = outcomes.filter((o) => !o.equal);
    t.diagnostic(`sample apps: ${outcomes.length - bad.length} equal of ${outcomes.length}`);
    assert.deepEqual(bad, []);
  });
});
