/**
 * The rustc command lines cargo 1.95 printed with `cargo build -v` (and `--release`) for a
 * project using libc and serde derive from the Debian corpus; only the hashes and the out
 * dir (Wharf's staging dir) are inputs that differ.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { makeVersion, type Package, type Target } from "@wharf/protocol";
import { resolveProfiles } from "./profiles.js";
import { rustcArgs } from "./rustc-args.js";
import type { Unit } from "./unit.js";

const none = { manifest: undefined, config: new Map() };

function target(
  kind: Target["kind"],
  name: string,
  srcPath: string,
  edition: Target["edition"],
  procMacro = false,
): Target {
  return {
    kind,
    crateTypes: kind === "lib" ? [procMacro ? "proc-macro" : "lib"] : ["bin"],
    name,
    srcPath,
    edition,
    doc: true,
    doctest: true,
    test: true,
    bench: true,
    harness: true,
    procMacro,
    forHost: procMacro,
  };
}

function unit(opts: {
  name: string;
  t: Target;
  features: string[];
  member: boolean;
  profile: "dev" | "release";
  forHost?: boolean;
}): Unit {
  const pkg = { name: opts.name, version: "0.1.0", targets: [opts.t] } as unknown as Package;
  const profiles = resolveProfiles(none, opts.profile);
  return {
    key: opts.name,
    pkg,
    pkgId: { name: opts.name, version: makeVersion(0, 1, 0), source: { kind: "path", path: "/x" } },
    target: opts.t,
    mode: "build",
    forHost: opts.forHost ?? false,
    features: opts.features,
    profile: profiles.profileFor({
      packageName: opts.name,
      isMember: opts.member,
      forHost: opts.forHost ?? false,
    }),
    isMember: opts.member,
    isRoot: opts.member,
    hash: "0123456789abcdef",
    deps: [],
  };
}

const D = "/p/target/debug/deps";

describe("rustc arguments in cargo's order", () => {
  test("a registry lib with features and build-script cfgs (dev)", () => {
    const src = "/usr/share/cargo/registry/libc-0.2.139/src/lib.rs";
    const args = rustcArgs({
      unit: unit({
        name: "libc",
        t: target("lib", "libc", src, "2015"),
        features: ["default", "std"],
        member: false,
        profile: "dev",
      }),
      srcArg: src,
      outDir: D,
      depsDir: D,
      externs: [],
      rustflags: [],
      color: true,
      ownBuildOutput: {
        linkLibs: [],
        linkSearch: [],
        linkArgs: [],
        cfgs: ["freebsd11", "libc_priv_mod_use"],
        checkCfgs: [],
        env: [],
        metadata: [],
        rerunIfChanged: [],
        rerunIfEnvChanged: [],
        warnings: [],
        errors: [],
      },
      linkSearch: [],
      declaredFeatures: ["align", "default", "std"],
    });
    assert.deepEqual(args, [
      "--crate-name",
      "libc",
      "--edition=2015",
      src,
      "--error-format=json",
      "--json=diagnostic-rendered-ansi,artifacts,future-incompat",
      "--crate-type",
      "lib",
      "--emit=dep-info,metadata,link",
      "-C",
      "embed-bitcode=no",
      "-C",
      "debuginfo=2",
      "--cfg",
      'feature="default"',
      "--cfg",
      'feature="std"',
      "--check-cfg",
      "cfg(docsrs,test)",
      "--check-cfg",
      'cfg(feature, values("align", "default", "std"))',
      "-C",
      "metadata=0123456789abcdef",
      "-C",
      "extra-filename=-0123456789abcdef",
      "--out-dir",
      D,
      "-L",
      `dependency=${D}`,
      "--cap-lints",
      "allow",
      "--cfg",
      "freebsd11",
      "--cfg",
      "libc_priv_mod_use",
    ]);
  });

  test("a proc macro: host profile, prefer-dynamic, rlib externs, --extern proc_macro", () => {
    const src = "/usr/share/cargo/registry/serde_derive-1.0.152/src/lib.rs";
    const args = rustcArgs({
      unit: unit({
        name: "serde_derive",
        t: target("lib", "serde_derive", src, "2015", true),
        features: ["default"],
        member: false,
        profile: "dev",
        forHost: true,
      }),
      srcArg: src,
      outDir: D,
      depsDir: D,
      externs: [{ name: "syn", path: `${D}/libsyn-1.rlib` }],
      rustflags: [],
      color: true,
      linkSearch: [],
      declaredFeatures: ["default", "deserialize_in_place"],
    });
    assert.deepEqual(args, [
      "--crate-name",
      "serde_derive",
      "--edition=2015",
      src,
      "--error-format=json",
      "--json=diagnostic-rendered-ansi,artifacts,future-incompat",
      "--crate-type",
      "proc-macro",
      "--emit=dep-info,link",
      "-C",
      "prefer-dynamic",
      "-C",
      "embed-bitcode=no",
      "--cfg",
      'feature="default"',
      "--check-cfg",
      "cfg(docsrs,test)",
      "--check-cfg",
      'cfg(feature, values("default", "deserialize_in_place"))',
      "-C",
      "metadata=0123456789abcdef",
      "-C",
      "extra-filename=-0123456789abcdef",
      "--out-dir",
      D,
      "-L",
      `dependency=${D}`,
      "--extern",
      `syn=${D}/libsyn-1.rlib`,
      "--extern",
      "proc_macro",
      "--cap-lints",
      "allow",
    ]);
  });

  test("a member bin in release: opt-level, strip, no cap-lints", () => {
    const R = "/p/target/release/deps";
    const args = rustcArgs({
      unit: unit({
        name: "probe",
        t: target("bin", "probe", "/p/src/main.rs", "2021"),
        features: [],
        member: true,
        profile: "release",
      }),
      srcArg: "src/main.rs",
      outDir: R,
      depsDir: R,
      externs: [{ name: "libc", path: `${R}/liblibc-1.rlib` }],
      rustflags: [],
      color: true,
      linkSearch: [],
      declaredFeatures: [],
    });
    assert.deepEqual(args, [
      "--crate-name",
      "probe",
      "--edition=2021",
      "src/main.rs",
      "--error-format=json",
      "--json=diagnostic-rendered-ansi,artifacts,future-incompat",
      "--crate-type",
      "bin",
      "--emit=dep-info,link",
      "-C",
      "opt-level=3",
      "-C",
      "embed-bitcode=no",
      "--check-cfg",
      "cfg(docsrs,test)",
      "--check-cfg",
      "cfg(feature, values())",
      "-C",
      "metadata=0123456789abcdef",
      "-C",
      "extra-filename=-0123456789abcdef",
      "--out-dir",
      R,
      "-C",
      "strip=debuginfo",
      "-L",
      `dependency=${R}`,
      "--extern",
      `libc=${R}/liblibc-1.rlib`,
    ]);
  });
});
