/** Dependency confusion checks: private names shadowed elsewhere, changed sources. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { nameConfusion, sourceChanges } from "./confusion.js";

const CRATES_IO = "registry+https://github.com/rust-lang/crates.io-index";
const PRIVATE = "sparse+https://corp.example/index/";

describe("dependency confusion", () => {
  it("warns when a private crate's name is also on another registry", () => {
    const f = nameConfusion([
      { name: "corp-auth", version: "1.0.0", registry: "corp", alsoOn: ["crates-io"] },
      { name: "corp-only", version: "1.0.0", registry: "corp", alsoOn: [] },
    ]);
    assert.equal(f.length, 1);
    assert.equal(f[0]?.package, "corp-auth");
    assert.match(f[0]?.message ?? "", /`corp`.*`crates-io`/);
  });

  it("warns when a locked name now comes from another source", () => {
    const previous = [
      { name: "corp-auth", version: "1.0.0", source: PRIVATE },
      { name: "serde", version: "1.0.0", source: CRATES_IO },
      { name: "g", version: "0.1.0", source: "git+https://example.com/g?rev=abc#abc" },
      { name: "local", version: "0.1.0" },
    ];
    const next = [
      { name: "corp-auth", version: "1.0.1", source: CRATES_IO },
      { name: "serde", version: "1.0.5", source: CRATES_IO },
      { name: "g", version: "0.1.0", source: "git+https://example.com/g?rev=abc#def" },
      { name: "local", version: "0.1.0", source: CRATES_IO },
      { name: "new", version: "1.0.0", source: CRATES_IO },
    ];
    const f = sourceChanges(previous, next);
    assert.deepEqual(
      f.map((x) => x.package),
      ["corp-auth", "local"],
    );
    assert.match(f[0]?.message ?? "", /corp\.example/);
  });
});
