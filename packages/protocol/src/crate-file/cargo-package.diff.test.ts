/**
 * Differential test against real `cargo package`: the tar inside cargo's .crate must equal
 * the one writeCrateArchive produces for the same files, header for header. The deflate
 * stream cannot match (cargo 1.95 compresses with zlib-rs, Node with its bundled zlib), so
 * the gzip header is compared and the compressed bytes are only reported.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { gunzipSync } from "node:zlib";
import { readCrateArchive } from "./read-crate-archive.js";
import { writeCrateArchive } from "./write-crate-archive.js";

const hasCargo = spawnSync("cargo", ["--version"], { encoding: "utf8" }).status === 0;

test("writeCrateArchive reproduces cargo package's tar byte for byte", {
  skip: !hasCargo && "cargo not on PATH",
}, () => {
  const root = mkdtempSync(join(tmpdir(), "wharf-cargo-package-"));
  try {
    const project = join(root, "proj");
    const longDir = join(project, "src", "d".repeat(60), "é".repeat(30));
    mkdirSync(longDir, { recursive: true });
    mkdirSync(join(root, "cargo-home"));
    mkdirSync(join(root, "home"));
    writeFileSync(
      join(project, "Cargo.toml"),
      '[package]\nname = "fixture-pkg"\nversion = "0.1.0"\nedition = "2021"\ndescription = "x"\nlicense = "MIT"\n',
    );
    writeFileSync(join(project, "src", "lib.rs"), "pub fn f() {}\n");
    writeFileSync(join(project, "src", "a-b.rs"), "// sorts after src/a/\n");
    mkdirSync(join(project, "src", "a"));
    writeFileSync(join(project, "src", "a", "b.rs"), "// nested\n");
    writeFileSync(join(longDir, "long.rs"), "// path longer than 100 bytes\n");
    writeFileSync(join(project, "run.sh"), "#!/bin/sh\necho hi\n");
    chmodSync(join(project, "run.sh"), 0o755);
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: join(root, "home"),
      CARGO_HOME: join(root, "cargo-home"),
      RUSTUP_AUTO_INSTALL: "0",
      CARGO_TERM_COLOR: "never",
    };
    const rustupHome =
      process.env.RUSTUP_HOME ?? (process.env.HOME ? join(process.env.HOME, ".rustup") : undefined);
    if (rustupHome) env.RUSTUP_HOME = rustupHome;
    const run = spawnSync("cargo", ["package", "--no-verify", "--allow-dirty", "--offline"], {
      cwd: project,
      env,
      encoding: "utf8",
    });
    assert.equal(run.status, 0, run.stderr);
    const real = readFileSync(join(project, "target", "package", "fixture-pkg-0.1.0.crate"));
    const archive = readCrateArchive(real, { name: "fixture-pkg", version: "0.1.0" });
    assert.ok(archive.files.some((f) => f.path.length > 90));
    const ours = writeCrateArchive(
      "fixture-pkg",
      "0.1.0",
      archive.files.map((f) => ({ path: f.path, bytes: f.bytes, executable: (f.mode & 0o100) !== 0 })),
    );
    assert.deepEqual(Buffer.from(gunzipSync(ours)), gunzipSync(real), "tar bytes");
    const headerLength = 10 + "fixture-pkg-0.1.0.crate".length + 1;
    assert.deepEqual(
      Buffer.from(ours.subarray(0, headerLength)),
      real.subarray(0, headerLength),
      "gzip header",
    );
    const sameDeflate = Buffer.compare(Buffer.from(ours), real) === 0;
    console.log(
      `cargo package: tar identical; deflate stream ${sameDeflate ? "identical" : "differs (zlib-rs vs zlib)"}`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
