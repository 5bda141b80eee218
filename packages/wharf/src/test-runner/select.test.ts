/**
 * Target selection for `wharf test` / `wharf bench` (cargo's unit generator) and the limit
 * parsers.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Package, Target } from "@wharf/protocol";
import { limitsFrom, parseSize } from "./limits.js";
import { emptyTestSelection, testUnitsFor } from "./select.js";

function target(kind: Target["kind"], name: string, extra: Partial<Target> = {}): Target {
  return {
    kind,
    name,
    crateTypes: kind === "lib" ? ["lib"] : ["bin"],
    srcPath: `/p/${name}.rs`,
    edition: "2021",
    doc: true,
    doctest: kind === "lib",
    test: kind === "lib" || kind === "bin" || kind === "test",
    bench: kind === "lib" || kind === "bin" || kind === "bench",
    harness: true,
    procMacro: false,
    forHost: false,
    ...extra,
  };
}

const pkg = {
  name: "p",
  targets: [
    target("lib", "p"),
    target("bin", "p"),
    target("test", "it"),
    target("example", "ex"),
    target("bench", "b"),
  ],
} as unknown as Package;

const names = (units: ReturnType<typeof testUnitsFor>) =>
  units.map((u) => `${u.mode}:${u.target.kind}:${u.target.name}`);

describe("test target selection", () => {
  test("default: tested targets as harnesses, examples built, lib doc tests", () => {
    assert.deepEqual(names(testUnitsFor(pkg, emptyTestSelection(), "test", new Set())), [
      "test:lib:p",
      "test:bin:p",
      "test:test:it",
      "build:example:ex",
      "doctest:lib:p",
    ]);
  });
  test("bench: the benched targets", () => {
    assert.deepEqual(names(testUnitsFor(pkg, emptyTestSelection(), "bench", new Set())), [
      "test:lib:p",
      "test:bin:p",
      "test:bench:b",
    ]);
  });
  test("--examples runs examples as tests; --doc is the doc tests alone", () => {
    const sel = { ...emptyTestSelection(), allExamples: true };
    assert.deepEqual(names(testUnitsFor(pkg, sel, "test", new Set())), ["test:example:ex"]);
    const doc = { ...emptyTestSelection(), doc: true };
    assert.deepEqual(names(testUnitsFor(pkg, doc, "test", new Set())), ["doctest:lib:p"]);
  });
  test("an unknown --test names the available ones", () => {
    const sel = { ...emptyTestSelection(), tests: ["nope"] };
    assert.throws(() => testUnitsFor(pkg, sel, "test", new Set()), /no test target named `nope`/);
  });
});

describe("limits", () => {
  test("sizes, flags over environment over defaults", () => {
    assert.equal(parseSize("512MiB", "m"), 512 * 1024 ** 2);
    assert.equal(parseSize("2G", "m"), 2 * 1024 ** 3);
    assert.throws(() => parseSize("lots", "memory limit"), /invalid memory limit `lots`/);
    const l = limitsFrom(
      { timeout: "5m" },
      { WHARF_TEST_TIMEOUT: "9", WHARF_TEST_PROCESS_LIMIT: "32" },
      8 * 1024 ** 3,
    );
    assert.equal(l.timeoutMs, 300_000);
    assert.equal(l.maxProcesses, 32);
    assert.equal(l.memoryBytes, 6 * 1024 ** 3);
  });
});
