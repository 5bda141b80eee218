/**
 * Unit tests for the packager's pure parts: the include/exclude filter (cargo's rules:
 * `.*` outside git, include lists match files only, Cargo.toml always passes) and the TOML
 * layout cargo's serializer gives strings, keys and arrays (expected texts from cargo 1.95
 * output, see package.diff.test.ts for the full comparison).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { parse } from "smol-toml";
import { packageFileFilter } from "./file-filter.js";
import { formatPrettyToml, formatTomlKey, formatTomlString } from "./toml-pretty.js";

test("file filter: exclude rules, hidden files outside git, include lists", () => {
  const walk = packageFileFilter({ include: [], exclude: ["/docs", "*.bak"], fromGit: false });
  assert.equal(walk(".env", false), false);
  assert.equal(walk(".github", true), false);
  assert.equal(walk("docs", true), false);
  assert.equal(walk("src/docs/x.md", false), true);
  assert.equal(walk("src/a.rs.bak", false), false);
  assert.equal(walk("Cargo.toml", false), true);
  const git = packageFileFilter({ include: [], exclude: [], fromGit: true });
  assert.equal(git(".cargo/config.toml", false), true);
  const include = packageFileFilter({
    include: ["src/**/*.rs", "/data/*.txt"],
    exclude: ["src"],
    fromGit: false,
  });
  assert.equal(include("anything", true), true);
  assert.equal(include("src/x/y.rs", false), true);
  assert.equal(include("data/a.txt", false), true);
  assert.equal(include("x/data/a.txt", false), false);
  assert.equal(include("Cargo.toml", false), true);
  assert.equal(include("README.md", false), false);
});

test("strings and keys in toml_writer's encodings", () => {
  assert.equal(formatTomlString("plain"), '"plain"');
  assert.equal(formatTomlString("https://x\\y"), "'https://x\\y'");
  assert.equal(formatTomlString('multi\nline "quoted" desc'), '"""\nmulti\nline "quoted" desc"""');
  // cargo 1.95's normalized Cargo.toml has `description = "tab\there"`: the tab escaped
  assert.equal(formatTomlString("tab\there"), '"tab\\there"');
  // toml_writer leaves up to two quotes unescaped next to a multi-line delimiter
  assert.equal(formatTomlString('it\'s "both"'), '"""it\'s "both""""');
  assert.equal(parse(`v = ${formatTomlString('it\'s "both"')}`).v, 'it\'s "both"');
  assert.equal(formatTomlKey("cfg(unix)"), '"cfg(unix)"');
  assert.equal(formatTomlKey("default-features"), "default-features");
});

test("document layout: values, then sections; implicit parents; arrays of tables", () => {
  const doc = new Map<string, unknown>([
    [
      "package",
      new Map<string, unknown>([
        ["name", "x"],
        ["keywords", ["a", "b"]],
        ["metadata", new Map([["docs", new Map([["rs", new Map([["all-features", true]])]])]])],
      ]),
    ],
    ["bin", [new Map([["name", "a"]]), new Map([["name", "b"]])]],
    ["dependencies", new Map([["itoa", new Map([["version", "1"]])]])],
    ["dev-dependencies", new Map()],
  ]);
  // biome-ignore lint/suspicious/noExplicitAny: test data built loosely
  const text = formatPrettyToml(doc as any);
  assert.equal(
    text,
    '[package]\nname = "x"\nkeywords = [\n    "a",\n    "b",\n]\n\n[package.metadata.docs.rs]\nall-features = true\n\n[[bin]]\nname = "a"\n\n[[bin]]\nname = "b"\n\n[dependencies.itoa]\nversion = "1"\n\n[dev-dependencies]\n',
  );
  assert.deepEqual({ ...(parse(text)["dev-dependencies"] as object) }, {});
});
