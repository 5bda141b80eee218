import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { buildFeatureMap } from "./features.js";
import type { Dependency } from "./package.js";

function dep(nameInToml: string, optional: boolean): Dependency {
  return {
    name: nameInToml,
    nameInToml,
    source: { kind: "registry", url: "https://github.com/rust-lang/crates.io-index" },
    req: "^1",
    reqSpecified: true,
    kind: "normal",
    optional,
    defaultFeatures: true,
    features: [],
  };
}

describe("feature map", () => {
  test("optional dependencies not named by `dep:` get an implicit feature", () => {
    const map = buildFeatureMap(new Map([["x", ["dep:b"]]]), [dep("a", true), dep("b", true)]);
    assert.deepEqual(
      [...map],
      [
        ["a", ["dep:a"]],
        ["x", ["dep:b"]],
      ],
    );
  });
  test("features are sorted by name and keep their values' spelling", () => {
    const map = buildFeatureMap(
      new Map([
        ["z", ["a?/std"]],
        ["b", []],
      ]),
      [dep("a", true)],
    );
    assert.deepEqual([...map.keys()], ["a", "b", "z"]);
    assert.deepEqual(map.get("z"), ["a?/std"]);
  });
  const errors: [string, Map<string, string[]>, Dependency[], RegExp][] = [
    ["unknown value", new Map([["f", ["nope"]]]), [], /neither a dependency nor another feature/],
    [
      "dep: on a required dependency",
      new Map([["f", ["dep:a"]]]),
      [dep("a", false)],
      /not an optional dependency/,
    ],
    ["dep: on a missing dependency", new Map([["f", ["dep:zz"]]]), [], /not listed as a dependency/],
    ["weak on a required dependency", new Map([["f", ["a?/x"]]]), [dep("a", false)], /with a `\?`/],
    ["dep: mixed with /", new Map([["f", ["dep:a/x"]]]), [dep("a", true)], /both `dep:` and `\/`/],
    [
      "a hidden optional dependency named as a feature",
      new Map([
        ["f", ["dep:a"]],
        ["g", ["a"]],
      ]),
      [dep("a", true)],
      /without an implicit feature/,
    ],
    ["a bad feature name", new Map([["a b", []]]), [], /invalid character ` `/],
    ["a feature named dep:x", new Map([["dep:x", []]]), [], /not allowed to start with `dep:`/],
  ];
  for (const [name, features, deps, expected] of errors) {
    test(`refuses ${name}`, () => {
      assert.throws(() => buildFeatureMap(features, deps), expected);
    });
  }
});
