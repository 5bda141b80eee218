/**
 * The oracle for `wharf add` / `wharf remove`: two copies of the same project (comments,
 * odd layout, inline tables, dotted keys, target tables, workspaces), real cargo runs the
 * command in one and the built wharf in the other, both against the corpus registry. Every
 * Cargo.toml must come out byte-for-byte equal, the exit status must agree, and so must the
 * status lines (Adding/Removing/Features/Locking, warnings, the first line of an error;
 * `Updating` lines are left out since they name the index differently).
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { CargoRegistryClient } from "./cargo-client.js";
import { startCorpusRegistry } from "./corpus-registry.js";
import { writeTree } from "./project.js";
import { makeTempHome, WHARF_BIN } from "./run.js";
import { mapPool, runAsync } from "./run-async.js";
import type { TestRegistry } from "./test-registry.js";

const home = makeTempHome("wharf-add-remove-diff-");
let registry: TestRegistry;
let client: CargoRegistryClient;

before(async () => {
  ({ registry, client } = await startCorpusRegistry(home));
});
after(async () => {
  await registry?.close();
  home.cleanup();
});

type Files = Record<string, string>;

const LIB = { "src/lib.rs": "" };

function pkg(manifest: string): Files {
  return { "Cargo.toml": manifest, ...LIB };
}

const PROJECTS: Record<string, Files> = {
  commented: pkg(`[package]
name = "commented"   # the crate
version = "0.1.0"
edition = "2021"

# runtime dependencies, kept sorted
[dependencies]
# logging
log = "0.4"   # keep this comment
serde = { version = "1.0", features = ["derive"] }

# trailing comment that belongs to the next header
[features]
default = []
`),
  unsorted: pkg(`[package]
name = "unsorted"
version = "0.1.0"
edition = "2021"

[dependencies]
serde = {version="1.0",default-features=false}
anyhow = "1"
    log   =   "0.4"     # indented
`),
  dotted: pkg(`[package]
name = "dotted"
version = "0.1.0"
edition = "2021"

[dependencies]
serde.version = "1.0"
serde.default-features = false
anyhow = "1.0"

[dependencies.log]
version = "0.4"
# comment inside the table
features = ["std"]
`),
  targets: pkg(`[package]
name = "targets"
version = "0.1.0"
edition = "2021"

[dependencies]
anyhow = "1.0"

[target.'cfg(unix)'.dependencies]
libc = "0.2"

[target."cfg(windows)".dev-dependencies]
memchr = "2"

[build-dependencies]
cc = "1.0"

[dev-dependencies]
itoa = "1"
`),
  bare: pkg(`[package]
name = "bare"
version = "0.1.0"
edition = "2021"
# the end
`),
  features: pkg(`[package]
name = "features"
version = "0.1.0"
edition = "2021"

[dependencies]
serde = { version = "1.0", optional = true }
serde_json = { version = "1.0", optional = true }
log = { version = "0.4", optional = true }
anyhow = "1.0"

[features]
default = ["json"]
json = [
    # the JSON backend
    "dep:serde_json",
    "serde?/std", # weak
    "serde/derive",
]
logging = ["log", "log/std"]
`),
  msrv: pkg(`[package]
name = "msrv"
version = "0.1.0"
edition = "2021"
rust-version = "1.58"

[dependencies]
`),
  "old-msrv": pkg(`[package]
name = "old-msrv"
version = "0.1.0"
edition = "2018"
rust-version = "1.50"

[dependencies]
log = "0.4"
`),
  workspace: {
    "Cargo.toml": `[workspace]
members = ["a", "b"]
resolver = "2"

[workspace.dependencies]
log = { version = "0.4", features = ["std"] }
serde = "1.0"
anyhow = "1.0"   # only used by b
`,
    "a/Cargo.toml": `[package]
name = "a"
version = "0.1.0"
edition = "2021"

[dependencies]
log.workspace = true
`,
    "a/src/lib.rs": "",
    "b/Cargo.toml": `[package]
name = "b"
version = "0.2.0"
edition = "2021"

[dependencies]
anyhow = { workspace = true }
`,
    "b/src/lib.rs": "",
  },
  "root-package": {
    "Cargo.toml": `[package]
name = "top"
version = "0.1.0"
edition = "2021"

[workspace]
members = ["helper"]

[dependencies]
anyhow = "1.0"
`,
    "src/lib.rs": "",
    "helper/Cargo.toml": `[package]
name = "helper"
version = "0.3.0"
edition = "2021"

[features]
fast = []
`,
    "helper/src/lib.rs": "",
  },
};

interface Case {
  project: string;
  args: string[];
  /** subdirectory to run in */
  cwd?: string;
}

const CASES: Case[] = [
  // adding to existing tables, sorted and unsorted
  { project: "commented", args: ["add", "anyhow"] },
  { project: "commented", args: ["add", "thiserror", "itoa"] },
  { project: "commented", args: ["add", "serde", "-F", "rc"] },
  { project: "commented", args: ["add", "log", "--no-default-features"] },
  { project: "commented", args: ["add", "regex", "--optional"] },
  { project: "commented", args: ["add", "serde_json", "--rename", "json"] },
  { project: "commented", args: ["add", "anyhow", "--dry-run"] },
  { project: "commented", args: ["add", "serde@1.0.100"] },
  { project: "commented", args: ["add", "memchr", "--dev"] },
  { project: "commented", args: ["add", "cc", "--build"] },
  { project: "commented", args: ["add", "libc", "--target", "cfg(unix)"] },
  { project: "commented", args: ["add", "serde", "-F", "nope"] },
  { project: "commented", args: ["add", "serde", "-F", "deriv"] },
  { project: "commented", args: ["add", "no-such-crate-here"] },
  { project: "commented", args: ["add", "serde-json"] },
  { project: "unsorted", args: ["add", "itoa"] },
  { project: "unsorted", args: ["add", "serde", "--default-features"] },
  { project: "unsorted", args: ["add", "log", "-F", "std"] },
  { project: "unsorted", args: ["add", "anyhow", "-F", "backtrace", "--optional"] },
  // dotted keys and header sub-tables
  { project: "dotted", args: ["add", "serde", "-F", "derive"] },
  { project: "dotted", args: ["add", "serde", "--optional"] },
  { project: "dotted", args: ["add", "log", "-F", "serde"] },
  { project: "dotted", args: ["add", "log@0.4.17"] },
  { project: "dotted", args: ["add", "either"] },
  { project: "dotted", args: ["remove", "log"] },
  { project: "dotted", args: ["remove", "serde"] },
  // target and kind tables
  { project: "targets", args: ["add", "libc", "--target", "cfg(unix)", "-F", "extra_traits"] },
  { project: "targets", args: ["add", "memchr", "--dev", "--target", "cfg(windows)"] },
  { project: "targets", args: ["add", "once_cell", "--target", "cfg(windows)"] },
  { project: "targets", args: ["add", "cc", "--build", "-F", "parallel"] },
  { project: "targets", args: ["add", "itoa", "--dev"] },
  { project: "targets", args: ["remove", "libc", "--target", "cfg(unix)"] },
  { project: "targets", args: ["remove", "libc"] },
  { project: "targets", args: ["remove", "cc", "--build"] },
  { project: "targets", args: ["remove", "cc"] },
  { project: "targets", args: ["remove", "itoa", "--dev"] },
  { project: "targets", args: ["remove", "anyhw"] },
  { project: "targets", args: ["remove", "anyhow", "--dry-run"] },
  // new tables in a manifest without any
  { project: "bare", args: ["add", "anyhow"] },
  { project: "bare", args: ["add", "log", "--dev"] },
  { project: "bare", args: ["add", "serde", "--optional", "-F", "derive"] },
  { project: "bare", args: ["add", "libc", "--target", "x86_64-unknown-linux-gnu"] },
  { project: "bare", args: ["add", "anyhow", "log", "-F", "log/std"] },
  { project: "bare", args: ["add", "anyhow", "log", "-F", "std"] },
  // features that refer to dependencies
  { project: "features", args: ["remove", "serde"] },
  { project: "features", args: ["remove", "serde_json"] },
  { project: "features", args: ["remove", "log"] },
  { project: "features", args: ["add", "serde", "--no-optional"] },
  { project: "features", args: ["add", "log", "--no-optional"] },
  { project: "features", args: ["add", "anyhow", "--optional"] },
  { project: "features", args: ["remove", "anyhow", "serde_json"] },
  // rust-version
  { project: "msrv", args: ["add", "clap"] },
  { project: "msrv", args: ["add", "clap", "--ignore-rust-version"] },
  { project: "old-msrv", args: ["add", "clap"] },
  { project: "old-msrv", args: ["add", "serde", "--optional"] },
  // workspaces
  { project: "workspace", args: ["add", "serde", "-p", "a"] },
  { project: "workspace", args: ["add", "serde", "-F", "derive"], cwd: "b" },
  { project: "workspace", args: ["add", "log", "-p", "b", "-F", "serde"] },
  { project: "workspace", args: ["add", "b", "-p", "a"] },
  { project: "workspace", args: ["add", "b", "-p", "a", "--dev"] },
  { project: "workspace", args: ["add", "itoa"] },
  { project: "workspace", args: ["add", "log", "-p", "b", "--rename", "logger"] },
  { project: "workspace", args: ["remove", "anyhow", "-p", "b"] },
  { project: "workspace", args: ["remove", "log"], cwd: "a" },
  { project: "workspace", args: ["add", "itoa", "--manifest-path", "b/Cargo.toml"] },
  { project: "root-package", args: ["add", "helper"] },
  { project: "root-package", args: ["add", "--path", "helper"] },
  { project: "root-package", args: ["add", "helper", "-F", "fast", "--dev"] },
  { project: "root-package", args: ["add", "anyhow", "-p", "helper"] },
  { project: "root-package", args: ["add", "top", "-p", "helper"] },
  { project: "root-package", args: ["remove", "anyhow"] },
];

interface Outcome {
  name: string;
  equal: boolean;
  lockEqual: boolean;
  detail?: string;
}

const STATUS = /^\s*(Adding|Removing|Locking|Features|[+-] |warning:|error:)/;

function statusLines(stderr: string, dir: string): string[] {
  const out: string[] = [];
  let inError = false;
  for (const raw of stderr.replaceAll(dir, "<ROOT>").split("\n")) {
    if (inError) continue;
    if (!STATUS.test(raw)) continue;
    out.push(raw.trimEnd());
    if (raw.startsWith("error:")) inError = true;
  }
  return out;
}

let counter = 0;

async function compare(c: Case): Promise<Outcome> {
  const name = `${c.project}: ${c.args.join(" ")}${c.cwd ? ` (in ${c.cwd})` : ""}`;
  const files = PROJECTS[c.project];
  assert.ok(files, c.project);
  const base = join(home.root, "projects", `${c.project}-${counter++}`);
  const cargoDir = join(base, "cargo");
  const wharfDir = join(base, "wharf");
  for (const d of [cargoDir, wharfDir]) {
    mkdirSync(d, { recursive: true });
    writeTree(d, files);
  }
  const env = { ...client.env, WHARF_HOME: home.wharfHome };
  const [cargo, wharf] = await Promise.all([
    runAsync("cargo", c.args, { cwd: join(cargoDir, c.cwd ?? ""), env, timeoutMs: 300_000 }),
    runAsync(process.execPath, [WHARF_BIN, ...c.args], {
      cwd: join(wharfDir, c.cwd ?? ""),
      env,
      timeoutMs: 300_000,
    }),
  ]);
  const problems: string[] = [];
  if ((cargo.status === 0) !== (wharf.status === 0))
    problems.push(`exit: cargo ${cargo.status} wharf ${wharf.status}: ${wharf.stderr.slice(-500)}`);
  for (const f of Object.keys(files).filter((f) => f.endsWith("Cargo.toml"))) {
    const a = readFileSync(join(cargoDir, f), "utf8");
    const b = readFileSync(join(wharfDir, f), "utf8");
    if (a !== b) {
      const dump = process.env.ADD_DIFF_DUMP;
      if (dump) {
        mkdirSync(dump, { recursive: true });
        const stem = name.replace(/[^\w.-]+/g, "_");
        writeFileSync(join(dump, `${stem}.cargo`), a);
        writeFileSync(join(dump, `${stem}.wharf`), b);
      }
      problems.push(`${f} differs: cargo ${JSON.stringify(a)} wharf ${JSON.stringify(b)}`);
    }
  }
  const expected = statusLines(cargo.stderr, cargoDir);
  const actual = statusLines(wharf.stderr, wharfDir);
  if (JSON.stringify(expected) !== JSON.stringify(actual))
    problems.push(`status lines: cargo ${JSON.stringify(expected)} wharf ${JSON.stringify(actual)}`);
  const lock = (d: string) =>
    existsSync(join(d, "Cargo.lock")) ? readFileSync(join(d, "Cargo.lock"), "utf8") : "";
  const lockEqual = lock(cargoDir) === lock(wharfDir);
  return {
    name,
    equal: problems.length === 0,
    lockEqual,
    ...(problems.length ? { detail: problems.join("\n") } : {}),
  };
}

describe("wharf add / remove edit Cargo.toml as cargo does", () => {
  test(`${CASES.length} invocations on ${Object.keys(PROJECTS).length} projects`, async (t) => {
    const outcomes = await mapPool(CASES, 2, compare);
    const bad = outcomes.filter((o) => !o.equal);
    const locks = outcomes.filter((o) => o.lockEqual).length;
    t.diagnostic(`add/remove: ${outcomes.length - bad.length} equal of ${outcomes.length}`);
    t.diagnostic(`Cargo.lock equal in ${locks} of ${outcomes.length}`);
    assert.deepEqual(bad, []);
  });
});
