import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { linkArgApplies, parseBuildOutput } from "./build-script-output.js";

describe("build script output", () => {
  test("both syntaxes; unknown old-syntax keys are metadata", () => {
    const out = parseBuildOutput(
      [
        "cargo:rustc-cfg=libc_union",
        'cargo::rustc-cfg=feature_x="on"',
        "cargo::rustc-check-cfg=cfg(libc_union)",
        "cargo:rustc-link-lib=static=z",
        "cargo::rustc-link-search=native=/opt/lib",
        "cargo:rustc-flags=-l ssl -L/usr/lib/ssl",
        "cargo::rustc-env=VAR=a=b",
        "cargo:include=/out/include",
        "cargo::metadata=root=/out",
        "cargo::rerun-if-changed=build.rs",
        "cargo:rerun-if-env-changed=CC",
        "cargo::warning=careful",
        "cargo::rustc-link-arg-bin=app=-Wl,-z,now",
        "not a directive",
      ].join("\n"),
      "demo",
    );
    assert.deepEqual(out.cfgs, ["libc_union", 'feature_x="on"']);
    assert.deepEqual(out.checkCfgs, ["cfg(libc_union)"]);
    assert.deepEqual(out.linkLibs, ["static=z", "ssl"]);
    assert.deepEqual(out.linkSearch, ["native=/opt/lib", "/usr/lib/ssl"]);
    assert.deepEqual(out.env, [["VAR", "a=b"]]);
    assert.deepEqual(out.metadata, [
      ["include", "/out/include"],
      ["root", "/out"],
    ]);
    assert.deepEqual(out.rerunIfChanged, ["build.rs"]);
    assert.deepEqual(out.rerunIfEnvChanged, ["CC"]);
    assert.deepEqual(out.warnings, ["careful"]);
    assert.equal(out.linkArgs.length, 1);
    assert.ok(linkArgApplies(out.linkArgs[0]!, { kind: "bin", name: "app", crateTypes: ["bin"] }));
    assert.ok(!linkArgApplies(out.linkArgs[0]!, { kind: "bin", name: "other", crateTypes: ["bin"] }));
  });

  test("an unknown `cargo::` instruction is an error naming the package", () => {
    assert.throws(() => parseBuildOutput("cargo::rustc-frobnicate=1", "demo"), /build script of `demo`/);
  });

  test("rustc-flags accepts only -l and -L", () => {
    assert.throws(() => parseBuildOutput("cargo:rustc-flags=-C opt-level=3", "demo"), /rustc-flags/);
  });
});
