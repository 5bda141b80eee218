import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { isWharfError } from "../errors/index.js";
import { formatIndexLine, parseIndexLine } from "../index-format/index.js";
import { normalizeManifest, type Package, parseManifest } from "../manifest/index.js";
import { packageToPublishMetadata } from "./package-to-publish-metadata.js";
import {
  encodePublishBody,
  maxPublishBodyLength,
  parsePublishBody,
  splitPublishBody,
} from "./publish-body.js";
import { formatPublishMetadata, type PublishMetadata } from "./publish-metadata.js";
import { publishMetadataToIndexLine } from "./publish-to-index-line.js";
import { validatePublishMetadata } from "./validate-publish-metadata.js";

const CKSUM = "0".repeat(64);
const LIMITS = { maxMetadataBytes: 1024 * 1024, maxCrateBytes: 10 * 1024 * 1024 };
const ALT = "sparse+https://alt.example.com/index/";

function code(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    assert.ok(isWharfError(e), String(e));
    return e.code;
  }
}

function meta(patch: Partial<PublishMetadata> = {}): PublishMetadata {
  return {
    name: "demo",
    vers: "1.0.0",
    deps: [],
    features: {},
    authors: [],
    description: "a demo",
    documentation: null,
    homepage: null,
    readme: null,
    readme_file: null,
    keywords: [],
    categories: [],
    license: "MIT",
    license_file: null,
    repository: null,
    badges: {},
    links: null,
    rust_version: null,
    ...patch,
  };
}

function loadPackage(toml: string): Package {
  const parsed = parseManifest(toml, { file: "/w/demo/Cargo.toml" });
  const result = normalizeManifest(parsed.manifest, {
    manifestPath: "/w/demo/Cargo.toml",
    probe: {
      isFile: (p) => p === "/w/demo/src/lib.rs",
      isDir: (p) => p === "/w/demo/src" || p === "/w/dep",
      exists: (p) => p === "/w/demo/src/lib.rs" || p === "/w/demo/src",
      readDir: (p) => (p === "/w/demo/src" ? [{ name: "lib.rs", isDir: false }] : undefined),
    },
    inheritable: () => {
      throw new Error("no workspace");
    },
    registryIndex: (name) => (name === "alt" ? ALT : `sparse+https://${name}.example.com/`),
  });
  assert.equal(result.kind, "package");
  return result.package;
}

describe("publish body", () => {
  test("frames as u32 LE length, JSON, u32 LE length, crate", () => {
    const body = encodePublishBody(meta(), new Uint8Array([1, 2, 3]));
    const view = new DataView(body.buffer);
    const jsonLength = view.getUint32(0, true);
    assert.equal(new TextDecoder().decode(body.subarray(4, 4 + jsonLength)), formatPublishMetadata(meta()));
    assert.equal(view.getUint32(4 + jsonLength, true), 3);
    assert.deepEqual([...body.subarray(-3)], [1, 2, 3]);
    assert.equal(body.length, 8 + jsonLength + 3);
  });

  test("refuses lengths above the limits before looking further, and short, long or bad bodies", () => {
    const body = encodePublishBody(meta(), new Uint8Array(100));
    const jsonLength = new DataView(body.buffer).getUint32(0, true);
    assert.equal(
      code(() => parsePublishBody(body, { ...LIMITS, maxMetadataBytes: jsonLength - 1 })),
      "PUBLISH_BODY_METADATA_TOO_LARGE",
    );
    assert.equal(
      code(() => parsePublishBody(body, { ...LIMITS, maxCrateBytes: 99 })),
      "PUBLISH_BODY_CRATE_TOO_LARGE",
    );
    assert.equal(
      code(() => parsePublishBody(body.subarray(0, body.length - 1), LIMITS)),
      "PUBLISH_BODY_TRUNCATED",
    );
    assert.equal(
      code(() => parsePublishBody(body.subarray(0, 3), LIMITS)),
      "PUBLISH_BODY_TRUNCATED",
    );
    assert.equal(
      code(() => parsePublishBody(body.subarray(0, 10), LIMITS)),
      "PUBLISH_BODY_TRUNCATED",
    );
    assert.equal(
      code(() => parsePublishBody(new Uint8Array([...body, 0]), LIMITS)),
      "PUBLISH_BODY_TRAILING_BYTES",
    );
    const lying = new Uint8Array(12);
    new DataView(lying.buffer).setUint32(0, 0xffffffff, true);
    assert.equal(
      code(() => parsePublishBody(lying, LIMITS)),
      "PUBLISH_BODY_METADATA_TOO_LARGE",
    );
    const notJson = new Uint8Array([3, 0, 0, 0, 0x7b, 0x7b, 0x7b, 0, 0, 0, 0]);
    assert.equal(
      code(() => splitPublishBody(notJson, LIMITS)),
      "PUBLISH_BODY_JSON_INVALID",
    );
    assert.equal(maxPublishBodyLength(LIMITS), 8 + LIMITS.maxMetadataBytes + LIMITS.maxCrateBytes);
  });

  test("property: encode then parse gives back the metadata and the crate bytes", () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9_-]{0,15}$/);
    const arb = fc.record({
      name,
      description: fc.option(fc.string({ maxLength: 50 }), { nil: null }),
      keywords: fc.array(fc.stringMatching(/^[a-z0-9][a-z0-9+_-]{0,19}$/), { maxLength: 5 }),
      authors: fc.array(fc.string({ maxLength: 20 }), { maxLength: 3 }),
      features: fc.dictionary(
        fc.stringMatching(/^[a-z_][a-z0-9_+.-]{0,10}$/),
        fc.array(fc.constantFrom("std", "dep:x", "x?/std", "y/z"), { maxLength: 3 }),
        { maxKeys: 5 },
      ),
      deps: fc.array(
        fc.record({
          optional: fc.boolean(),
          default_features: fc.boolean(),
          name,
          features: fc.array(fc.constantFrom("std", "alloc"), { maxLength: 2 }),
          version_req: fc.constantFrom("^1.0", "*", ">=1, <2"),
          target: fc.constantFrom(null, "cfg(unix)"),
          kind: fc.constantFrom("normal" as const, "dev" as const, "build" as const),
        }),
        { maxLength: 4 },
      ),
    });
    fc.assert(
      fc.property(arb, fc.uint8Array({ maxLength: 300 }), (patch, crate) => {
        const m = JSON.parse(JSON.stringify(meta(patch))) as PublishMetadata;
        const parsed = parsePublishBody(encodePublishBody(m, crate), LIMITS);
        assert.deepEqual(parsed.metadata, m);
        assert.deepEqual([...parsed.crateBytes], [...crate]);
      }),
      { numRuns: 200 },
    );
  });
});

describe("validatePublishMetadata", () => {
  const valid = () => JSON.parse(formatPublishMetadata(meta())) as Record<string, unknown>;
  for (const [what, patch, expected] of [
    ["bad name", { name: "1abc" }, "PUBLISH_METADATA_NAME"],
    ["too long a name", { name: "a".repeat(65) }, "PUBLISH_METADATA_NAME"],
    ["bad version", { vers: "1.0" }, "PUBLISH_METADATA_VERSION"],
    ["six keywords", { keywords: ["a", "b", "c", "d", "e", "f"] }, "PUBLISH_METADATA_LIMIT"],
    ["a 21-character keyword", { keywords: ["a".repeat(21)] }, "PUBLISH_METADATA_INVALID"],
    ["a keyword with a space", { keywords: ["a b"] }, "PUBLISH_METADATA_INVALID"],
    ["six categories", { categories: ["a", "b", "c", "d", "e", "f"] }, "PUBLISH_METADATA_LIMIT"],
    [
      "301 features",
      { features: Object.fromEntries(Array.from({ length: 301 }, (_, i) => [`f${i}`, []])) },
      "PUBLISH_METADATA_LIMIT",
    ],
    ["a bad feature value", { features: { a: ["x y"] } }, "PUBLISH_METADATA_INVALID"],
    ["deps not an array", { deps: {} }, "PUBLISH_METADATA_INVALID"],
    [
      "a bad dep kind",
      {
        deps: [
          {
            optional: false,
            default_features: true,
            name: "x",
            features: [],
            version_req: "1",
            target: null,
            kind: "weird",
          },
        ],
      },
      "PUBLISH_METADATA_INVALID",
    ],
    [
      "a bad dep requirement",
      {
        deps: [
          {
            optional: false,
            default_features: true,
            name: "x",
            features: [],
            version_req: "||",
            target: null,
            kind: "normal",
          },
        ],
      },
      "PUBLISH_METADATA_INVALID",
    ],
    [
      "an artifact dep",
      {
        deps: [
          {
            optional: false,
            default_features: true,
            name: "x",
            features: [],
            version_req: "1",
            target: null,
            kind: "normal",
            artifact: ["bin"],
          },
        ],
      },
      "PUBLISH_METADATA_UNSUPPORTED",
    ],
    ["a huge readme", { readme: "x".repeat(1024 * 1024 + 1) }, "PUBLISH_METADATA_LIMIT"],
    ["a bad rust_version", { rust_version: "1.70-nightly" }, "PUBLISH_METADATA_INVALID"],
    ["description as a number", { description: 5 }, "PUBLISH_METADATA_INVALID"],
  ] as const) {
    test(`refuses ${what}`, () => {
      assert.equal(
        code(() => validatePublishMetadata({ ...valid(), ...patch })),
        expected,
      );
    });
  }

  test("accepts what cargo sends and ignores unknown fields", () => {
    const m = validatePublishMetadata({ ...valid(), future_field: 1 });
    assert.deepEqual(m, meta());
  });
});

describe("packageToPublishMetadata", () => {
  const TOML = `
[package]
name = "demo"
version = "1.2.3"
edition = "2021"
description = "demo crate"
license = "MIT OR Apache-2.0"
keywords = ["demo"]
readme = "README.md"
rust-version = "1.70"

[dependencies]
serde = { version = "1.0", optional = true, features = ["derive"] }
json = { package = "serde_json", version = "1" }
local = { path = "../dep", version = "0.3" }
private = { version = "2", registry = "alt" }

[target.'cfg(unix)'.dependencies]
libc = "0.2"

[dev-dependencies]
helper = { path = "../helper" }
quickcheck = "1"

[build-dependencies]
cc = "1"

[features]
default = ["std"]
std = []
derive = ["dep:serde", "serde?/derive"]
`;

  test("converts dependencies as cargo publish does", () => {
    const pkg = loadPackage(TOML);
    const m = packageToPublishMetadata(pkg, {
      readme: "# Demo\n",
      registryIndexOfDefault: "sparse+https://mine.example.com/index/",
    });
    const byName = new Map(m.deps.map((d) => [d.name, d]));
    assert.equal(byName.has("helper"), false, "dev-dependency without a version is dropped");
    assert.equal(byName.get("quickcheck")?.kind, "dev");
    assert.equal(byName.get("cc")?.kind, "build");
    assert.equal(byName.get("serde_json")?.explicit_name_in_toml, "json");
    assert.equal(byName.get("serde")?.version_req, "^1.0");
    assert.deepEqual(byName.get("serde")?.features, ["derive"]);
    assert.equal(byName.get("libc")?.target, "cfg(unix)");
    assert.equal(byName.get("local")?.version_req, "^0.3");
    assert.equal(byName.get("local")?.registry, "https://github.com/rust-lang/crates.io-index");
    assert.equal(byName.get("private")?.registry, ALT);
    assert.equal(m.readme, "# Demo\n");
    assert.equal(m.readme_file, "README.md");
    assert.equal(m.rust_version, "1.70");
    assert.deepEqual(Object.keys(m.features).sort(), ["default", "derive", "std"]);
    // the metadata is something the registry side accepts
    assert.deepEqual(
      validatePublishMetadata(JSON.parse(formatPublishMetadata(m))),
      JSON.parse(formatPublishMetadata(m)),
    );
  });

  test("publishing to the dependency's own registry leaves `registry` out", () => {
    const m = packageToPublishMetadata(loadPackage(TOML), {
      registryIndexOfDefault: ALT,
    });
    assert.equal(m.deps.find((d) => d.name === "private")?.registry, undefined);
  });

  test("refuses crates.io publishes with other-registry deps and path deps without a version", () => {
    assert.equal(
      code(() => packageToPublishMetadata(loadPackage(TOML))),
      "PUBLISH_DEP_OTHER_REGISTRY",
    );
    const noVersion = loadPackage(
      '[package]\nname = "demo"\nversion = "0.1.0"\n[dependencies]\nlocal = { path = "../dep" }\n',
    );
    assert.equal(
      code(() => packageToPublishMetadata(noVersion)),
      "PUBLISH_DEP_NO_VERSION",
    );
  });

  test("implicit features of optional dependencies are not sent", () => {
    const pkg = loadPackage(
      '[package]\nname = "demo"\nversion = "0.1.0"\n[dependencies]\nlog = { version = "0.4", optional = true }\n',
    );
    assert.deepEqual(pkg.features.get("log"), ["dep:log"]);
    assert.deepEqual(packageToPublishMetadata(pkg).features, {});
  });
});

describe("publishMetadataToIndexLine", () => {
  test("renames, features2 and registry as crates.io writes them", () => {
    const m = meta({
      deps: [
        {
          optional: false,
          default_features: true,
          name: "serde_json",
          features: [],
          version_req: "^1",
          target: null,
          kind: "normal",
          explicit_name_in_toml: "json",
        },
        {
          optional: true,
          default_features: false,
          name: "alpha",
          features: ["x"],
          version_req: "^0.1",
          target: "cfg(unix)",
          kind: "build",
          registry: ALT,
        },
      ],
      features: { std: [], derive: ["dep:serde"], weak: ["serde?/std"], plain: ["std"] },
      rust_version: "1.70",
    });
    const line = publishMetadataToIndexLine(m, CKSUM, { pubtime: "2025-01-02T03:04:05Z" });
    assert.deepEqual(
      line.deps.map((d) => [d.name, d.package, d.registry]),
      [
        ["alpha", undefined, ALT],
        ["json", "serde_json", undefined],
      ],
    );
    assert.deepEqual(line.features, { std: [], plain: ["std"] });
    assert.deepEqual(line.features2, { derive: ["dep:serde"], weak: ["serde?/std"] });
    assert.equal(line.v, 2);
    const text = formatIndexLine(line);
    assert.deepEqual(parseIndexLine(text, "demo"), line);
    assert.match(
      text,
      /"links":null,"v":2,"features2":\{.*\},"rust_version":"1.70","pubtime":"2025-01-02T03:04:05Z"\}$/,
    );
  });

  test("no features2 and no v for old-style features", () => {
    const line = publishMetadataToIndexLine(meta({ features: { a: ["b"], b: [] } }), CKSUM);
    assert.equal(line.v, undefined);
    assert.equal(line.features2, undefined);
    assert.equal(line.rust_version, undefined);
  });
});
