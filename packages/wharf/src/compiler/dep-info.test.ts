import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseDepInfo } from "./dep-info.js";

describe("dep-info", () => {
  test("inputs without outputs, escaped spaces, env-dep lines", () => {
    const text = [
      "/t/out/app-1.d: src/main.rs src/a\\ b.rs",
      "",
      "/t/out/app-1: src/main.rs src/a\\ b.rs",
      "",
      "src/main.rs:",
      "src/a\\ b.rs:",
      "",
      "# env-dep:CARGO_PKG_NAME=app",
      "# env-dep:MY_FLAG",
      "",
    ].join("\n");
    const info = parseDepInfo(text, (p) => (p.startsWith("/") ? p : `/ws/${p}`));
    assert.deepEqual(info.files.sort(), ["/ws/src/a b.rs", "/ws/src/main.rs"]);
    assert.deepEqual(info.envDeps, [
      ["CARGO_PKG_NAME", "app"],
      ["MY_FLAG", null],
    ]);
  });
});
