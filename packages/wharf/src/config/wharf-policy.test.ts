import assert from "node:assert/strict";
import { test } from "node:test";
import { isWharfError } from "@wharf/protocol";
import { makeTestTree } from "./test-tree.js";
import { describeException, loadWharfConfig } from "./wharf-policy.js";

function setup(files: Record<string, string>) {
  const t = makeTestTree(files);
  return { t, opts: { workspaceRoot: t.path("ws"), wharfHome: t.wharfHome } };
}

test("defaults when no file exists", () => {
  const { t, opts } = setup({});
  try {
    const r = loadWharfConfig(opts);
    assert.equal(r.policy.sandbox.enabled.value, true);
    assert.equal(r.policy.typosquat.enabled.value, true);
    assert.equal(r.policy.buildScripts.maxSeverity.value, "medium");
    assert.equal(r.policy.registries.allow.value, undefined);
    assert.deepEqual(r.warnings, []);
  } finally {
    t.cleanup();
  }
});

test("trust rule: a project wharf.toml cannot disable the sandbox", () => {
  const { t, opts } = setup({ "ws/wharf.toml": "[sandbox]\nenabled = false\n" });
  try {
    const r = loadWharfConfig(opts);
    assert.equal(r.policy.sandbox.enabled.value, true);
    const w = r.warnings.find((d) => d.code === "WHARF_POLICY_LOOSENING_IGNORED");
    assert.ok(w, "expected a warning");
    assert.equal(w.file, t.path("ws/wharf.toml"));
    assert.ok(w.message.includes("sandbox.enabled = false"));
    assert.ok(w.message.includes(t.path("ws/wharf.toml")));
    assert.ok(w.message.includes(`${t.wharfHome}/config.toml`), w.message);
    assert.ok(w.message.includes("command line"));
  } finally {
    t.cleanup();
  }
});

test("trust rule: the same setting in WHARF_HOME's config or on the command line works", () => {
  const { t, opts } = setup({ "wharf-home/config.toml": "[sandbox]\nenabled = false\n" });
  try {
    const r = loadWharfConfig(opts);
    assert.equal(r.policy.sandbox.enabled.value, false);
    assert.deepEqual(r.policy.sandbox.enabled.origin, { kind: "user", file: `${t.wharfHome}/config.toml` });
    assert.deepEqual(r.warnings, []);
    const cli = loadWharfConfig({ ...opts, cliOverrides: { sandbox: { enabled: true } } });
    assert.equal(cli.policy.sandbox.enabled.value, true);
    assert.deepEqual(cli.policy.sandbox.enabled.origin, { kind: "cli" });
  } finally {
    t.cleanup();
  }
});

test("trust rule: a project may narrow the registry allow-list but not widen it", () => {
  const { t, opts } = setup({
    "wharf-home/config.toml": '[registries]\nallow = ["crates-io", "corp"]\n',
    "ws/wharf.toml": '[registries]\nallow = ["corp", "evil-mirror"]\nallow-sources = ["registry"]\n',
  });
  try {
    const r = loadWharfConfig(opts);
    assert.deepEqual(r.policy.registries.allow.value, ["corp"]);
    assert.deepEqual(r.policy.registries.allowSources.value, ["registry"]);
    const w = r.warnings.find((d) => d.message.includes("registries.allow"));
    assert.ok(w?.message.includes("evil-mirror"));
  } finally {
    t.cleanup();
  }
});

test("trust rule: with no user allow-list, a project allow-list tightens (any -> listed)", () => {
  const { t, opts } = setup({ "ws/wharf.toml": '[registries]\nallow = ["crates-io"]\n' });
  try {
    const r = loadWharfConfig(opts);
    assert.deepEqual(r.policy.registries.allow.value, ["crates-io"]);
    assert.equal(r.warnings.length, 0);
  } finally {
    t.cleanup();
  }
});

test("trust rule: thresholds and severities only move toward stricter from a project", () => {
  const { t, opts } = setup({
    "wharf-home/config.toml": '[typosquat]\nthreshold = 2\n[build-scripts]\nmax-severity = "low"\n',
    "ws/wharf.toml":
      '[typosquat]\nthreshold = 1\nenabled = false\ndeny = true\n[build-scripts]\nmax-severity = "critical"\n[audit]\nadvisory-db = "empty-db"\nbanned = ["left-pad"]\ngit-deps-pinned = true\n',
  });
  try {
    const r = loadWharfConfig(opts);
    assert.equal(r.policy.typosquat.threshold.value, 2);
    assert.equal(r.policy.typosquat.enabled.value, true);
    assert.equal(r.policy.typosquat.deny.value, true);
    assert.equal(r.policy.buildScripts.maxSeverity.value, "low");
    assert.equal(r.policy.audit.advisoryDb.value, undefined);
    assert.deepEqual(
      r.policy.audit.banned.map((b) => b.value),
      ["left-pad"],
    );
    assert.equal(r.policy.audit.gitDepsPinned.value, true);
    const keys = r.warnings
      .filter((w) => w.code === "WHARF_POLICY_LOOSENING_IGNORED")
      .map((w) => w.message.split("`")[1]);
    assert.deepEqual(keys.sort(), [
      `audit.advisory-db = "${t.path("ws/empty-db")}"`,
      'build-scripts.max-severity = "critical"',
      "typosquat.enabled = false",
      "typosquat.threshold = 1",
    ]);
  } finally {
    t.cleanup();
  }
});

test("per-crate sandbox exceptions from a project are kept narrow and recorded with their origin", () => {
  const { t, opts } = setup({
    "ws/wharf.toml":
      '[sandbox.allow.openssl-sys]\nread = ["vendor/openssl", "/etc/ssl", "../outside"]\nenv = ["OPENSSL_DIR", "GITHUB_TOKEN"]\n[sandbox.allow.bindgen-thing]\nnetwork = true\n',
    "wharf-home/config.toml": '[sandbox.allow.ring]\nread = ["/opt/ring"]\nenv = ["AWS_LC_SYS_STATIC"]\n',
  });
  try {
    const r = loadWharfConfig(opts);
    const [ring, openssl, bindgen] = r.exceptionsUsed;
    assert.ok(ring && "network" in ring && ring.crate === "ring");
    assert.deepEqual(ring.read, ["/opt/ring"]);
    assert.deepEqual(ring.env, ["AWS_LC_SYS_STATIC"]);
    assert.equal(ring.origin.kind, "user");
    assert.ok(openssl && "network" in openssl);
    assert.deepEqual(openssl.read, [t.path("ws/vendor/openssl")]);
    assert.deepEqual(openssl.env, ["OPENSSL_DIR"]);
    assert.deepEqual(openssl.origin, { kind: "project", file: t.path("ws/wharf.toml") });
    assert.ok(bindgen && "network" in bindgen && bindgen.network);
    assert.ok(describeException(bindgen).includes("network"));
    assert.ok(describeException(bindgen).includes(t.path("ws/wharf.toml")));
    assert.equal(r.warnings.filter((w) => w.code === "WHARF_POLICY_LOOSENING_IGNORED").length, 2);
  } finally {
    t.cleanup();
  }
});

test("unknown keys warn; wrong types fail naming file and key; syntax errors carry line:col", () => {
  const { t, opts } = setup({ "ws/wharf.toml": "[sandbox]\nenabeld = false\n[colour]\nx = 1\n" });
  try {
    const r = loadWharfConfig(opts);
    const unknown = r.warnings.filter((w) => w.code === "WHARF_TOML_UNUSED_KEY").map((w) => w.message);
    assert.equal(unknown.length, 2);
    assert.ok(unknown.some((m) => m.includes("sandbox.enabeld")));
    t.write("ws/wharf.toml", '[sandbox]\nenabled = "no"\n');
    assert.throws(
      () => loadWharfConfig(opts),
      (e: unknown) =>
        isWharfError(e) &&
        e.message ===
          `invalid type for \`sandbox.enabled\` in ${t.path("ws/wharf.toml")}: expected a boolean, found a string`,
    );
    t.write("ws/wharf.toml", "[typosquat]\nthreshold = 9\n");
    assert.throws(
      () => loadWharfConfig(opts),
      (e: unknown) => isWharfError(e) && e.code === "WHARF_TOML_VALUE",
    );
    t.write("ws/wharf.toml", "[sandbox\n");
    assert.throws(
      () => loadWharfConfig(opts),
      (e: unknown) =>
        isWharfError(e) &&
        e.code === "CONFIG_TOML_SYNTAX" &&
        e.message.includes(`${t.path("ws/wharf.toml")}:1:`),
    );
  } finally {
    t.cleanup();
  }
});

test("trust rule: a project may lower sandbox limits, never raise them; the user config may", () => {
  const { t, opts } = setup({
    "home/config.toml": '[sandbox.limits]\ntimeout = 600\ndisk = "1GiB"\n',
    "ws/wharf.toml":
      '[sandbox.limits]\ntimeout = 900\ndisk = "256MiB"\nprocesses = 5000\nmemory = 1073741824\n',
  });
  try {
    const r = loadWharfConfig({ ...opts, wharfHome: t.path("home") });
    const l = r.policy.sandbox.limits;
    assert.equal(l.timeout?.value, 600, "raised above the user's 600 s");
    assert.equal(l.disk?.value, 256 * 1024 ** 2);
    assert.equal(l.processes, undefined, "5000 is above the built-in 1024");
    assert.equal(l.memory?.value, 1024 ** 3);
    const keys = r.warnings.filter((w) => w.code === "WHARF_POLICY_LOOSENING_IGNORED").map((w) => w.message);
    assert.equal(keys.length, 2);
    assert.ok(keys.some((m) => m.includes("sandbox.limits.timeout = 900")));
    assert.ok(keys.some((m) => m.includes("sandbox.limits.processes = 5000")));
    const big = loadWharfConfig({ ...opts, cliOverrides: { sandbox: { limits: { processes: 9000 } } } });
    assert.equal(big.policy.sandbox.limits.processes?.value, 9000);
  } finally {
    t.cleanup();
  }
});

test("a sandbox limit must be a positive integer or a size", () => {
  const { t, opts } = setup({ "ws/wharf.toml": '[sandbox.limits]\ndisk = "lots"\n' });
  try {
    assert.throws(
      () => loadWharfConfig(opts),
      (e) => isWharfError(e) && e.message.includes("sandbox.limits.disk"),
    );
  } finally {
    t.cleanup();
  }
});
