/**
 * The editing layer on its own: untouched documents print back byte-for-byte, and edits
 * touch only what they change. Shapes cargo cannot be asked about offline (git sources)
 * are checked against cargo's documented entry shapes (cargo's own to_toml unit tests).
 */
import assert from "node:assert/strict";
import { join, relative } from "node:path";
import { describe, test } from "node:test";
import { EditableManifest, type PathContext } from "./manifest-edit.js";
import { parseDocument, printDocument } from "./manifest-edit-toml.js";

const ctx: PathContext = {
  crateRoot: "/ws/app",
  relative: (from, to) => relative(from, to),
  resolve: (base, rel) => join(base, rel),
};

const ODD = `# leading comment

[package]
name    =   "odd"  # spaced
version = '0.1.0'
description = """
multi
line"""
"quoted key" = 1
a.b . c = { x = 1,y=[ 1 ,2, ] , z = {  } }

[target.'cfg(unix)'.dependencies]
libc = "0.2"

[[bin]]
name = "one"

[dependencies.serde]
version = "1"   # trailing

[ dependencies ]
log = [  # not a real dep shape, but valid TOML
  "a",
  # comment
  "b",
]

[[bin]]
name = "two"
[target."cfg(windows)".dependencies]
winapi = "0.3"
# end of file
`;

describe("format-preserving TOML document", () => {
  test("prints an untouched document back unchanged", () => {
    assert.equal(printDocument(parseDocument(ODD)), ODD);
    for (const text of ["", "\n", "# only a comment", "a = 1\n", "[t]\n\n\n", "x = [\n]\n"])
      assert.equal(printDocument(parseDocument(text)), text);
  });

  test("rejects invalid TOML with a located error", () => {
    assert.throws(() => parseDocument("a = \n"), /line 1/);
    assert.throws(() => parseDocument("[a]\n[a]\n"), /duplicate/);
  });
});

describe("dependency edits", () => {
  const manifest = `[package]
name = "app"
version = "0.1.0"

[dependencies]
# logging
log = "0.4"   # keep
zlib = { path = "../zlib" }

# about features
[features]
default = ["log"]
`;

  test("a git dependency is written as cargo writes it, at the end of the table", () => {
    const m = new EditableManifest("/ws/app/Cargo.toml", manifest);
    m.insertIntoTable(
      ["dependencies"],
      { name: "gitdep", source: { kind: "git", git: "https://example.com/x.git", branch: "main" } },
      ctx,
    );
    assert.equal(
      m.toString(),
      manifest.replace(
        'zlib = { path = "../zlib" }\n',
        'zlib = { path = "../zlib" }\ngitdep = { git = "https://example.com/x.git", branch = "main" }\n',
      ),
    );
  });

  test("a git dependency with a tag and a rename", () => {
    const m = new EditableManifest("/ws/app/Cargo.toml", '[package]\nname = "app"\n');
    m.insertIntoTable(
      ["dependencies"],
      { name: "x", rename: "y", source: { kind: "git", git: "https://example.com/x", tag: "v1" } },
      ctx,
    );
    assert.equal(
      m.toString(),
      '[package]\nname = "app"\n\n[dependencies]\ny = { git = "https://example.com/x", tag = "v1", package = "x" }\n',
    );
  });

  test("updating an entry keeps its comments and position", () => {
    const m = new EditableManifest("/ws/app/Cargo.toml", manifest);
    m.insertIntoTable(
      ["dependencies"],
      { name: "log", source: { kind: "registry", version: "0.4.17" } },
      ctx,
    );
    assert.equal(m.toString(), manifest.replace('log = "0.4"', 'log = "0.4.17"'));
  });

  test("removing an entry takes its own comment lines and nothing else", () => {
    const m = new EditableManifest("/ws/app/Cargo.toml", manifest);
    m.removeFromTable(["dependencies"], "log");
    m.gcDep("log");
    assert.equal(
      m.toString(),
      manifest.replace('# logging\nlog = "0.4"   # keep\n', "").replace('default = ["log"]', "default = []"),
    );
  });

  test("a missing dependency names the table it is in", () => {
    const m = new EditableManifest("/ws/app/Cargo.toml", manifest);
    assert.throws(
      () => m.removeFromTable(["dev-dependencies"], "log"),
      /could not be found in `dev-dependencies`/,
    );
  });

  test("sorting keeps each key's comments with it", () => {
    const text = '[dependencies]\n# b comment\nb = "1"\na = "1"\n';
    const m = new EditableManifest("/x/Cargo.toml", text);
    assert.equal(m.isSorted(["dependencies"]), false);
    m.sortValues(["dependencies"]);
    assert.equal(m.toString(), '[dependencies]\na = "1"\n# b comment\nb = "1"\n');
  });
});
