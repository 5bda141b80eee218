import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { WharfError } from "../errors/index.js";
import { parseManifest } from "./parse-manifest.js";

const file = "/p/Cargo.toml";

describe("parseManifest", () => {
  test("unknown keys become cargo's unused-key warnings, not errors", () => {
    const { warnings } = parseManifest(
      `[package]\nname = "a"\ncolour = 1\n[dependencies]\nx = { version = "1", bogus = true }\n[mystery]\n`,
      { file },
    );
    assert.deepEqual(
      warnings.map((w) => w.message),
      [
        "unused manifest key: package.colour",
        "unused manifest key: dependencies.x.bogus",
        "unused manifest key: mystery",
      ],
    );
  });
  test("inheritance markers are kept until normalization", () => {
    const { manifest } = parseManifest(`[package]\nname = "a"\nversion.workspace = true\n`, { file });
    assert.deepEqual(manifest.package?.version, { kind: "inherit" });
  });
  test("dependency tables come out sorted by name, byte-wise", () => {
    const { manifest } = parseManifest(
      `[package]\nname = "a"\n[dependencies]\nzeta = "1"\nAlpha = "1"\nbeta = "1"\n`,
      { file },
    );
    assert.deepEqual([...(manifest.dependencies?.keys() ?? [])], ["Alpha", "beta", "zeta"]);
  });
  test("a type error names the key path and points at its line and column", () => {
    assert.throws(
      () => parseManifest(`[package]\nname = "a"\n\n[dependencies.foo]\nversion = 1\n`, { file }),
      (e: unknown) =>
        e instanceof WharfError &&
        e.message.includes("invalid type for `dependencies.foo.version`") &&
        e.message.includes("expected a string, found integer `1`") &&
        e.message.includes("/p/Cargo.toml:5:11"),
    );
  });
  test("a TOML syntax error carries line and column", () => {
    assert.throws(
      () => parseManifest(`[package]\nname = "a\n`, { file }),
      (e: unknown) =>
        e instanceof WharfError && e.code === "MANIFEST_TOML_SYNTAX" && /line 2, column/.test(e.message),
    );
  });
  test("[project] is read as [package] and remembered", () => {
    const { manifest } = parseManifest(`[project]\nname = "old"\n`, { file });
    assert.equal(manifest.package?.name, "old");
    assert.equal(manifest.usedProjectKey, true);
  });
});
