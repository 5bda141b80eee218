import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { TomlProfile } from "@wharf/protocol";
import { resolveProfiles } from "./profiles.js";

const none = { manifest: undefined, config: new Map<string, TomlProfile>() };
const unit = { packageName: "dep", isMember: false, forHost: false };

describe("profiles", () => {
  test("dev and release defaults as cargo 1.95 passes them", () => {
    const dev = resolveProfiles(none, "dev");
    assert.equal(dev.dirName, "debug");
    assert.deepEqual(
      [dev.base.optLevel, dev.base.debuginfo, dev.base.strip, dev.base.incremental],
      ["0", "2", "none", true],
    );
    const release = resolveProfiles(none, "release");
    // release strips debuginfo by default because it has none
    assert.deepEqual(
      [release.base.optLevel, release.base.debuginfo, release.base.strip],
      ["3", "0", "debuginfo"],
    );
    // build scripts and proc macros: opt-level 0, no debuginfo
    const host = dev.profileFor({ ...unit, forHost: true });
    assert.deepEqual([host.optLevel, host.debuginfo], ["0", "0"]);
  });

  test("custom profiles inherit; config wins over the manifest; package overrides skip members for `*`", () => {
    const manifest = new Map<string, TomlProfile>([
      ["fast", { inherits: "release", debug: true, package: new Map([["*", { optLevel: 1 }]]) }],
    ]);
    const config = new Map<string, TomlProfile>([["fast", { codegenUnits: 4 }]]);
    const fast = resolveProfiles({ manifest, config }, "fast");
    assert.equal(fast.dirName, "fast");
    assert.deepEqual(
      [fast.base.optLevel, fast.base.debuginfo, fast.base.codegenUnits, fast.base.strip],
      ["3", "2", 4, "none"],
    );
    assert.equal(fast.profileFor(unit).optLevel, "1");
    assert.equal(fast.profileFor({ ...unit, isMember: true }).optLevel, "3");
  });

  test("an inheritance loop and an undefined profile are errors", () => {
    const manifest = new Map<string, TomlProfile>([
      ["a", { inherits: "b" }],
      ["b", { inherits: "a" }],
    ]);
    assert.throws(() => resolveProfiles({ manifest, config: new Map() }, "a"), /inheritance loop/);
    assert.throws(() => resolveProfiles(none, "nope"), /not defined/);
  });
});
