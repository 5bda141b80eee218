import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { isWharfError } from "../errors/index.js";
import { formatIndexFile, formatIndexLine } from "./format-index-line.js";
import { indexFilePath } from "./index-file-path.js";
import type { IndexLine } from "./index-line.js";
import { parseIndexFile, parseIndexLine } from "./parse-index-line.js";

const CKSUM = "a".repeat(64);

/** a real crates.io line (serde 1.0.0), key order and all */
const SERDE_LINE =
  '{"name":"serde","vers":"1.0.0","deps":[{"name":"serde_derive","req":"^1.0","features":[],"optional":true,"default_features":true,"target":null,"kind":"normal"}],"cksum":"97b18e9e53de541f11e497357d6c5eaeb39f0cb9c8734e274abe4935f6991fa9","features":{"alloc":["unstable"],"collections":[],"default":["std"],"derive":["serde_derive"],"playground":["serde_derive"],"rc":[],"std":[],"unstable":[]},"yanked":false,"links":null}';

function code(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    assert.ok(isWharfError(e), String(e));
    return e.code;
  }
}

describe("index lines", () => {
  test("a crates.io line parses and formats back to the same bytes", () => {
    const line = parseIndexLine(SERDE_LINE, "serde");
    assert.equal(line.deps[0]?.kind, "normal");
    assert.equal(formatIndexLine(line), SERDE_LINE);
  });

  test("v2 fields come after links, and maps are in byte order even for numeric keys", () => {
    const line: IndexLine = {
      name: "x",
      vers: "1.0.0",
      deps: [],
      cksum: CKSUM,
      features: { b: [], "10": [], "2": [], a: [] },
      yanked: false,
      links: null,
      v: 2,
      features2: { serde: ["dep:serde"] },
      rust_version: "1.70",
      pubtime: "2025-11-12T19:30:12Z",
    };
    assert.equal(
      formatIndexLine(line),
      `{"name":"x","vers":"1.0.0","deps":[],"cksum":"${CKSUM}","features":{"10":[],"2":[],"a":[],"b":[]},"yanked":false,"links":null,"v":2,"features2":{"serde":["dep:serde"]},"rust_version":"1.70","pubtime":"2025-11-12T19:30:12Z"}`,
    );
  });

  test("defaults as cargo applies them", () => {
    const line = parseIndexLine(
      `{"name":"x","vers":"1.0.0","deps":[{"name":"y","req":"1.0"}],"cksum":"${CKSUM}"}`,
      "x",
    );
    assert.deepEqual(line.deps[0], {
      name: "y",
      req: "1.0",
      features: [],
      optional: false,
      default_features: true,
      target: null,
      kind: "normal",
    });
    assert.equal(line.yanked, false);
    assert.equal(line.links, null);
    assert.deepEqual(line.features, {});
  });

  test("the name must match, case-insensitively and with - and _ equivalent", () => {
    const text = (name: string) => `{"name":"${name}","vers":"1.0.0","deps":[],"cksum":"${CKSUM}"}`;
    assert.equal(parseIndexLine(text("Foo_Bar"), "foo-bar").name, "Foo_Bar");
    assert.equal(
      code(() => parseIndexLine(text("foo-baz"), "foo-bar")),
      "INDEX_LINE_NAME_MISMATCH",
    );
  });

  for (const [what, patch, expected] of [
    ["bad checksum", { cksum: "A".repeat(64) }, "INDEX_LINE_CKSUM"],
    ["short checksum", { cksum: "ab" }, "INDEX_LINE_CKSUM"],
    ["bad version", { vers: "1.0" }, "INDEX_LINE_VERSION"],
    ["v3", { v: 3 }, "INDEX_LINE_UNSUPPORTED_SCHEMA"],
    ["v0", { v: 0 }, "INDEX_LINE_SCHEMA"],
    ["deps not an array", { deps: {} }, "INDEX_LINE_SCHEMA"],
    ["bad requirement", { deps: [{ name: "a", req: "||" }] }, "INDEX_LINE_SCHEMA"],
    ["bad kind", { deps: [{ name: "a", req: "1", kind: "weird" }] }, "INDEX_LINE_SCHEMA"],
    ["bad target", { deps: [{ name: "a", req: "1", target: "cfg(" }] }, "INDEX_LINE_SCHEMA"],
    ["bad dep name", { deps: [{ name: "a b", req: "1" }] }, "INDEX_LINE_SCHEMA"],
    ["yanked as string", { yanked: "no" }, "INDEX_LINE_SCHEMA"],
    ["feature list not strings", { features: { a: [1] } }, "INDEX_LINE_SCHEMA"],
    ["bad rust_version", { rust_version: "1.70-beta" }, "INDEX_LINE_SCHEMA"],
    ["pubtime with offset", { pubtime: "2025-11-12T19:30:12-04" }, "INDEX_LINE_SCHEMA"],
    ["pubtime not padded", { pubtime: "2025-1-12T19:30:12Z" }, "INDEX_LINE_SCHEMA"],
    ["pubtime impossible date", { pubtime: "2025-02-30T19:30:12Z" }, "INDEX_LINE_SCHEMA"],
  ] as const) {
    test(`refuses ${what}`, () => {
      const base = { name: "x", vers: "1.0.0", deps: [], cksum: CKSUM };
      assert.equal(
        code(() => parseIndexLine(JSON.stringify({ ...base, ...patch }), "x")),
        expected,
      );
    });
  }

  test("refuses invalid JSON, non-objects and oversized lines", () => {
    assert.equal(
      code(() => parseIndexLine("{", "x")),
      "INDEX_LINE_JSON",
    );
    assert.equal(
      code(() => parseIndexLine("[]", "x")),
      "INDEX_LINE_SCHEMA",
    );
    assert.equal(
      code(() => parseIndexLine(SERDE_LINE, "serde", { maxLineBytes: 100 })),
      "INDEX_LINE_TOO_LONG",
    );
    assert.equal(
      code(() => parseIndexLine(SERDE_LINE, "serde", { maxFeatures: 3 })),
      "INDEX_LINE_SCHEMA",
    );
  });

  test("a file skips blank lines and v3 versions, and refuses duplicate versions", () => {
    const v3 = `{"name":"serde","vers":"2.0.0","deps":[],"cksum":"${CKSUM}","v":3}`;
    const file = parseIndexFile(`${SERDE_LINE}\n\n${v3}\n`, "serde");
    assert.equal(file.lines.length, 1);
    assert.deepEqual(file.unsupported, [{ vers: "2.0.0", v: 3 }]);
    const dup = SERDE_LINE.replace('"1.0.0"', '"1.0.0+build"');
    assert.equal(
      code(() => parseIndexFile(`${SERDE_LINE}\n${dup}\n`, "serde")),
      "INDEX_FILE_DUPLICATE_VERSION",
    );
    const bad = code(() => parseIndexFile(`${SERDE_LINE}\n{}\n`, "serde"));
    assert.equal(bad, "INDEX_LINE_SCHEMA");
    assert.equal(formatIndexFile(file.lines), `${SERDE_LINE}\n`);
  });

  test("indexFilePath follows cargo's layout, lowercased", () => {
    assert.equal(indexFilePath("a"), "1/a");
    assert.equal(indexFilePath("AB"), "2/ab");
    assert.equal(indexFilePath("Abc"), "3/a/abc");
    assert.equal(indexFilePath("Serde_JSON"), "se/rd/serde_json");
    assert.equal(
      code(() => indexFilePath("../x")),
      "INDEX_NAME_INVALID",
    );
    assert.equal(
      code(() => indexFilePath("")),
      "INDEX_NAME_INVALID",
    );
  });

  test("property: format then parse is the identity, and formatting is stable", () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9_-]{0,20}$/);
    const str = fc.string({ maxLength: 12 });
    const featureMap = fc.dictionary(
      fc.string({ minLength: 1, maxLength: 8 }),
      fc.array(str, { maxLength: 4 }),
      {
        maxKeys: 5,
      },
    );
    const dep = fc.record(
      {
        name,
        req: fc.constantFrom("^1.0", "1.2.3", "*", ">=0.1, <0.3", "=2.0.0-beta.1"),
        features: fc.array(str, { maxLength: 3 }),
        optional: fc.boolean(),
        default_features: fc.boolean(),
        target: fc.constantFrom(null, "cfg(unix)", "x86_64-unknown-linux-gnu", 'cfg(target_os = "linux")'),
        kind: fc.constantFrom("normal" as const, "dev" as const, "build" as const),
        registry: fc.constant("sparse+https://example.com/index/"),
        package: name,
      },
      { requiredKeys: ["name", "req", "features", "optional", "default_features", "target", "kind"] },
    );
    const line = fc.record(
      {
        name: fc.constant("demo"),
        vers: fc.constantFrom("0.1.0", "1.0.0-alpha.1+build.5", "18446744073709551615.0.0"),
        deps: fc.array(dep, { maxLength: 4 }),
        cksum: fc.stringMatching(/^[0-9a-f]{64}$/),
        features: featureMap,
        yanked: fc.boolean(),
        links: fc.option(str, { nil: null }),
        v: fc.constantFrom(1, 2),
        features2: featureMap,
        rust_version: fc.constantFrom("1.70", "1.56.1", "1"),
        pubtime: fc.constant("2024-02-29T23:59:59Z"),
      },
      { requiredKeys: ["name", "vers", "deps", "cksum", "features", "yanked", "links"] },
    );
    fc.assert(
      fc.property(line, (l: IndexLine) => {
        const text = formatIndexLine(l);
        assert.ok(!text.includes("\n"));
        const back = parseIndexLine(text, "demo");
        // fast-check builds null-prototype objects; compare as plain data
        assert.deepEqual(back, JSON.parse(JSON.stringify(l)));
        assert.equal(formatIndexLine(back), text);
      }),
      { numRuns: 300 },
    );
  });
});
