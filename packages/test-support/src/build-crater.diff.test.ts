/**
 * Crater-style differential run of `wharf build`: each corpus crate, as the single dependency
 * of a fresh binary project that uses it, is built by real cargo and by wharf against the
 * Wharf registry holding the corpus. Wharf must succeed wherever cargo does. CI runs a fixed
 * sample (build scripts, `links`, -sys, proc macros) with one shared target dir per tool, as
 * a developer's machine would; `npm run crater` (WHARF_CRATER_FULL=1) takes every corpus
 * crate, each in its own target dirs, deleted after use.
 */
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { parseManifest } from "@wharf/protocol";
import type { CargoRegistryClient } from "./cargo-client.js";
import { CORPUS_DIR, startCorpusRegistry } from "./corpus-registry.js";
import { type CorpusCrate, corpusCrates } from "./lockfile-projects.js";
import { writeTree } from "./project.js";
import { makeTempHome, WHARF_BIN } from "./run.js";
import { mapPool, runAsync } from "./run-async.js";
import type { TestRegistry } from "./test-registry.js";

const FULL = process.env.WHARF_CRATER_FULL === "1";
/** build scripts (libc, proc-macro2, serde_json, anyhow), links (rayon-core, wasm-bindgen-shared), -sys, proc macros */
const SAMPLE = [
  "anyhow",
  "libc",
  "linux-raw-sys",
  "memchr",
  "proc-macro2",
  "rayon-core",
  "serde_derive",
  "serde_json",
  "thiserror",
  "tokio-macros",
  "futures-macro",
  "wasm-bindgen-shared",
  "indexmap",
  "log",
  "smallvec",
  // a bin linking libc through atty: linking must wait for every upstream rlib, not only the direct ones
  "atty",
];

const home = makeTempHome("wharf-crater-");
let registry: TestRegistry;
let client: CargoRegistryClient;

before(async () => {
  ({ registry, client } = await startCorpusRegistry(home));
});
after(async () => {
  await registry?.close();
  home.cleanup();
});

/** the crate name a dependent writes in `use`, or undefined for crates without a lib */
function libName(c: CorpusCrate): string | undefined {
  const dir = join(CORPUS_DIR, `${c.name}-${c.version}`);
  try {
    const m = parseManifest(readFileSync(join(dir, "Cargo.toml"), "utf8"), { file: dir }).manifest;
    return (m.lib?.name ?? c.name).replace(/-/g, "_");
  } catch {
    return c.name.replace(/-/g, "_");
  }
}

interface Outcome {
  name: string;
  cargo: boolean;
  wharf: boolean;
  detail?: string;
}

async function buildBoth(c: CorpusCrate, targets: { cargo: string; wharf: string }): Promise<Outcome> {
  const base = join(home.root, "projects", `${c.name}-${c.version}`);
  const lib = libName(c);
  const files = {
    "Cargo.toml": `[package]\nname = "crater-probe"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n"${c.name}" = "=${c.version}"\n`,
    "src/main.rs": `${lib ? `#[allow(unused_imports)]\nuse ${lib} as _;\n` : ""}fn main() {}\n`,
  };
  const dirs = { cargo: join(base, "cargo"), wharf: join(base, "wharf") };
  for (const d of Object.values(dirs)) {
    mkdirSync(d, { recursive: true });
    writeTree(d, files);
  }
  const env = { ...client.env, WHARF_HOME: home.wharfHome };
  const [cargo, wharf] = await Promise.all([
    runAsync("cargo", ["build"], {
      cwd: dirs.cargo,
      env: { ...env, CARGO_TARGET_DIR: targets.cargo },
      timeoutMs: 900_000,
    }),
    runAsync(process.execPath, [WHARF_BIN, "build"], {
      cwd: dirs.wharf,
      env: { ...env, CARGO_TARGET_DIR: targets.wharf },
      timeoutMs: 900_000,
    }),
  ]);
  rmSync(base, { recursive: true, force: true });
  // progress for the long full run
  if (FULL)
    process.stderr.write(`crater ${c.name}@${c.version}: cargo ${cargo.status} wharf ${wharf.status}\n`);
  return {
    name: `${c.name}@${c.version}`,
    cargo: cargo.status === 0,
    wharf: wharf.status === 0,
    detail:
      cargo.status === 0 && wharf.status === 0
        ? undefined
        : `cargo ${cargo.status}: ${cargo.stderr.slice(-300)} | wharf ${wharf.status}: ${wharf.stderr.slice(-800)}`,
  };
}

describe("wharf build succeeds wherever cargo build succeeds", () => {
  test(FULL ? "every corpus crate" : "a sample of corpus crates", async (t) => {
    const crates = corpusCrates(CORPUS_DIR);
    const chosen = FULL
      ? crates
      : SAMPLE.map((n) => crates.filter((c) => c.name === n).at(-1)).filter(
          (c): c is CorpusCrate => c !== undefined,
        );
    assert.ok(chosen.length >= (FULL ? 150 : 15), `found ${chosen.length} crates`);
    const shared = { cargo: join(home.root, "target-cargo"), wharf: join(home.root, "target-wharf") };
    // one build per tool at a time: the shared target dirs are not safe for concurrent builds
    const outcomes = await mapPool(chosen, 1, async (c) => {
      if (!FULL) return buildBoth(c, shared);
      const own = {
        cargo: join(home.root, `t-cargo-${c.name}`),
        wharf: join(home.root, `t-wharf-${c.name}`),
      };
      try {
        return await buildBoth(c, own);
      } finally {
        rmSync(own.cargo, { recursive: true, force: true });
        rmSync(own.wharf, { recursive: true, force: true });
      }
    });
    rmSync(shared.cargo, { recursive: true, force: true });
    rmSync(shared.wharf, { recursive: true, force: true });
    const cargoOk = outcomes.filter((o) => o.cargo).length;
    const both = outcomes.filter((o) => o.cargo && o.wharf).length;
    const regressions = outcomes.filter((o) => o.cargo && !o.wharf);
    const cargoOnlyFails = outcomes.filter((o) => !o.cargo);
    t.diagnostic(
      `crater: ${outcomes.length} crates, cargo built ${cargoOk}, wharf built ${both} of those; cargo failed ${cargoOnlyFails.length}` +
        (cargoOnlyFails.length > 0 ? ` (${cargoOnlyFails.map((o) => o.name).join(", ")})` : ""),
    );
    for (const o of cargoOnlyFails) t.diagnostic(`cargo failed ${o.name}: ${o.detail?.slice(0, 300)}`);
    assert.deepEqual(
      regressions.map((o) => ({ name: o.name, detail: o.detail })),
      [],
    );
  });
});
