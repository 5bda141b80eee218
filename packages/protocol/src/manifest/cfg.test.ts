import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { formatPlatform, parsePlatform } from "./cfg.js";

describe("platform specs", () => {
  const canonical: [string, string][] = [
    ["cfg(unix)", "cfg(unix)"],
    ['cfg(target_os="linux")', 'cfg(target_os = "linux")'],
    [
      'cfg(all(target_os="linux",not(target_arch = "x86")))',
      'cfg(all(target_os = "linux", not(target_arch = "x86")))',
    ],
    ["cfg(any( windows , unix ))", "cfg(any(windows, unix))"],
    ["cfg(any())", "cfg(any())"],
    ["cfg(true)", "cfg(true)"],
    ["x86_64-unknown-linux-gnu", "x86_64-unknown-linux-gnu"],
    ["thumbv8m.base-none-eabi", "thumbv8m.base-none-eabi"],
  ];
  for (const [input, expected] of canonical) {
    test(`${input} prints as ${expected}`, () => {
      assert.equal(formatPlatform(parsePlatform(input)), expected);
    });
  }
  for (const bad of ["cfg(", "cfg(all(unix)", "cfg(not(a, b))", "cfg(a = )", "foo bar", "", "cfg(1abc)"]) {
    test(`${JSON.stringify(bad)} is refused with a clear error`, () => {
      assert.throws(
        () => parsePlatform(bad),
        (e: Error) => /cfg|target specifier/.test(e.message),
      );
    });
  }
  test("deep nesting is bounded", () => {
    const deep = `cfg(${"not(".repeat(1000)}unix${")".repeat(1000)})`;
    assert.throws(() => parsePlatform(deep), /nests too deeply/);
  });
});
