import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { rustComponents, rustDebugString, rustFileName, rustJoin, rustPathEq } from "./new-paths.js";
import { BIN_TEMPLATE, ignoreFileAddition, renderManifest } from "./new-templates.js";

describe("Rust path semantics", () => {
  it("joins without normalising", () => {
    assert.equal(rustJoin("/w", "foo/."), "/w/foo/.");
    assert.equal(rustJoin("/w", ""), "/w/");
    assert.equal(rustJoin("/w/", "a"), "/w/a");
    assert.equal(rustJoin("/w", "/abs"), "/abs");
  });

  it("takes file_name after dropping `.` and empty components", () => {
    assert.equal(rustFileName("/w/foo/."), "foo");
    assert.equal(rustFileName("/w/foo//"), "foo");
    assert.equal(rustFileName("/w/foo/.."), undefined);
    assert.equal(rustFileName("/"), undefined);
    assert.deepEqual(rustComponents("./a/./b/"), [".", "a", "b"]);
  });

  it("compares by components", () => {
    assert.equal(rustPathEq("/home/u/.", "/home/u"), true);
    assert.equal(rustPathEq("/home/u/x/..", "/home/u"), false);
  });

  it("debug-quotes paths", () => {
    assert.equal(rustDebugString('/a"b\\c\n'), '"/a\\"b\\\\c\\n"');
  });
});

describe("templates", () => {
  it("renders cargo's manifest", () => {
    assert.equal(
      renderManifest({
        name: "foo",
        edition: "2021",
        sourceFiles: [{ relativePath: "src/main.rs", bin: true }],
      }),
      '[package]\nname = "foo"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n',
    );
  });

  it("adds publish, [[bin]] and [lib] in discovery order", () => {
    assert.equal(
      renderManifest({
        name: "p",
        edition: "2024",
        registry: "r",
        sourceFiles: [
          { relativePath: "src/p.rs", bin: false },
          { relativePath: "main.rs", bin: true },
        ],
      }),
      '[package]\nname = "p"\nversion = "0.1.0"\nedition = "2024"\npublish = ["r"]\n\n[dependencies]\n\n' +
        '[lib]\npath = "src/p.rs"\n\n[[bin]]\nname = "p"\npath = "main.rs"\n',
    );
  });

  it("is rustfmt-clean hello world", () => {
    assert.equal(BIN_TEMPLATE, 'fn main() {\n    println!("Hello, world!");\n}\n');
  });

  it("appends to ignore files as cargo does", () => {
    assert.equal(ignoreFileAddition("git", undefined), "/target\n");
    assert.equal(ignoreFileAddition("git", "foo"), "\n\n# Added by cargo\n\n/target\n");
    assert.equal(
      ignoreFileAddition("git", "/target\r\n"),
      "\n\n# Added by cargo\n#\n# already existing elements were commented out\n\n#/target\n",
    );
    assert.equal(ignoreFileAddition("hg", ""), "\n\n# Added by cargo\n\n^target$\n");
    assert.equal(ignoreFileAddition("fossil", "target\n"), "");
  });
});
