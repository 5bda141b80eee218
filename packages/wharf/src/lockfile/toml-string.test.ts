import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "smol-toml";
import { tomlKey, tomlString } from "./toml-string.js";

describe("tomlString (toml_writer's default choice)", () => {
  it("picks basic, literal, multi-line or escaped forms like toml-rs", () => {
    assert.equal(tomlString("plain"), '"plain"');
    assert.equal(tomlString('has "quotes"'), `'has "quotes"'`);
    assert.equal(tomlString("back\\slash"), "'back\\slash'");
    assert.equal(tomlString("it's \\"), "'''it's \\'''");
    assert.equal(tomlString("two\nlines"), '"""\ntwo\nlines"""');
    assert.equal(tomlString("tab\there"), '"tab\\there"');
    assert.equal(tomlString("bell\u0007"), '"bell\\u0007"');
    assert.equal(tomlString("ünï"), '"ünï"');
  });

  it("always round-trips through a TOML parser", () => {
    for (const s of ["a", 'x"y', "x'y", "x'\"y", "\\", "a\nb", "'''", '"""', "a\u0001b", "x\\'\"y\n"]) {
      const doc = parse(`v = ${tomlString(s)}\n`);
      assert.equal(doc["v"], s, JSON.stringify(s));
    }
  });

  it("keys are bare when they can be", () => {
    assert.equal(tomlKey("plain-key_1"), "plain-key_1");
    assert.equal(tomlKey("checksum a 1.0.0"), '"checksum a 1.0.0"');
    assert.equal(tomlKey('say "hi"'), `'say "hi"'`);
    assert.equal(tomlKey(""), '""');
  });
});
