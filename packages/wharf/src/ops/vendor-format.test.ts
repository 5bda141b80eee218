/** The pure parts of `wharf vendor`, with expectations taken from real `cargo vendor` 1.95 output. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  checksumFileText,
  tomlStringRepr,
  vendorConfigText,
  vendorDirNames,
  vendorThis,
} from "./vendor-format.js";

describe("vendor format", () => {
  test("vendorThis skips git files and cargo's unpack marker, at any depth", () => {
    for (const p of [
      ".gitignore",
      "sub/.gitignore",
      ".gitattributes",
      ".git/config",
      "a/.git/x",
      ".cargo-ok",
    ]) {
      assert.equal(vendorThis(p), false, p);
    }
    for (const p of [
      ".cargo_vcs_info.json",
      ".github/workflows/ci.yml",
      "Cargo.toml.orig",
      "src/git.rs",
      ".gitmodules",
    ]) {
      assert.equal(vendorThis(p), true, p);
    }
  });

  test(".cargo-checksum.json is serde_json's compact form with sorted keys", () => {
    const files = new Map([
      ["src/lib.rs", "bb"],
      ["Cargo.toml", "aa"],
      ['we"ird\n', "cc"],
    ]);
    assert.equal(
      checksumFileText(files, "ff"),
      '{"files":{"Cargo.toml":"aa","src/lib.rs":"bb","we\\"ird\\n":"cc"},"package":"ff"}',
    );
    assert.equal(checksumFileText(new Map(), undefined), '{"files":{},"package":null}');
  });

  test("the newest version keeps the bare name; older ones and --versioned-dirs get a suffix", () => {
    const ids = [
      { name: "clap", version: "2.34.0" },
      { name: "clap", version: "4.0.32" },
      { name: "clap", version: "3.2.23" },
      { name: "log", version: "0.4.17" },
    ];
    assert.deepEqual([...vendorDirNames(ids, false).values()], ["clap-2.34.0", "clap", "clap-3.2.23", "log"]);
    assert.deepEqual(
      [...vendorDirNames(ids, true).values()],
      ["clap-2.34.0", "clap-4.0.32", "clap-3.2.23", "log-0.4.17"],
    );
  });

  test("the config snippet cargo prints, for crates.io and for another registry", () => {
    assert.equal(
      vendorConfigText([{ key: "crates-io" }], "vendor"),
      '[source.crates-io]\nreplace-with = "vendored-sources"\n\n[source.vendored-sources]\ndirectory = "vendor"\n',
    );
    const url = "sparse+https://127.0.0.1:33307/index/";
    assert.equal(
      vendorConfigText([{ key: url, registry: url }], "third/v"),
      `[source."${url}"]\nregistry = "${url}"\nreplace-with = "vendored-sources"\n\n[source.vendored-sources]\ndirectory = "third/v"\n`,
    );
    assert.equal(vendorConfigText([], "vendor"), "");
  });

  test("strings as toml_edit writes them (checked with cargo vendor destinations)", () => {
    assert.equal(tomlStringRepr('we"ird dir'), `'we"ird dir'`);
    assert.equal(tomlStringRepr("it's"), '"it\'s"');
    assert.equal(tomlStringRepr("/abs/ü"), '"/abs/ü"');
    assert.equal(vendorConfigText([{ key: "crates-io" }], "a\\b").endsWith('directory = "a/b"\n'), true);
  });
});
