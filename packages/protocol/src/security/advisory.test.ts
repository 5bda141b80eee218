/** Synthetic RustSec advisories: parsing, ranges, withdrawn, informational and malicious, matched exactly. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { WharfError } from "../errors/index.js";
import { parseVersion } from "../semver/index.js";
import { type Advisory, parseAdvisory } from "./advisory.js";
import { type AuditPackage, matchAdvisories } from "./advisory-match.js";
import { isAffected, rangeOf } from "./advisory-range.js";

const CRATES_IO = "registry+https://github.com/rust-lang/crates.io-index";

function md(front: string, body = "# A title\n\nThe description.\n"): string {
  return `\`\`\`toml\n${front}\n\`\`\`\n\n${body}`;
}

function adv(id: string, pkg: string, extra = "", versions = 'patched = [">= 1.2.3"]'): Advisory {
  return parseAdvisory(
    `crates/${pkg}/${id}.md`,
    md(
      `[advisory]\nid = "${id}"\npackage = "${pkg}"\ndate = "2024-01-02"\n${extra}\n\n[versions]\n${versions}`,
    ),
  );
}

const affected = (a: Advisory, v: string) => isAffected(a.safeRanges, parseVersion(v));

describe("advisory parsing", () => {
  it("reads the front matter, title and description of a .md advisory", () => {
    const a = parseAdvisory(
      "crates/foo/RUSTSEC-2024-0001.md",
      md(
        `[advisory]
id = "RUSTSEC-2024-0001"
package = "foo"
date = "2024-01-02"
url = "https://example.com/1"
categories = ["memory-corruption"]
keywords = ["overflow"]
aliases = ["CVE-2024-1"]
cvss = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"

[affected]
os = ["windows"]
arch = ["x86"]
functions = { "foo::bar" = ["< 1.2.3"] }

[versions]
patched = [">= 1.2.3, < 1.3.0", ">= 1.3.4"]
unaffected = ["<= 0.1.2"]`,
        "# Overflow in `bar`\n\nLong text.\n\nMore.\n",
      ),
    );
    assert.equal(a.id, "RUSTSEC-2024-0001");
    assert.equal(a.package, "foo");
    assert.equal(a.title, "Overflow in `bar`");
    assert.equal(a.description, "Long text.\n\nMore.");
    assert.deepEqual(a.categories, ["memory-corruption"]);
    assert.deepEqual(a.affected, { os: ["windows"], arch: ["x86"], functions: { "foo::bar": ["< 1.2.3"] } });
    assert.deepEqual(a.patched, [">= 1.2.3, < 1.3.0", ">= 1.3.4"]);
    assert.equal(a.withdrawn, undefined);
  });

  it("reads V1 .toml advisories with patched_versions in [advisory]", () => {
    const a = parseAdvisory(
      "crates/base/RUSTSEC-2001-2101.toml",
      `[advisory]
id = "RUSTSEC-2001-2101"
package = "base"
title = "All your base"
description = "You have no chance."
date = "2001-02-03"
patched_versions = [">= 1.2.3"]
unaffected_versions = ["0.1.2"]`,
    );
    assert.equal(a.title, "All your base");
    assert.equal(affected(a, "1.2.2"), true);
    assert.equal(affected(a, "1.2.3"), false);
    // a bare version is a caret requirement: ^0.1.2 is 0.1.2 up to 0.2.0
    assert.equal(affected(a, "0.1.9"), false);
    assert.equal(affected(a, "0.2.0"), true);
  });

  it("rejects malformed advisories, naming the file", () => {
    const bad = (text: string, re: RegExp) =>
      assert.throws(
        () => parseAdvisory("crates/x/RUSTSEC-0.md", text),
        (e: unknown) => e instanceof WharfError && e.code === "ADVISORY_INVALID" && re.test(e.message),
      );
    bad("# no front matter", /does not start with/);
    bad("```toml\n[advisory]\n", /not closed/);
    bad(md('[advisory]\nid = "X"\ndate = "2020-01-01"'), /`package` is missing/);
    bad(
      md('[advisory]\nid = "X"\npackage = "x"\ndate = "2020-01-01"\n[versions]\npatched = ["1.*"]'),
      /wildcard/,
    );
    bad(
      md(
        '[advisory]\nid = "X"\npackage = "x"\ndate = "2020-01-01"\n[versions]\npatched = [">= 1.0.0", ">= 2.0.0"]',
      ),
      /overlapping/,
    );
    bad(
      md(
        '[advisory]\nid = "X"\npackage = "x"\ndate = "2020-01-01"\n[versions]\npatched = [">= 1.0, >= 2.0"]',
      ),
      /lower bound/,
    );
    bad(
      md(
        '[advisory]\nid = "X"\npackage = "x"\ndate = "2020-01-01"\n[versions]\npatched = ["> 2.0.0, < 1.0.0"]',
      ),
      /empty/,
    );
  });
});

describe("advisory version ranges", () => {
  it("patched and unaffected ranges, bounds included or not", () => {
    const a = adv("R-1", "foo", "", 'patched = [">= 1.2.3, < 1.3.0", ">= 1.3.4"]\nunaffected = ["<= 0.1.2"]');
    const expect: [string, boolean][] = [
      ["0.1.0", false],
      ["0.1.2", false],
      ["0.1.3", true],
      ["1.2.2", true],
      ["1.2.3", false],
      ["1.2.9", false],
      ["1.3.0", true],
      ["1.3.3", true],
      ["1.3.4", false],
      ["7.0.0", false],
    ];
    for (const [v, want] of expect) assert.equal(affected(a, v), want, v);
  });

  it("caret, tilde and exact requirements as rustsec bounds them", () => {
    const caret = adv("R-2", "foo", "", 'patched = ["^1.4.2", "^0.3.1", "^0.0.7"]');
    assert.deepEqual(
      [
        "1.4.1",
        "1.4.2",
        "1.99.0",
        "2.0.0-alpha",
        "2.0.0",
        "0.3.0",
        "0.3.1",
        "0.3.9",
        "0.4.0",
        "0.0.6",
        "0.0.7",
        "0.0.8",
      ].map((v) => affected(caret, v)),
      [true, false, false, true, true, true, false, false, true, true, false, true],
    );
    const tilde = adv("R-3", "foo", "", 'patched = ["~1.4.2", "=2.0.1"]');
    assert.deepEqual(
      ["1.4.2", "1.4.9", "1.5.0", "2.0.0", "2.0.1", "2.0.2"].map((v) => affected(tilde, v)),
      [false, false, true, true, false, true],
    );
  });

  it("orders pre-releases by precedence, not by requirement matching", () => {
    const a = adv("R-4", "foo", "", 'patched = [">= 1.2.3"]');
    assert.equal(affected(a, "1.2.3-rc.1"), true);
    // a requirement would not match 2.0.0-beta; the interval does
    assert.equal(affected(a, "2.0.0-beta"), false);
    assert.equal(rangeOf("< 1.2").end.kind, "exclusive");
  });

  it("no patched and no unaffected versions: every version is affected", () => {
    const a = adv("R-5", "foo", "", "patched = []");
    assert.equal(affected(a, "0.0.1"), true);
    assert.equal(affected(a, "99.0.0"), true);
  });
});

describe("matching advisories against locked packages", () => {
  const pkgs: AuditPackage[] = [
    { name: "foo", version: "1.0.0", source: CRATES_IO },
    { name: "foo", version: "1.3.0", source: CRATES_IO },
    { name: "bar", version: "0.5.0", source: "sparse+https://index.crates.io/" },
    { name: "baz", version: "2.0.0", source: "registry+https://my.registry/index" },
    { name: "local", version: "0.1.0" },
    { name: "gitdep", version: "1.0.0", source: "git+https://example.com/g#abc" },
    { name: "evil", version: "0.1.0", source: CRATES_IO },
  ];

  it("finds vulnerabilities, warnings and malicious crates exactly", () => {
    const advisories = [
      adv("RUSTSEC-2024-0001", "foo", "", 'patched = [">= 1.2.0"]'),
      adv("RUSTSEC-2024-0002", "foo", 'withdrawn = "2024-02-01"', "patched = []"),
      adv("RUSTSEC-2024-0003", "bar", 'informational = "unmaintained"', "patched = []"),
      adv("RUSTSEC-2024-0004", "bar", 'informational = "unsound"', 'patched = [">= 0.5.0"]'),
      adv("RUSTSEC-2024-0005", "baz", "", "patched = []"),
      adv(
        "RUSTSEC-2024-0006",
        "baz",
        'source = "registry+https://my.registry/index"',
        'patched = [">= 2.0.1"]',
      ),
      adv("RUSTSEC-2024-0007", "local", "", "patched = []"),
      adv("RUSTSEC-2024-0008", "gitdep", "", "patched = []"),
      adv("RUSTSEC-2024-0009", "evil", 'categories = ["malicious"]', "patched = []"),
      adv("RUSTSEC-2024-0010", "foo", 'informational = "notice"', 'patched = [">= 1.1.0"]'),
    ];
    const r = matchAdvisories(advisories, pkgs);
    const ids = (fs: typeof r.vulnerabilities) =>
      fs.map((f) => `${f.kind} ${f.advisory.id} ${f.package.name}@${f.package.version}`);
    assert.deepEqual(ids(r.vulnerabilities), [
      "malicious RUSTSEC-2024-0009 evil@0.1.0",
      "vulnerability RUSTSEC-2024-0006 baz@2.0.0",
      "vulnerability RUSTSEC-2024-0001 foo@1.0.0",
    ]);
    assert.deepEqual(ids(r.warnings), [
      "unmaintained RUSTSEC-2024-0003 bar@0.5.0",
      "notice RUSTSEC-2024-0010 foo@1.0.0",
    ]);
  });

  it("filters by target os/arch and ignores ids on request", () => {
    const win = adv("RUSTSEC-2024-0011", "foo", "", 'patched = []\n[affected]\nos = ["windows"]');
    const plain = adv("RUSTSEC-2024-0012", "foo", "", "patched = []");
    assert.equal(matchAdvisories([win, plain], pkgs).vulnerabilities.length, 4);
    const linux = matchAdvisories([win, plain], pkgs, { targetOs: "linux", ignore: ["RUSTSEC-2024-0012"] });
    assert.equal(linux.vulnerabilities.length, 0);
  });
});
