import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { fileStem, fileUrl, joinPath, normalizePath, relativePath } from "./paths.js";

describe("lexical paths, cargo's way", () => {
  test("normalizePath drops `.` and pops on `..`, keeping leading `..` of relative paths", () => {
    assert.equal(normalizePath("src/./bin/../lib.rs"), "src/lib.rs");
    assert.equal(normalizePath("../a/b"), "../a/b");
    assert.equal(normalizePath("a/../../b"), "../b");
    assert.equal(normalizePath("/a/../../b"), "/b");
    assert.equal(normalizePath("/a//b/"), "/a/b");
  });
  test("joinPath: an absolute second part wins", () => {
    assert.equal(joinPath("/w", "/abs"), "/abs");
    assert.equal(joinPath("/w/", "x"), "/w/x");
  });
  test("relativePath climbs and descends", () => {
    assert.equal(relativePath("/w/crates/a", "/w/README.md"), "../../README.md");
    assert.equal(relativePath("/w", "/w/x/y"), "x/y");
  });
  test("fileStem keeps dotfiles whole", () => {
    assert.equal(fileStem("scripts/gen.rs"), "gen");
    assert.equal(fileStem(".hidden"), ".hidden");
    assert.equal(fileStem("a.tar.gz"), "a.tar");
  });
  test("fileUrl percent-encodes like the url crate", () => {
    assert.equal(fileUrl("/tmp/my dir/ü#x"), "file:///tmp/my%20dir/%C3%BC%23x");
  });
});
