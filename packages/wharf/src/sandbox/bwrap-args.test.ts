import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type BwrapHost, bwrapArgs, readBinds, SANDBOX_HOME, skeleton } from "./bwrap-args.js";
import type { SandboxJob } from "./sandbox.js";

const host: BwrapHost = {
  topLevel: new Map([
    ["/bin", { kind: "symlink", target: "usr/bin" }],
    ["/lib", { kind: "symlink", target: "usr/lib" }],
  ]),
  existing: new Set(["/etc/alternatives", "/etc/passwd", "/etc/resolv.conf", "/etc/ssl"]),
  disableUserns: true,
};

const job: SandboxJob = {
  program: "/opt/rust/bin/rustc",
  args: ["--crate-name", "x"],
  cwd: "/work/proj",
  env: { PATH: "/usr/bin", SECRET_LOOKING: "kept-because-declared" },
  reads: ["/work/proj", "/work/proj/src", "/work/proj/target/debug"],
  writeDir: "/work/proj/target/debug/.wharf-work/x",
  limits: {},
};

function pairs(args: string[], flag: string): string[] {
  return args.flatMap((a, i) => (a === flag ? [args[i + 1]!] : []));
}

describe("bwrap command line", () => {
  test("every namespace, no network, caps dropped, /proc/sys read-only, cleared env, HOME hidden", () => {
    const a = bwrapArgs({ job, host, toolchain: ["/opt/rust"] });
    for (const f of [
      "--unshare-all",
      "--unshare-user",
      "--disable-userns",
      "--die-with-parent",
      "--new-session",
    ])
      assert.ok(a.includes(f), f);
    assert.ok(!a.includes("--share-net"));
    assert.equal(a[a.indexOf("--cap-drop") + 1], "ALL");
    assert.deepEqual(pairs(a, "--ro-bind").slice(-1), ["/proc/sys"]);
    assert.ok(a.includes("--clearenv"));
    assert.deepEqual(pairs(a, "--setenv"), ["HOME", "PATH", "SECRET_LOOKING"]);
    assert.equal(a[a.indexOf("HOME") + 1], SANDBOX_HOME);
    assert.ok(!a.includes("/etc/resolv.conf"), "name resolution only with network");
    // never the host root
    assert.ok(!pairs(a, "--ro-bind").includes("/") && !pairs(a, "--ro-bind-try").includes("/"));
    assert.deepEqual(a.slice(a.indexOf("--") + 1), ["/opt/rust/bin/rustc", "--crate-name", "x"]);
  });

  test("reads are bound read-only before the one writable dir, which comes last, then / is read-only", () => {
    const a = bwrapArgs({ job, host, toolchain: ["/opt/rust"] });
    assert.deepEqual(pairs(a, "--ro-bind-try"), ["/opt/rust", "/work/proj"]);
    assert.deepEqual(pairs(a, "--bind"), [job.writeDir]);
    assert.ok(a.indexOf("--bind") > a.lastIndexOf("--ro-bind-try"));
    assert.ok(a.indexOf("--remount-ro") > a.indexOf("--bind"));
  });

  test("a network grant shares the network and adds name resolution and certificates", () => {
    const a = bwrapArgs({
      job: { ...job, grants: { read: ["/srv/data"], network: true } },
      host,
      toolchain: [],
    });
    assert.ok(a.includes("--share-net"));
    assert.ok(pairs(a, "--ro-bind").includes("/etc/resolv.conf"));
    assert.ok(pairs(a, "--ro-bind").includes("/etc/ssl"));
    assert.ok(pairs(a, "--ro-bind-try").includes("/srv/data"));
  });

  test("bind targets under /tmp get read-only parent directories", () => {
    assert.deepEqual(skeleton(["/tmp/a/b/src", "/tmp/a/b/target/x", "/tmp/a/b/target"], "/tmp"), [
      "/tmp/a",
      "/tmp/a/b",
    ]);
    assert.deepEqual(skeleton(["/home/u/p"], "/tmp"), []);
  });

  test("nested and duplicate reads collapse to their parents", () => {
    assert.deepEqual(readBinds(["/a/b", "/a", "/a/b/c", "/ab", "/w/x/y"], "/w/x"), ["/a", "/ab"]);
  });
});
