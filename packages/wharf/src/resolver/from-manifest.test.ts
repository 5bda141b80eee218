import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { formatPlatform, formatRequirement, formatVersion, type IndexLine } from "@wharf/protocol";
import { summaryFromIndexLine } from "./from-manifest.js";

const here = { kind: "registry" as const, url: "sparse+https://r.example/index/" };

const line: IndexLine = {
  name: "mid",
  vers: "1.2.3",
  deps: [
    {
      name: "base_renamed",
      package: "base",
      req: "^1",
      features: ["x"],
      optional: false,
      default_features: false,
      target: null,
      kind: "normal",
    },
    {
      name: "helper",
      req: "0.2",
      features: [],
      optional: true,
      default_features: true,
      target: "cfg(unix)",
      kind: "normal",
    },
    {
      name: "remote",
      req: "=3.0.0",
      features: [],
      optional: false,
      default_features: true,
      target: null,
      kind: "build",
      registry: "https://github.com/rust-lang/crates.io-index",
    },
  ],
  cksum: "a".repeat(64),
  features: { extra: [] },
  features2: { helper: ["dep:helper"], both: ["helper?/std"] },
  yanked: true,
  links: "z",
  rust_version: "1.70",
};

describe("summaryFromIndexLine", () => {
  const s = summaryFromIndexLine(line, {
    source: here,
    sourceForRegistry: (url) => ({ kind: "registry", url }),
  });
  test("identity, checksum, yanked, links and rust-version come from the line", () => {
    assert.equal(s.id.name, "mid");
    assert.equal(formatVersion(s.id.version), "1.2.3");
    assert.deepEqual(s.id.source, here);
    assert.equal(s.checksum, "a".repeat(64));
    assert.equal(s.yanked, true);
    assert.equal(s.links, "z");
    assert.equal(s.rustVersion, "1.70");
  });
  test("a renamed dependency keeps its key as nameInToml and the real package as name", () => {
    const d = s.dependencies[0]!;
    assert.equal(d.name, "base");
    assert.equal(d.nameInToml, "base_renamed");
    assert.equal(d.defaultFeatures, false);
    assert.equal(formatRequirement(d.req), "^1");
  });
  test("no `registry` means the index's own source; a URL means that registry", () => {
    assert.deepEqual(s.dependencies[0]!.source, here);
    assert.deepEqual(s.dependencies[2]!.source, {
      kind: "registry",
      url: "https://github.com/rust-lang/crates.io-index",
    });
    assert.equal(s.dependencies[2]!.kind, "build");
  });
  test("target strings become platforms", () => {
    assert.equal(formatPlatform(s.dependencies[1]!.platform!), "cfg(unix)");
  });
  test("features and features2 merge; explicit dep: suppresses the implicit feature", () => {
    assert.deepEqual([...s.features.keys()].sort(), ["both", "extra", "helper"]);
    assert.deepEqual(s.features.get("helper"), ["dep:helper"]);
  });
});
