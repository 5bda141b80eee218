/**
 * Incremental builds, side by side with real cargo: the same path-only workspace (a bin, two
 * libs, a lib with a `links` build script using both `cargo::` and `cargo:` directives, a
 * build script reading DEP_* metadata, a local proc macro) goes through the same steps with
 * both tools, and the set of packages each step recompiles must be cargo's. A no-op build
 * starts no process at all (RUSTC is a wrapper that logs every call). Also: the programs'
 * output (build-script cfgs, rustc-env, DEP_ metadata, proc macro) matches cargo's,
 * `--message-format json` carries cargo's reasons, and `wharf clean -p` forces a rebuild.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, readdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { after, describe, test } from "node:test";
import { writeTree } from "./project.js";
import { makeTempHome, type RunResult, runCargo, runWharf } from "./run.js";

const home = makeTempHome("wharf-incr-");
after(() => home.cleanup());

const SYSROOT_RUSTC = join(
  execFileSync("rustc", ["--print", "sysroot"], { encoding: "utf8", env: home.env }).trim(),
  "bin",
  "rustc",
);

const WORKSPACE = {
  "Cargo.toml": `[workspace]\nmembers = ["app", "mid", "leaf", "other", "pm"]\nresolver = "2"\n`,
  "app/Cargo.toml": `[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\nmid = { path = "../mid" }\nother = { path = "../other" }\npm = { path = "../pm" }\n\n[features]\nextra = ["mid/extra"]\n`,
  "app/src/main.rs": `pm::make_answer!();\nfn main() {\n    println!("{} {} {}", mid::describe(), other::other(), answer());\n}\n`,
  "mid/Cargo.toml": `[package]\nname = "mid"\nversion = "0.1.0"\nedition = "2021"\nbuild = "build.rs"\n\n[dependencies]\nleaf = { path = "../leaf" }\n\n[features]\nextra = []\n`,
  "mid/build.rs": `fn main() {\n    println!("cargo::rerun-if-changed=build.rs");\n    let v = std::env::var("DEP_LEAF_ANSWER").unwrap_or_default();\n    println!("cargo::rustc-env=MID_ANSWER={}", v);\n}\n`,
  "mid/src/lib.rs": `pub fn describe() -> String {\n    let extra = if cfg!(feature = "extra") { "extra" } else { "plain" };\n    format!("{} {} {} {}", leaf::leaf(), leaf::knob(), env!("MID_ANSWER"), extra)\n}\n`,
  "leaf/Cargo.toml": `[package]\nname = "leaf"\nversion = "0.1.0"\nedition = "2021"\nlinks = "leaf"\n`,
  "leaf/build.rs": `fn main() {\n    println!("cargo::rerun-if-changed=build.rs");\n    println!("cargo::rerun-if-env-changed=DOCK_TEST_KNOB");\n    println!("cargo::rustc-check-cfg=cfg(knob)");\n    if std::env::var("DOCK_TEST_KNOB").is_ok() {\n        println!("cargo::rustc-cfg=knob");\n    }\n    println!("cargo:rustc-env=LEAF_ENV=from-old-syntax");\n    println!("cargo::metadata=answer=42");\n    std::fs::write(std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("gen.rs"), "pub fn generated() -> u32 { 7 }").unwrap();\n}\n`,
  "leaf/src/lib.rs": `include!(concat!(env!("OUT_DIR"), "/gen.rs"));\npub fn leaf() -> String {\n    format!("leaf-{}-{}", env!("LEAF_ENV"), generated())\n}\n#[cfg(knob)]\npub fn knob() -> &'static str { "knob-on" }\n#[cfg(not(knob))]\npub fn knob() -> &'static str { "knob-off" }\n`,
  "other/Cargo.toml": `[package]\nname = "other"\nversion = "0.1.0"\nedition = "2021"\n`,
  "other/src/lib.rs": `pub fn other() -> &'static str { "other" }\n`,
  "pm/Cargo.toml": `[package]\nname = "pm"\nversion = "0.1.0"\nedition = "2021"\n\n[lib]\nproc-macro = true\n`,
  "pm/src/lib.rs": `use proc_macro::TokenStream;\n#[proc_macro]\npub fn make_answer(_item: TokenStream) -> TokenStream {\n    "fn answer() -> u32 { 42 }".parse().unwrap()\n}\n`,
};

const cargoDir = join(home.root, "cargo");
const wharfDir = join(home.root, "wharf");
writeTree(cargoDir, WORKSPACE);
cpSync(cargoDir, wharfDir, { recursive: true });
// rustc runs in the build sandbox, which can write only its own work dir: the wrapper logs
// next to the TMPDIR it is given there, and the test gathers those logs from target/
const WRAPPER_LOG = "rustc-calls.log";
const wrapper = join(home.root, "rustc-wrapper.sh");
writeFileSync(wrapper, `#!/bin/sh\necho "$*" >> "$TMPDIR/../${WRAPPER_LOG}"\nexec '${SYSROOT_RUSTC}' "$@"\n`);
chmodSync(wrapper, 0o755);

function env(extra: Record<string, string> = {}): Record<string, string> {
  return { ...home.env, ...extra };
}

function compiled(r: RunResult): string[] {
  return [...r.stderr.matchAll(/^\s+(?:Compiling|Checking) (\S+) v/gm)].map((m) => m[1]!).sort();
}

function both(args: string[], extra: Record<string, string> = {}): { cargo: RunResult; wharf: RunResult } {
  const cargo = runCargo(args, { cwd: join(cargoDir, "app"), env: env(extra), timeoutMs: 300_000 });
  const wharf = runWharf(["-v", ...args], {
    cwd: join(wharfDir, "app"),
    env: env({ ...extra, RUSTC: wrapper }),
    timeoutMs: 300_000,
  });
  assert.equal(cargo.status, 0, cargo.stderr);
  assert.equal(wharf.status, 0, wharf.stderr);
  return { cargo, wharf };
}

function touch(rel: string): void {
  const now = new Date();
  for (const dir of [cargoDir, wharfDir]) utimesSync(join(dir, rel), now, now);
}

function calls(): string[] {
  const logs = readdirSync(join(wharfDir, "target"), { recursive: true, encoding: "utf8" }).filter(
    (p) => basename(p) === WRAPPER_LOG,
  );
  return logs.flatMap((p) =>
    readFileSync(join(wharfDir, "target", p), "utf8")
      .split("\n")
      .filter((l) => l !== ""),
  );
}

describe("incremental builds recompile what cargo recompiles", () => {
  test("first build compiles everything, and the program prints what cargo's prints", () => {
    const { cargo, wharf } = both(["build"]);
    assert.deepEqual(compiled(wharf), compiled(cargo));
    const run = (dir: string) => execFileSync(join(dir, "target", "debug", "app"), { encoding: "utf8" });
    assert.equal(run(wharfDir), run(cargoDir));
    assert.match(run(wharfDir), /leaf-from-old-syntax-7 knob-off 42 plain other 42/);
  });

  test("a no-op build starts no process", () => {
    const before = calls().length;
    assert.ok(before > 0, "the rustc wrapper logged no call");
    const { cargo, wharf } = both(["build"]);
    assert.deepEqual(compiled(cargo), []);
    assert.deepEqual(compiled(wharf), []);
    assert.doesNotMatch(wharf.stderr, /Running `/);
    assert.equal(calls().length, before, "rustc was started during a no-op build");
  });

  test("touching a leaf source file rebuilds it and its dependents only", () => {
    touch("leaf/src/lib.rs");
    const { cargo, wharf } = both(["build"]);
    assert.deepEqual(compiled(cargo), ["app", "leaf", "mid"]);
    assert.deepEqual(compiled(wharf), compiled(cargo));
  });

  test("touching a file nothing depends on rebuilds only that package", () => {
    touch("other/src/lib.rs");
    const { cargo, wharf } = both(["build"]);
    assert.deepEqual(compiled(wharf), compiled(cargo));
  });

  test("changing a feature rebuilds the units whose features changed", () => {
    const { cargo, wharf } = both(["build", "--features", "extra"]);
    assert.deepEqual(compiled(wharf), compiled(cargo));
    const out = execFileSync(join(wharfDir, "target", "debug", "app"), { encoding: "utf8" });
    assert.match(out, / extra /);
  });

  test("an env var named by rerun-if-env-changed reruns the build script and rebuilds dependents", () => {
    const { cargo, wharf } = both(["build"], { DOCK_TEST_KNOB: "1" });
    assert.deepEqual(compiled(wharf), compiled(cargo));
    assert.ok(compiled(wharf).includes("leaf"));
    const out = execFileSync(join(wharfDir, "target", "debug", "app"), { encoding: "utf8" });
    assert.match(out, /knob-on/);
    const again = both(["build"], { DOCK_TEST_KNOB: "1" });
    assert.deepEqual(compiled(again.wharf), []);
  });

  test("a rerun-if-changed file change reruns that build script", () => {
    touch("mid/build.rs");
    const { cargo, wharf } = both(["build"], { DOCK_TEST_KNOB: "1" });
    assert.deepEqual(compiled(wharf), compiled(cargo));
  });

  test("check, and --message-format json with cargo's reasons", () => {
    const { cargo, wharf } = both(["check", "--message-format", "json"], { DOCK_TEST_KNOB: "1" });
    const reasons = (s: string) =>
      new Set(
        s
          .split("\n")
          .filter((l) => l.startsWith("{"))
          .map((l) => (JSON.parse(l) as { reason: string }).reason),
      );
    assert.deepEqual(reasons(wharf.stdout), reasons(cargo.stdout));
    assert.ok(reasons(wharf.stdout).has("build-finished"));
    assert.deepEqual(compiled(wharf), compiled(cargo));
  });

  test("release builds go to target/release; clean -p forces that package to rebuild", () => {
    const rel = both(["build", "--release"], { DOCK_TEST_KNOB: "1" });
    assert.deepEqual(compiled(rel.wharf), compiled(rel.cargo));
    assert.ok(existsSync(join(wharfDir, "target", "release", "app")));
    assert.match(rel.wharf.stderr, /Finished `release` profile \[optimized\] target\(s\) in/);
    for (const [run, dir] of [
      [runCargo, cargoDir],
      [runWharf, wharfDir],
    ] as const) {
      const r = run(["clean", "-p", "other"], { cwd: dir, env: env() });
      assert.equal(r.status, 0, r.stderr);
    }
    const { cargo, wharf } = both(["build"], { DOCK_TEST_KNOB: "1" });
    assert.deepEqual(compiled(wharf), compiled(cargo));
    assert.match(wharf.stderr, /Finished `dev` profile \[unoptimized \+ debuginfo\] target\(s\) in/);
  });

  test("warnings are shown as cargo shows them, and shown again by a fresh build", () => {
    for (const dir of [cargoDir, wharfDir]) {
      writeFileSync(
        join(dir, "other/src/lib.rs"),
        `pub fn other() -> &'static str {\n    let unused = 1;\n    "other"\n}\n`,
      );
    }
    const messages = (r: RunResult, dir: string) =>
      r.stderr
        .split("\n")
        .filter((l) => !/^\s+(Compiling|Checking|Finished|Running|Fresh|Updating|Locking|Dirty)\b/.test(l))
        .join("\n")
        .split(dir)
        .join("<ws>");
    for (let i = 0; i < 2; i++) {
      const { cargo, wharf } = both(["build"], { DOCK_TEST_KNOB: "1" });
      assert.match(cargo.stderr, /generated 1 warning/);
      assert.equal(messages(wharf, wharfDir), messages(cargo, cargoDir));
    }
  });
});
