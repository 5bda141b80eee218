/**
 * The source-change check of the verify step (cargo's hash_all / report_hash_difference):
 * changed, added and removed files are each named, sorted, and the top-level target/ of the
 * unpacked package is ignored.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { describeTreeChanges, hashTree } from "./package-verify.js";

test("hashTree and describeTreeChanges report what a build changed, ignoring target/", () => {
  const root = mkdtempSync(join(tmpdir(), "wharf-verify-hash-"));
  try {
    mkdirSync(join(root, "src"));
    writeFileSync(join(root, "Cargo.toml"), "[package]\n");
    writeFileSync(join(root, "src", "lib.rs"), "pub fn f() {}\n");
    writeFileSync(join(root, "README.md"), "hi\n");
    symlinkSync("src/lib.rs", join(root, "link.rs"));
    const before = hashTree(root);
    assert.equal(describeTreeChanges(before, hashTree(root)), "");

    mkdirSync(join(root, "target", "debug"), { recursive: true });
    writeFileSync(join(root, "target", "debug", "x"), "artifact");
    assert.equal(describeTreeChanges(before, hashTree(root)), "");

    writeFileSync(join(root, "src", "lib.rs"), "pub fn g() {}\n");
    writeFileSync(join(root, "src", "b.rs"), "\n");
    writeFileSync(join(root, "src", "a.rs"), "\n");
    rmSync(join(root, "README.md"));
    assert.equal(
      describeTreeChanges(before, hashTree(root)),
      [
        `Changed: ${root}/src/lib.rs`,
        `Added: ${root}/src/a.rs\n\t${root}/src/b.rs`,
        `Removed: ${root}/README.md`,
      ].join("\n"),
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
