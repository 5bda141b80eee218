/** Unit tests of the typosquat check: each kind of look-alike, owners, spelling, thresholds. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { builtinTyposquatIndex, popularFromDownloads } from "./popular-crates.js";
import { TyposquatIndex } from "./typosquat.js";
import { osaDistance } from "./typosquat-distance.js";
import { generateLookAlikes } from "./typosquat-generate.js";

const index = new TyposquatIndex([
  { name: "serde_json", exactSpelling: true, owners: ["dtolnay"] },
  { name: "serde", exactSpelling: true, owners: ["dtolnay"] },
  { name: "tokio", exactSpelling: true, owners: ["tokio-rs"] },
  { name: "rand", exactSpelling: true, owners: ["rust-random"] },
  { name: "cfg-if", exactSpelling: true },
  { name: "rust_decimal", exactSpelling: true },
  { name: "termcolor", exactSpelling: true },
  { name: "memchr", exactSpelling: true },
  { name: "walkdir", exactSpelling: true },
  { name: "hashbrown", exactSpelling: true },
  { name: "anyhow", exactSpelling: true },
  { name: "itertools", exactSpelling: true },
  { name: "regex-syntax", exactSpelling: false },
]);

const kindOf = (name: string, owners?: string[]) => index.check(name, { owners })?.matches[0]?.kind;

describe("typosquat check", () => {
  it("names the imitated crate and the kind of typo", () => {
    const f = index.check("rustdecimal");
    assert.equal(f?.matches[0]?.popular, "rust_decimal");
    assert.equal(f?.matches[0]?.kind, "separator");
    assert.match(f?.matches[0]?.reason ?? "", /rust_decimal/);
    assert.equal(kindOf("serd"), "omitted");
    assert.equal(kindOf("serdee"), "repeated");
    assert.equal(kindOf("anyhwo"), "transposed");
    assert.equal(kindOf("memcht"), "keyboard");
    assert.equal(kindOf("walkdjr"), "keyboard");
    assert.equal(kindOf("hashbrovvn"), "homoglyph");
    assert.equal(kindOf("itertoo1s"), "homoglyph");
    assert.equal(kindOf("terncolor"), "keyboard");
    assert.equal(kindOf("tennncolor"), undefined);
    assert.equal(kindOf("hashbrowm"), "keyboard");
    assert.equal(kindOf("termco1or"), "homoglyph");
    assert.equal(kindOf("anyhoe"), "keyboard");
    assert.equal(kindOf("memahr"), "bitflip");
    assert.equal(kindOf("if-cfg"), "swapped-words");
    assert.equal(kindOf("tokio-rs"), "affix");
    assert.equal(kindOf("rust-tokio"), "affix");
    assert.equal(kindOf("serde-json"), "case-or-separator");
    assert.equal(kindOf("Serde"), "case-or-separator");
  });

  it("m and rn, w and vv read alike", () => {
    const ix = new TyposquatIndex([
      { name: "mime", exactSpelling: true },
      { name: "wasm", exactSpelling: true },
    ]);
    assert.equal(ix.check("rnime")?.matches[0]?.kind, "homoglyph");
    assert.equal(ix.check("vvasm")?.matches[0]?.kind, "homoglyph");
  });

  it("does not flag the popular crates themselves or legitimate neighbours", () => {
    for (const name of [
      "serde",
      "serde_json",
      "tokio",
      "rand",
      "tokio-util",
      "serde_yaml",
      "rand_chacha",
      "regex",
    ]) {
      assert.equal(index.check(name), undefined, name);
    }
    // a Debian spelling is only known up to -/_: the real `regex_syntax` may be that crate
    assert.equal(index.check("regex_syntax"), undefined);
    // sha1/sha2-style numbered siblings
    const ix = new TyposquatIndex([{ name: "blake2", exactSpelling: true }]);
    assert.equal(ix.check("blake3"), undefined);
  });

  it("exempts crates sharing an owner with the popular crate", () => {
    assert.equal(kindOf("rand_core"), "affix");
    assert.equal(kindOf("rand_core", ["rust-random"]), undefined);
    assert.equal(kindOf("tokio-core", ["tokio-rs", "someone"]), undefined);
    assert.equal(kindOf("tokio-core", ["someone"]), "affix");
  });

  it("keeps short names strict", () => {
    const ix = new TyposquatIndex([
      { name: "log", exactSpelling: true },
      { name: "glob", exactSpelling: true },
    ]);
    assert.equal(ix.check("lg"), undefined);
    assert.equal(ix.check("lot"), undefined);
    assert.equal(ix.check("lgo")?.matches[0]?.kind, "transposed");
    assert.equal(ix.check("logg")?.matches[0]?.kind, "repeated");
    assert.equal(ix.check("gob"), undefined);
  });

  it("reports plain edit distance only at a looser threshold and for long names", () => {
    const ix = new TyposquatIndex([{ name: "fast_log", exactSpelling: true }]);
    assert.equal(ix.check("faster_log"), undefined);
    const m = ix.check("faster_log", { threshold: 2 })?.matches[0];
    assert.deepEqual([m?.kind, m?.distance], ["distance", 2]);
    assert.equal(
      new TyposquatIndex([{ name: "rand", exactSpelling: true }]).check("ryu", { threshold: 3 }),
      undefined,
    );
  });

  it("orders matches by distance, then downloads", () => {
    const ix = new TyposquatIndex(
      popularFromDownloads([
        { name: "abcde", downloads: 10 },
        { name: "abcdf", downloads: 20 },
      ]),
    );
    assert.deepEqual(
      ix.check("abcdg")?.matches.map((m) => m.popular),
      ["abcdf", "abcde"],
    );
  });

  it("takes the top crates by downloads", () => {
    const top = popularFromDownloads(
      [
        { name: "b", downloads: 5 },
        { name: "a", downloads: 5 },
        { name: "c", downloads: 9 },
        { name: "d", downloads: 0 },
      ],
      2,
    );
    assert.deepEqual(
      top.map((c) => c.name),
      ["c", "a"],
    );
  });

  it("every generated look-alike of a popular name is found", () => {
    for (const la of generateLookAlikes("hashbrown")) {
      assert.equal(index.check(la.name)?.matches[0]?.popular, "hashbrown", `${la.name} (${la.kind})`);
    }
  });

  it("the built-in list holds the corpus and Debian's crate names", () => {
    const ix = builtinTyposquatIndex();
    assert.ok(ix.size > 1000);
    assert.ok(ix.has("serde_json") && ix.has("rust-decimal"));
    assert.equal(ix.check("serde_jsno")?.matches[0]?.popular, "serde_json");
  });

  it("osa distance counts a transposition as one edit", () => {
    assert.equal(osaDistance("abcd", "abdc"), 1);
    assert.equal(osaDistance("kitten", "sitting"), 3);
    assert.equal(osaDistance("kitten", "sitting", 1), 2);
    assert.equal(osaDistance("", "abc"), 3);
  });
});
