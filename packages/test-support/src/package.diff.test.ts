/**
 * The oracle for `wharf package`: real cargo and the built wharf package the same inputs
 * (the fixture packages of package-fixtures.ts and crates copied from the Debian corpus),
 * resolving against a Wharf registry holding the corpus. Compared: the `--list` output
 * (equal text), the set of files in the two .crate files, each file's bytes (Cargo.toml as
 * parsed TOML data, since the bytes are the normalized layout), the uncompressed tar bytes,
 * and that packaging the same input twice gives identical .crate bytes. cargo's gzip
 * stream differs from Node's zlib (zlib-rs), so .crate files are compared unpacked.
 */
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { gunzipSync } from "node:zlib";
import { readCrateArchive } from "@wharf/protocol";
import { parse } from "smol-toml";
import type { CargoRegistryClient } from "./cargo-client.js";
import { CORPUS_DIR, startCorpusRegistry } from "./corpus-registry.js";
import { type PackageFixture, packageFixtures, writePackageFixture } from "./package-fixtures.js";
import { makeTempHome, WHARF_BIN } from "./run.js";
import { mapPool, runAsync } from "./run-async.js";
import type { TestRegistry } from "./test-registry.js";

/**
 * corpus crates copied and packaged by both tools: a sample across sizes and layouts whose
 * dependencies (dev ones included, which the packaged Cargo.lock needs) the corpus holds.
 * WHARF_DIFF_FULL=1 takes every corpus crate.
 */
const CORPUS_SAMPLE = [
  "adler-1.0.2",
  "aho-corasick-0.7.19",
  "autocfg-1.1.0",
  "byteorder-1.4.3",
  "cfg-if-1.0.0",
  "clap-2.34.0",
  "either-1.6.1",
  "env_logger-0.9.3",
  "futures-util-0.3.21",
  "getrandom-0.2.8",
  "itoa-1.0.1",
  "libc-0.2.139",
  "memchr-2.5.0",
  "num-traits-0.2.15",
  "once_cell-1.17.0",
  "proc-macro2-1.0.47",
  "regex-1.7.1",
  "scopeguard-1.1.0",
  "semver-1.0.14",
  "serde-1.0.152",
  "serde_derive-1.0.152",
  "toml-0.5.11",
  "unicode-width-0.1.10",
  "url-2.3.1",
  "version_check-0.9.4",
];
const FULL = process.env.WHARF_DIFF_FULL === "1";

const home = makeTempHome("wharf-package-diff-");
let registry: TestRegistry;
let client: CargoRegistryClient;

before(async () => {
  ({ registry, client } = await startCorpusRegistry(home));
});
after(async () => {
  await registry?.close();
  home.cleanup();
});

interface Comparison {
  name: string;
  list: boolean;
  /** both tools made a .crate */
  packaged: boolean;
  /** both refused to package (counts as agreement, reported apart) */
  bothFailed: boolean;
  sameFileSet: boolean;
  filesEqual: number;
  filesTotal: number;
  manifestEqual: boolean;
  tarEqual: boolean;
  deterministic: boolean;
  details: string[];
}

function run(tool: "cargo" | "wharf", dir: string, args: string[]) {
  const env = { ...client.env, WHARF_HOME: home.wharfHome };
  return tool === "cargo"
    ? runAsync("cargo", args, { cwd: dir, env, timeoutMs: 300_000 })
    : runAsync(process.execPath, [WHARF_BIN, ...args], { cwd: dir, env, timeoutMs: 300_000 });
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value !== null && typeof value === "object" && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortedKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

async function compareDirs(
  name: string,
  cargoDir: string,
  wharfDir: string,
  crate: { name: string; version: string },
  args: string[],
  targetRoot: { cargo: string; wharf: string },
): Promise<Comparison> {
  const c: Comparison = {
    name,
    list: false,
    packaged: false,
    bothFailed: false,
    sameFileSet: false,
    filesEqual: 0,
    filesTotal: 0,
    manifestEqual: false,
    tarEqual: false,
    deterministic: false,
    details: [],
  };
  const [cargoList, wharfList] = await Promise.all([
    run("cargo", cargoDir, ["package", "--list", "--allow-dirty", ...args]),
    run("wharf", wharfDir, ["package", "--list", "--allow-dirty", ...args]),
  ]);
  c.list = cargoList.status === wharfList.status && cargoList.stdout === wharfList.stdout;
  if (!c.list) {
    c.details.push(
      `list: cargo ${cargoList.status} ${JSON.stringify(cargoList.stdout)} ${cargoList.stderr.slice(-300)} | wharf ${wharfList.status} ${JSON.stringify(wharfList.stdout)} ${wharfList.stderr.slice(-300)}`,
    );
  }
  const pack = ["package", "--allow-dirty", "--no-verify", ...args];
  const cargoPack = await run("cargo", cargoDir, pack);
  const wharfPack = await run("wharf", wharfDir, pack);
  if (cargoPack.status !== 0 || wharfPack.status !== 0) {
    c.bothFailed = cargoPack.status !== 0 && wharfPack.status !== 0;
    c.details.push(
      `package: cargo ${cargoPack.status} ${cargoPack.stderr.slice(-400)} | wharf ${wharfPack.status} ${wharfPack.stderr.slice(-400)}`,
    );
    return c;
  }
  c.packaged = true;
  const file = `${crate.name}-${crate.version}.crate`;
  const cargoBytes = readFileSync(join(targetRoot.cargo, "target", "package", file));
  const wharfBytes = readFileSync(join(targetRoot.wharf, "target", "package", file));
  const cargoCrate = readCrateArchive(cargoBytes, crate);
  const wharfCrate = readCrateArchive(wharfBytes, crate);
  const cargoFiles = new Map(cargoCrate.files.map((f) => [f.path, f]));
  const wharfFiles = new Map(wharfCrate.files.map((f) => [f.path, f]));
  const cargoNames = [...cargoFiles.keys()];
  const wharfNames = [...wharfFiles.keys()];
  c.sameFileSet = JSON.stringify(cargoNames) === JSON.stringify(wharfNames);
  if (!c.sameFileSet) c.details.push(`files: cargo ${cargoNames.join(",")} | wharf ${wharfNames.join(",")}`);
  c.filesTotal = cargoNames.length;
  for (const [path, cf] of cargoFiles) {
    const wf = wharfFiles.get(path);
    if (!wf) continue;
    const same = Buffer.compare(Buffer.from(cf.bytes), Buffer.from(wf.bytes)) === 0 && cf.mode === wf.mode;
    if (same) c.filesEqual++;
    else c.details.push(`bytes differ: ${path}`);
    if (path === "Cargo.toml") {
      const a = sortedKeys(parse(new TextDecoder().decode(cf.bytes)));
      const b = sortedKeys(parse(new TextDecoder().decode(wf.bytes)));
      c.manifestEqual = JSON.stringify(a) === JSON.stringify(b);
      if (!c.manifestEqual) {
        c.details.push(
          `Cargo.toml data differs:\n${new TextDecoder().decode(cf.bytes)}\n---\n${new TextDecoder().decode(wf.bytes)}`,
        );
      }
    }
  }
  c.tarEqual = Buffer.compare(gunzipSync(cargoBytes), gunzipSync(wharfBytes)) === 0;
  const again = await run("wharf", wharfDir, pack);
  const againBytes = readFileSync(join(targetRoot.wharf, "target", "package", file));
  c.deterministic = again.status === 0 && Buffer.compare(againBytes, wharfBytes) === 0;
  return c;
}

async function compareFixture(fixture: PackageFixture): Promise<Comparison> {
  const base = join(home.root, "fixtures", fixture.name);
  const cargoRoot = join(base, "cargo");
  const wharfRoot = join(base, "wharf");
  await writePackageFixture(cargoRoot, fixture, home.home);
  await writePackageFixture(wharfRoot, fixture, home.home);
  return compareDirs(
    fixture.name,
    join(cargoRoot, fixture.pkgDir),
    join(wharfRoot, fixture.pkgDir),
    fixture.crate,
    fixture.args ?? [],
    {
      cargo: join(cargoRoot, fixture.wsDir ?? fixture.pkgDir),
      wharf: join(wharfRoot, fixture.wsDir ?? fixture.pkgDir),
    },
  );
}

async function compareCorpusCrate(dirName: string): Promise<Comparison> {
  const base = join(home.root, "corpus", dirName);
  const dirs = { cargo: join(base, "cargo"), wharf: join(base, "wharf") };
  mkdirSync(base, { recursive: true });
  for (const d of Object.values(dirs)) {
    const cp = await runAsync("cp", ["-r", "--", join(CORPUS_DIR, dirName), d], {
      cwd: home.root,
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
    });
    assert.equal(cp.status, 0, cp.stderr);
    // a pinned toolchain would make the rustup proxy refuse to run cargo here
    for (const f of ["rust-toolchain", "rust-toolchain.toml"]) rmSync(join(d, f), { force: true });
  }
  const text = readFileSync(join(dirs.cargo, "Cargo.toml"), "utf8");
  const parsed = parse(text) as { package: { name: string; version: string } };
  return compareDirs(dirName, dirs.cargo, dirs.wharf, parsed.package, [], dirs);
}

function summarize(t: { diagnostic: (m: string) => void }, label: string, outcomes: Comparison[]): void {
  const n = outcomes.length;
  const count = (f: (c: Comparison) => boolean) => outcomes.filter(f).length;
  const packaged = outcomes.filter((c) => c.packaged);
  if (process.env.WHARF_PACKAGE_DIFF_LOG) {
    writeFileSync(`${process.env.WHARF_PACKAGE_DIFF_LOG}.${label}.json`, JSON.stringify(outcomes, null, 2));
  }
  t.diagnostic(
    `${label}: --list equal ${count((c) => c.list)}/${n}; packaged by both ${packaged.length}/${n} (both refused ${count((c) => c.bothFailed)}); ` +
      `same file set ${count((c) => c.sameFileSet)}/${packaged.length}; files byte-equal ${packaged.reduce((s, c) => s + c.filesEqual, 0)}/${packaged.reduce((s, c) => s + c.filesTotal, 0)}; ` +
      `Cargo.toml data equal ${count((c) => c.manifestEqual)}/${packaged.length}; tar equal ${count((c) => c.tarEqual)}/${packaged.length}; ` +
      `deterministic ${count((c) => c.deterministic)}/${packaged.length}`,
  );
}

describe("wharf package packages what cargo package packages", () => {
  test("fixture packages", async (t) => {
    const outcomes = await mapPool(packageFixtures(), 2, compareFixture);
    summarize(t, "fixtures", outcomes);
    const bad = outcomes.filter(
      (c) => !c.list || !c.packaged || !c.sameFileSet || !c.manifestEqual || !c.deterministic,
    );
    assert.deepEqual(
      bad.map((c) => ({ name: c.name, details: c.details })),
      [],
    );
  });

  test("corpus crates copied out of the Debian registry", async (t) => {
    const dirs = readdirSync(CORPUS_DIR).sort();
    const chosen = FULL ? dirs : CORPUS_SAMPLE.filter((d) => dirs.includes(d));
    assert.ok(chosen.length >= 15, `found ${chosen.length} corpus crates`);
    const outcomes = await mapPool(chosen, 2, compareCorpusCrate);
    summarize(t, "corpus", outcomes);
    const bad = outcomes.filter(
      (c) =>
        !c.list ||
        (!c.packaged && !c.bothFailed) ||
        (c.packaged && (!c.sameFileSet || !c.manifestEqual || !c.deterministic)),
    );
    assert.deepEqual(
      bad.map((c) => ({ name: c.name, details: c.details })),
      [],
    );
  });
});
