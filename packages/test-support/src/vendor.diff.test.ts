/**
 * The oracle for `wharf vendor`: real `cargo vendor` and the built wharf vendor the same
 * projects from a Wharf registry holding the Debian corpus (crates-io replaced by it, so both
 * run with --respect-source-config), and the results must be equal: the same tree (every
 * path, type and permission), every file byte for byte, each `.cargo-checksum.json` as
 * data, the stdout config snippet and Cargo.lock. Then the air-gapped use, with the registry
 * stopped and fresh homes that know no registry: real cargo resolves and builds from wharf's
 * vendor dir with wharf's snippet, and wharf's generate-lockfile against it writes the same
 * Cargo.lock. Last, tampering: an edited vendored file is refused by wharf (naming the file)
 * and by cargo, and wharf never deletes or follows what it did not write.
 */
import assert from "node:assert/strict";
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { CargoRegistryClient } from "./cargo-client.js";
import { CORPUS_DIR, startCorpusRegistry } from "./corpus-registry.js";
import {
  corpusCrates,
  type LockfileProject,
  singleDependencyProject,
  workspaceProjects,
} from "./lockfile-projects.js";
import { writeTree } from "./project.js";
import { makeTempHome, WHARF_BIN } from "./run.js";
import { runAsync } from "./run-async.js";
import type { TestRegistry } from "./test-registry.js";

const home = makeTempHome("wharf-vendor-diff-");
let registry: TestRegistry | undefined;
let client: CargoRegistryClient;

before(async () => {
  ({ registry, client } = await startCorpusRegistry(home));
});
after(async () => {
  await registry?.close();
  home.cleanup();
});

function onlineEnv(): Record<string, string> {
  return { ...client.env, WHARF_HOME: home.wharfHome };
}

/** Homes that know no registry and no CA: nothing but the project's own config. */
function offlineEnv(name: string): Record<string, string> {
  const root = join(home.root, "offline", name);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: join(root, "home"),
    CARGO_HOME: join(root, "cargo"),
    WHARF_HOME: join(root, "wharf"),
    CARGO_TERM_COLOR: "never",
    NO_COLOR: "1",
    RUSTUP_AUTO_INSTALL: "0",
    RUSTUP_HOME: client.env.RUSTUP_HOME ?? join(process.env.HOME ?? "/root", ".rustup"),
  };
  if (client.env.RUSTUP_TOOLCHAIN) env.RUSTUP_TOOLCHAIN = client.env.RUSTUP_TOOLCHAIN;
  for (const d of [env.HOME!, env.CARGO_HOME!, env.WHARF_HOME!]) mkdirSync(d, { recursive: true });
  return env;
}

function wharf(args: string[], cwd: string, env: Record<string, string>) {
  return runAsync(process.execPath, [WHARF_BIN, ...args], { cwd, env, timeoutMs: 300_000 });
}

function cargo(args: string[], cwd: string, env: Record<string, string>) {
  return runAsync("cargo", args, { cwd, env, timeoutMs: 300_000 });
}

/** path -> "type mode" for every entry under `root`, never following symlinks. */
function treeOf(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string) => {
    for (const name of readdirSync(join(root, rel)).sort()) {
      const path = rel === "" ? name : `${rel}/${name}`;
      const st = lstatSync(join(root, path));
      const type = st.isDirectory() ? "dir" : st.isFile() ? "file" : "other";
      out.set(path, `${type} ${(st.mode & 0o777).toString(8)}`);
      if (st.isDirectory()) walk(path);
    }
  };
  if (existsSync(root)) walk("");
  return out;
}

interface Case {
  project: LockfileProject;
  args?: string[];
}

interface Outcome {
  name: string;
  equal: boolean;
  detail?: string;
  packages?: number;
}

async function compare({ project, args = [] }: Case, label: string): Promise<Outcome> {
  const base = join(home.root, "projects", label);
  const cargoDir = join(base, "cargo");
  const wharfDir = join(base, "wharf");
  for (const d of [cargoDir, wharfDir]) {
    mkdirSync(d, { recursive: true });
    writeTree(d, project.files);
  }
  const env = onlineEnv();
  const argv = ["vendor", "--respect-source-config", ...args];
  const [c, w] = await Promise.all([cargo(argv, cargoDir, env), wharf(argv, wharfDir, env)]);
  const fail = (detail: string): Outcome => ({ name: label, equal: false, detail });
  if (c.status !== 0 || w.status !== 0) {
    return fail(`cargo ${c.status}: ${c.stderr.slice(-400)} | wharf ${w.status}: ${w.stderr.slice(-600)}`);
  }
  if (c.stdout !== w.stdout)
    return fail(`stdout: cargo ${JSON.stringify(c.stdout)} wharf ${JSON.stringify(w.stdout)}`);
  const lockC = readFileSync(join(cargoDir, "Cargo.lock"), "utf8");
  const lockW = readFileSync(join(wharfDir, "Cargo.lock"), "utf8");
  if (lockC !== lockW) return fail("Cargo.lock differs");
  const vendorRel = args.find((a) => !a.startsWith("-")) ?? "vendor";
  const treeC = treeOf(join(cargoDir, vendorRel));
  const treeW = treeOf(join(wharfDir, vendorRel));
  for (const [path, what] of treeC) {
    if (treeW.get(path) !== what) return fail(`${path}: cargo ${what}, wharf ${treeW.get(path) ?? "absent"}`);
  }
  for (const path of treeW.keys()) if (!treeC.has(path)) return fail(`${path}: only wharf has it`);
  let packages = 0;
  for (const [path, what] of treeC) {
    if (!what.startsWith("file")) continue;
    const bytesC = readFileSync(join(cargoDir, vendorRel, path));
    const bytesW = readFileSync(join(wharfDir, vendorRel, path));
    if (path.endsWith("/.cargo-checksum.json")) {
      packages++;
      assert.deepEqual(JSON.parse(bytesW.toString("utf8")), JSON.parse(bytesC.toString("utf8")), path);
    }
    if (!bytesC.equals(bytesW)) return fail(`${path}: bytes differ`);
  }
  return { name: label, equal: true, packages };
}

const SINGLE = ["anyhow", "serde_json", "regex", "syn", "cfg-if"];
const WS = new Map(workspaceProjects().map((p) => [p.name, p]));

/** Leaf crates taken from the registry by name, so the snippet names a non-crates.io source. */
const ALT_REGISTRY: LockfileProject = {
  name: "alt-registry",
  files: {
    "Cargo.toml": `[package]\nname = "alt"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\ncfg-if = { version = "1", registry = "wharf" }\nitoa = { version = "1", registry = "wharf" }\n`,
    "src/lib.rs": "",
  },
};

const SMALL: LockfileProject = {
  name: "small",
  files: {
    "Cargo.toml": `[package]\nname = "small"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\ncfg-if = "1"\nitoa = "1"\n`,
    "src/lib.rs":
      "pub fn n() -> String { itoa::Buffer::new().format(7).to_string() }\ncfg_if::cfg_if! { if #[cfg(unix)] { pub const UNIX: bool = true; } }\n",
  },
};

/** `name = "=<newest corpus version>"` as the only dependency */
function corpusProject(name: string): LockfileProject {
  const krate = corpusCrates(CORPUS_DIR)
    .filter((c) => c.name === name)
    .at(-1);
  assert.ok(krate, `${name} is not in the corpus`);
  return singleDependencyProject(krate);
}

describe("wharf vendor writes cargo's vendor directory", () => {
  test("a corpus crate as the single dependency", async (t) => {
    const outcomes: Outcome[] = [];
    for (const name of SINGLE) {
      const project = corpusProject(name);
      outcomes.push(await compare({ project }, `single-${name}`));
    }
    const bad = outcomes.filter((o) => !o.equal);
    const pkgs = outcomes.reduce((n, o) => n + (o.packages ?? 0), 0);
    t.diagnostic(
      `single-dependency projects: ${outcomes.length - bad.length} equal of ${outcomes.length} (${pkgs} packages)`,
    );
    assert.deepEqual(bad, []);
  });

  test("workspaces with path members and duplicate versions (name-version dirs), --versioned-dirs, a custom path", async (t) => {
    const cases: [string, Case][] = [
      ["ws-two-versions", { project: WS.get("ws-two-versions")! }],
      ["ws-virtual", { project: WS.get("ws-virtual")! }],
      ["ws-renamed", { project: WS.get("ws-renamed")! }],
      ["ws-targets-versioned", { project: WS.get("ws-targets")!, args: ["--versioned-dirs"] }],
      ["ws-empty-member-path", { project: WS.get("ws-empty-member")!, args: ["third-party/vendored"] }],
      ["alt-registry", { project: ALT_REGISTRY }],
    ];
    const outcomes: Outcome[] = [];
    for (const [label, c] of cases) outcomes.push(await compare(c, label));
    const bad = outcomes.filter((o) => !o.equal);
    const pkgs = outcomes.reduce((n, o) => n + (o.packages ?? 0), 0);
    t.diagnostic(
      `workspace projects: ${outcomes.length - bad.length} equal of ${outcomes.length} (${pkgs} packages)`,
    );
    assert.deepEqual(bad, []);
    // the duplicate-version case really produced suffixed dirs
    const two = readdirSync(join(home.root, "projects", "ws-two-versions", "wharf", "vendor"));
    assert.ok(two.some((d) => /^clap-2\./.test(d)) && two.includes("clap"), two.join(" "));
  });

  test("a project without dependencies: no snippet, no vendor dir, in both", async () => {
    const project = WS.get("ws-no-deps")!;
    const base = join(home.root, "projects", "no-deps");
    for (const d of ["cargo", "wharf"]) writeTree(join(base, d), project.files);
    const c = await cargo(["vendor", "--respect-source-config"], join(base, "cargo"), onlineEnv());
    const w = await wharf(["vendor", "--respect-source-config"], join(base, "wharf"), onlineEnv());
    assert.equal(c.status, 0, c.stderr);
    assert.equal(w.status, 0, w.stderr);
    assert.equal(w.stdout, c.stdout);
    assert.equal(c.stdout, "");
    assert.match(w.stderr, /There is no dependency to vendor in this project\./);
    assert.equal(existsSync(join(base, "wharf", "vendor")), existsSync(join(base, "cargo", "vendor")));
  });

  test("-s/--sync vendors a second workspace into the same directory", async () => {
    const base = join(home.root, "projects", "sync");
    for (const tool of ["cargo", "wharf"]) {
      writeTree(join(base, tool, "main"), SMALL.files);
      writeTree(join(base, tool, "other"), WS.get("ws-two-versions")!.files);
    }
    // absolute: cargo mistakes `../other/app` for a member of another workspace when given `..`
    const argv = (tool: string) => [
      "vendor",
      "--respect-source-config",
      "-s",
      join(base, tool, "other", "Cargo.toml"),
    ];
    const c = await cargo(argv("cargo"), join(base, "cargo", "main"), onlineEnv());
    const w = await wharf(argv("wharf"), join(base, "wharf", "main"), onlineEnv());
    assert.equal(c.status, 0, c.stderr);
    assert.equal(w.status, 0, w.stderr);
    assert.equal(w.stdout, c.stdout);
    const treeC = treeOf(join(base, "cargo", "main", "vendor"));
    const treeW = treeOf(join(base, "wharf", "main", "vendor"));
    assert.deepEqual([...treeW.entries()], [...treeC.entries()]);
    assert.equal(
      readFileSync(join(base, "wharf", "other", "Cargo.lock"), "utf8"),
      readFileSync(join(base, "cargo", "other", "Cargo.lock"), "utf8"),
    );
  });

  test("without --respect-source-config both go to crates.io itself, which is unreachable here", async () => {
    const base = join(home.root, "projects", "no-respect");
    for (const d of ["cargo", "wharf"]) writeTree(join(base, d), SMALL.files);
    const c = await cargo(["vendor"], join(base, "cargo"), onlineEnv());
    const w = await wharf(["vendor"], join(base, "wharf"), onlineEnv());
    assert.notEqual(c.status, 0);
    assert.notEqual(w.status, 0);
    assert.match(w.stderr, /crates\.io/);
  });

  test("re-vendoring replaces earlier output, deletes stale packages, and refuses to delete anything else", async () => {
    const dir = join(home.root, "projects", "revendor");
    writeTree(dir, SMALL.files);
    const env = onlineEnv();
    let r = await wharf(["vendor", "--respect-source-config"], dir, env);
    assert.equal(r.status, 0, r.stderr);
    // a stale package from an earlier vendor run goes; a dot entry stays
    cpSync(join(dir, "vendor", "itoa"), join(dir, "vendor", "itoa-0.0.1"), { recursive: true });
    writeFileSync(join(dir, "vendor", ".keep"), "");
    r = await wharf(["vendor", "--respect-source-config"], dir, env);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(readdirSync(join(dir, "vendor")).sort(), [".keep", "cfg-if", "itoa"]);

    // something vendor did not write: refused before anything is touched (cargo would delete it)
    writeTree(join(dir, "vendor"), { "my-notes/todo.txt": "mine\n" });
    writeFileSync(join(dir, "vendor", "cfg-if", "src", "lib.rs"), "tampered\n");
    r = await wharf(["vendor", "--respect-source-config"], dir, env);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /refusing to delete `[^`]*vendor\/my-notes`/);
    assert.equal(readFileSync(join(dir, "vendor", "my-notes", "todo.txt"), "utf8"), "mine\n");
    assert.equal(readFileSync(join(dir, "vendor", "cfg-if", "src", "lib.rs"), "utf8"), "tampered\n");
    // a symlink in the vendor dir is neither followed nor deleted
    symlinkSync(join(dir, "src"), join(dir, "vendor", "linked"));
    r = await wharf(["vendor", "--respect-source-config", "--no-delete"], dir, env);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(readFileSync(join(dir, "vendor", "my-notes", "todo.txt"), "utf8"), "mine\n");
    assert.ok(lstatSync(join(dir, "vendor", "linked")).isSymbolicLink());
    assert.ok(existsSync(join(dir, "src", "lib.rs")));
    // --no-delete still re-vendors what it owns: the edit is gone
    assert.notEqual(readFileSync(join(dir, "vendor", "cfg-if", "src", "lib.rs"), "utf8"), "tampered\n");
  });

  test("air-gapped: registry stopped, fresh homes; cargo and wharf use wharf's vendor dir", async () => {
    // vendor the projects used below while the registry still runs
    const cases: [string, LockfileProject][] = [
      ["gap-small", SMALL],
      ["gap-ws", WS.get("ws-two-versions")!],
      ["gap-alt", ALT_REGISTRY],
    ];
    const locks = new Map<string, string>();
    for (const [label, project] of cases) {
      const dir = join(home.root, "projects", label);
      writeTree(dir, project.files);
      const r = await wharf(["vendor", "--respect-source-config"], dir, onlineEnv());
      assert.equal(r.status, 0, r.stderr);
      // the registry stays named (the alt-registry manifest says `registry = "wharf"`) but is replaced
      const named = `[registries.wharf]\nindex = "${client.indexUrl}"\n\n`;
      writeTree(dir, { ".cargo/config.toml": `${named}${r.stdout}` });
      locks.set(label, readFileSync(join(dir, "Cargo.lock"), "utf8"));
    }
    await registry?.close();
    registry = undefined;

    for (const [label] of cases) {
      const dir = join(home.root, "projects", label);
      const env = offlineEnv(label);
      const expected = locks.get(label)!;
      let r = await cargo(["generate-lockfile", "--offline"], dir, env);
      assert.equal(r.status, 0, `${label}: cargo generate-lockfile: ${r.stderr}`);
      assert.equal(readFileSync(join(dir, "Cargo.lock"), "utf8"), expected, `${label}: cargo's lock`);
      r = await cargo(["metadata", "--offline", "--format-version", "1"], dir, env);
      assert.equal(r.status, 0, `${label}: cargo metadata: ${r.stderr}`);
      rmSync(join(dir, "Cargo.lock"));
      r = await wharf(["generate-lockfile", "--offline"], dir, env);
      assert.equal(r.status, 0, `${label}: wharf generate-lockfile: ${r.stderr}`);
      assert.equal(readFileSync(join(dir, "Cargo.lock"), "utf8"), expected, `${label}: wharf's lock`);
    }
    // and real cargo builds from it
    const small = join(home.root, "projects", "gap-small");
    const built = await cargo(["check", "--offline"], small, offlineEnv("gap-small"));
    assert.equal(built.status, 0, built.stderr);
  });

  test("tampered vendor dir: wharf names the edited file, cargo refuses too; symlinks are refused", async () => {
    const dir = join(home.root, "projects", "gap-small");
    const env = offlineEnv("tamper");
    const lib = join(dir, "vendor", "itoa", "src", "lib.rs");
    writeFileSync(lib, `${readFileSync(lib, "utf8")}\n// edited\n`);
    let r = await wharf(["generate-lockfile", "--offline"], dir, env);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /the listed checksum of `[^`]*vendor\/itoa\/src\/lib\.rs` has changed/);
    // cargo verifies only units it is about to build (an up-to-date build never notices): fresh target dir
    const c = await cargo(["check", "--offline"], dir, {
      ...env,
      CARGO_TARGET_DIR: join(home.root, "tamper-target"),
    });
    assert.notEqual(c.status, 0);
    assert.match(c.stderr, /the listed checksum of `[^`]*vendor\/itoa\/src\/lib\.rs` has changed/);

    // a listed file swapped for a symlink to a copy outside the vendor dir: never read
    const gap = join(home.root, "projects", "gap-ws");
    const pkgDir = join(gap, "vendor", "serde");
    const listed = JSON.parse(readFileSync(join(pkgDir, ".cargo-checksum.json"), "utf8")) as {
      files: Record<string, string>;
    };
    const rel = Object.keys(listed.files).find((f) => f.startsWith("src/"))!;
    const outside = join(home.root, "outside.rs");
    writeFileSync(outside, readFileSync(join(pkgDir, rel)));
    rmSync(join(pkgDir, rel));
    symlinkSync(outside, join(pkgDir, rel));
    r = await wharf(["generate-lockfile", "--offline"], gap, offlineEnv("tamper-link"));
    assert.notEqual(r.status, 0);
    assert.match(
      r.stderr,
      new RegExp(`vendor/serde/${rel.replace(/[.]/g, "\\.")}\` of serde v[^ ]+ is behind a symbolic link`),
    );

    // a package dir that is a symlink is refused as a whole
    const alt = join(home.root, "projects", "gap-alt");
    symlinkSync(pkgDir, join(alt, "vendor", "planted"));
    r = await wharf(["generate-lockfile", "--offline"], alt, offlineEnv("tamper-dir"));
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /vendor\/planted` in directory source `vendored-sources` is a symbolic link/);
  });
});
