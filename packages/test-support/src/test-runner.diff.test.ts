/**
 * `wharf test` against `cargo test` on the same fixtures (passing, failing, ignored,
 * should_panic, integration tests with registry dev-dependencies, doc tests, a workspace),
 * with the same flags: the harness summary lines (pass / fail / ignore / filter counts),
 * the `Running ...` / `Doc-tests ...` / `Executable ...` lines (hashes aside), the
 * `error:` lines naming what failed, and the exit status must be equal.
 */
import assert from "node:assert/strict";
import { mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { CargoRegistryClient } from "./cargo-client.js";
import { startCorpusRegistry } from "./corpus-registry.js";
import { type FileTree, writeTree } from "./project.js";
import { makeTempHome, WHARF_BIN } from "./run.js";
import { runAsync } from "./run-async.js";
import type { TestRegistry } from "./test-registry.js";
import { BASIC, WORKSPACE } from "./test-runner-fixtures.js";

const home = makeTempHome("wharf-testrun-");
let registry: TestRegistry;
let client: CargoRegistryClient;

before(async () => {
  ({ registry, client } = await startCorpusRegistry(home));
});
after(async () => {
  await registry?.close();
  home.cleanup();
});

interface Observed {
  status: number;
  summaries: string[];
  labels: string[];
  errors: string[];
}

const SUMMARY =
  /^test result: (ok|FAILED)\. (\d+ passed; \d+ failed; \d+ ignored; \d+ measured; \d+ filtered out)/;
const LABEL = /^\s+(Running|Doc-tests|Executable) (.*)$/;

/** what both tools must agree on, with hashes and timings taken out */
export function observe(r: { status: number; stdout: string; stderr: string }): Observed {
  const summaries = r.stdout.split("\n").flatMap((l) => {
    const m = SUMMARY.exec(l);
    return m ? [`${m[1]} ${m[2]}`] : [];
  });
  const labels = r.stderr.split("\n").flatMap((l) => {
    const m = LABEL.exec(l);
    if (m === null || m[2]!.startsWith("`")) return [];
    return [`${m[1]} ${m[2]!.replace(/-[0-9a-f]{16}\)/, "-HASH)")}`];
  });
  const errors = r.stderr
    .split("\n")
    .filter((l) => l.startsWith("error") || /^ {4}`/.test(l))
    .filter((l) => !l.startsWith("error: could not compile"));
  return { status: r.status, summaries, labels, errors };
}

function projectDirs(name: string, files: FileTree): { cargo: string; wharf: string } {
  const dirs = { cargo: join(home.root, "cargo", name), wharf: join(home.root, "wharf", name) };
  for (const d of Object.values(dirs)) {
    mkdirSync(d, { recursive: true });
    writeTree(d, files);
  }
  return dirs;
}

async function both(dirs: { cargo: string; wharf: string }, args: string[]) {
  const env = { ...client.env, WHARF_HOME: home.wharfHome, RUST_BACKTRACE: "0" };
  const [cargo, wharf] = await Promise.all([
    runAsync("cargo", args, { cwd: dirs.cargo, env, timeoutMs: 600_000 }),
    runAsync(process.execPath, [WHARF_BIN, ...args], { cwd: dirs.wharf, env, timeoutMs: 600_000 }),
  ]);
  return { cargo, wharf };
}

interface Case {
  args: string[];
}

async function compareCases(name: string, files: FileTree, cases: readonly Case[]) {
  const dirs = projectDirs(name, files);
  const results: { args: string; equal: boolean; cargo: Observed; wharf: Observed; stderr?: string }[] = [];
  for (const c of cases) {
    const { cargo, wharf } = await both(dirs, c.args);
    const oc = observe(cargo);
    const ow = observe(wharf);
    const equal = JSON.stringify(oc) === JSON.stringify(ow);
    results.push({
      args: c.args.join(" "),
      equal,
      cargo: oc,
      wharf: ow,
      stderr: equal ? undefined : wharf.stderr.slice(-1500),
    });
  }
  return results;
}

describe("wharf test gives cargo test's counts, lines and exit codes", () => {
  test("a crate with failing, ignored, should_panic, integration and doc tests", async (t) => {
    const results = await compareCases("basic", BASIC, [
      { args: ["test"] },
      { args: ["test", "--no-fail-fast"] },
      { args: ["test", "--test", "api"] },
      { args: ["test", "--test", "cli", "--test", "api"] },
      { args: ["test", "--doc"] },
      { args: ["test", "passes"] },
      { args: ["test", "--no-fail-fast", "--", "--ignored"] },
      { args: ["test", "--no-fail-fast", "--", "--include-ignored", "--exact", "tests::passes"] },
      { args: ["test", "--bins"] },
      { args: ["test", "--benches", "--no-fail-fast"] },
      { args: ["test", "--examples"] },
      { args: ["test", "--no-run"] },
      { args: ["test", "--release", "--test", "api"] },
      { args: ["bench", "--bench", "speed"] },
    ]);
    const bad = results.filter((r) => !r.equal);
    t.diagnostic(`basic: ${results.length - bad.length}/${results.length} equal to cargo`);
    const counts = results.reduce((n, r) => n + r.cargo.summaries.length, 0);
    t.diagnostic(`basic: ${counts} harness summaries compared`);
    assert.deepEqual(bad, []);
    // the fixtures really exercise failures and successes
    assert.ok(results.some((r) => r.cargo.status === 101) && results.some((r) => r.cargo.status === 0));
  });

  test("a workspace with -p, --workspace and a registry dev-dependency", async (t) => {
    const results = await compareCases("ws", WORKSPACE, [
      { args: ["test", "--workspace", "--no-fail-fast"] },
      { args: ["test", "-p", "core-lib"] },
      { args: ["test", "-p", "app"] },
      { args: ["test", "-p", "app", "--test", "hexed"] },
    ]);
    const bad = results.filter((r) => !r.equal);
    t.diagnostic(`workspace: ${results.length - bad.length}/${results.length} equal to cargo`);
    assert.deepEqual(bad, []);
  });

  test("wharf doc writes the pages cargo doc writes", async (t) => {
    const dirs = projectDirs("ws-doc", WORKSPACE);
    const { cargo, wharf } = await both(dirs, ["doc", "--workspace"]);
    assert.equal(wharf.status, cargo.status, wharf.stderr);
    const pages = (root: string) =>
      readdirSync(join(root, "target", "doc"), { recursive: true, encoding: "utf8" })
        .filter((f) => f.endsWith("/index.html") && f.split("/").length === 2)
        .sort();
    const expected = pages(dirs.cargo);
    t.diagnostic(`doc: ${expected.length} crate front pages`);
    assert.deepEqual(pages(dirs.wharf), expected);
    const generated = (s: string) =>
      s
        .split("\n")
        .filter((l) => l.includes("Generated"))
        .map((l) => l.replace(/\/tmp\/\S+\/target\//, "TARGET/"));
    assert.deepEqual(generated(wharf.stderr), generated(cargo.stderr));
  });
});
