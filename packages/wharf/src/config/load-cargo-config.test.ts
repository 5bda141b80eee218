import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { isWharfError, type WharfError } from "@wharf/protocol";
import { loadCargoConfig } from "./load-cargo-config.js";
import { resolveJobs } from "./read-cargo-config.js";
import { flagsFor } from "./rustflags.js";
import { makeTestTree } from "./test-tree.js";

function load(
  files: Record<string, string>,
  opts: { env?: Record<string, string>; cli?: string[]; cwd?: string } = {},
) {
  const t = makeTestTree(files);
  const cwd = t.path(opts.cwd ?? "ws/crate");
  mkdirSync(cwd, { recursive: true });
  try {
    return {
      t,
      loaded: loadCargoConfig({ cwd, cargoHome: t.cargoHome, env: opts.env ?? {}, cliConfig: opts.cli }),
    };
  } catch (error) {
    t.cleanup();
    throw error;
  }
}

function expectError(fn: () => unknown, code: string, ...parts: (string | RegExp)[]): WharfError {
  try {
    fn();
  } catch (error) {
    assert.ok(isWharfError(error), `expected a WharfError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    for (const p of parts) {
      if (typeof p === "string") assert.ok(error.message.includes(p), `"${error.message}" lacks "${p}"`);
      else assert.match(error.message, p);
    }
    return error;
  }
  assert.fail("expected an error");
}

test("relative paths resolve against the directory holding the defining .cargo dir", () => {
  const { t, loaded } = load({
    "ws/.cargo/config.toml":
      '[build]\ntarget-dir = "out"\n[http]\ncainfo = "certs/ca.pem"\n[source.vendored]\ndirectory = "vendor"\n[source.crates-io]\nreplace-with = "vendored"\n',
    "ws/crate/.cargo/config.toml":
      '[target.x86_64-unknown-linux-gnu]\nlinker = "tools/cc"\nrunner = ["gdb", "-q"]\n',
  });
  try {
    const c = loaded.config;
    assert.equal(c.build.targetDir?.resolved, t.path("ws/out"));
    assert.equal(c.http.cainfo?.resolved, t.path("ws/certs/ca.pem"));
    const vendored = c.source.get("vendored")?.location;
    assert.equal(vendored?.kind === "directory" && vendored.path.resolved, t.path("ws/vendor"));
    const target = c.target.get("x86_64-unknown-linux-gnu");
    assert.equal(target?.linker?.resolved, t.path("ws/crate/tools/cc"));
    // A bare program name is looked up on PATH, not made relative (cargo's string_to_path).
    assert.equal(target?.runner?.program.resolved, "gdb");
    assert.deepEqual(target?.runner?.args, ["-q"]);
    assert.equal(c.build.targetDir?.definition.kind, "path");
  } finally {
    t.cleanup();
  }
});

test("env overrides: CARGO_* names derived from keys, files lose to env, lists append", () => {
  const { t, loaded } = load(
    {
      "ws/.cargo/config.toml":
        '[build]\njobs = 2\nrustflags = ["-Cfile"]\ntarget-dir = "from-file"\n[registries.my-reg]\nindex = "sparse+https://a.example/"\n[net]\nretry = 1\n[profile.release]\nlto = true\n',
    },
    {
      env: {
        CARGO_BUILD_JOBS: "-1",
        CARGO_BUILD_RUSTFLAGS: "-Cenv1 -Cenv2",
        CARGO_HTTP_TIMEOUT: "30",
        CARGO_REGISTRIES_MY_REG_INDEX: "sparse+https://b.example/",
        CARGO_REGISTRY_DEFAULT: "my-reg",
        CARGO_NET_OFFLINE: "true",
        CARGO_NET_RETRY: "5",
        CARGO_HTTP_CAINFO: "ca.pem",
        CARGO_PROFILE_RELEASE_OPT_LEVEL: "z",
        CARGO_PROFILE_DEV_DEBUG: "0",
        CARGO_BUILD_TARGET_DIR: "bt",
      },
    },
  );
  try {
    const c = loaded.config;
    assert.equal(c.build.jobs?.value, -1);
    assert.equal(resolveJobs(c.build.jobs?.value, 8), 7);
    assert.equal(resolveJobs(-20, 8), 1);
    assert.deepEqual(c.build.rustflags?.value, ["-Cfile", "-Cenv1", "-Cenv2"]);
    assert.equal(c.http.timeout?.value, 30);
    assert.deepEqual(c.http.timeout?.definition, { kind: "env", name: "CARGO_HTTP_TIMEOUT" });
    assert.equal(c.registries.get("my-reg")?.index?.value, "sparse+https://b.example/");
    assert.equal(c.registry.default?.value, "my-reg");
    assert.equal(c.net.offline?.value, true);
    assert.equal(c.net.retry?.value, 5);
    // Env-defined paths are relative to the cwd.
    assert.equal(c.http.cainfo?.resolved, t.path("ws/crate/ca.pem"));
    assert.equal(c.build.targetDir?.resolved, t.path("ws/crate/bt"));
    const release = c.profile.get("release")?.table.entries;
    assert.equal(
      release?.get("opt-level")?.kind === "string" && release.get("opt-level")?.definition.kind,
      "env",
    );
    assert.equal(release?.get("lto")?.kind, "boolean");
    assert.ok(c.profile.get("dev"));
  } finally {
    t.cleanup();
  }
});

test("CARGO_TARGET_DIR beats build.target-dir and CARGO_BUILD_TARGET_DIR", () => {
  const { t, loaded } = load(
    { "ws/.cargo/config.toml": 'build.target-dir = "file"\n' },
    { env: { CARGO_TARGET_DIR: "/abs/t", CARGO_BUILD_TARGET_DIR: "bt" } },
  );
  t.cleanup();
  assert.equal(loaded.config.build.targetDir?.resolved, "/abs/t");
  assert.deepEqual(loaded.config.build.targetDir?.definition, { kind: "env", name: "CARGO_TARGET_DIR" });
});

test("target env vars: runner replaced, linker and rustflags for a triple only known from env", () => {
  const { t, loaded } = load(
    {
      "ws/.cargo/config.toml":
        '[target.x86_64-unknown-linux-gnu]\nrunner = ["file-runner"]\nrustflags = ["-Cfile"]\n',
    },
    {
      env: {
        CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUNNER: "qemu -L /x",
        CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUSTFLAGS: "-Cenv",
        CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER: "aarch64-linux-gnu-gcc",
      },
    },
  );
  try {
    const x86 = loaded.config.target.get("x86_64-unknown-linux-gnu");
    assert.equal(x86?.runner?.program.raw, "qemu");
    assert.deepEqual(x86?.runner?.args, ["-L", "/x"]);
    assert.deepEqual(x86?.rustflags?.value, ["-Cfile", "-Cenv"]);
    const flags = flagsFor({
      reader: loaded.reader,
      env: {},
      triple: "aarch64-unknown-linux-gnu",
      cfgMatches: () => false,
    });
    assert.deepEqual(flags.flags, []);
  } finally {
    t.cleanup();
  }
});

test("rustflags precedence: CARGO_ENCODED_RUSTFLAGS > RUSTFLAGS > target (+cfg) > build", () => {
  const { t, loaded } = load({
    "ws/.cargo/config.toml":
      '[build]\nrustflags = "-Cbuild"\n[target.x86_64-unknown-linux-gnu]\nrustflags = ["-Ctriple"]\n[target.\'cfg(unix)\']\nrustflags = ["-Cunix"]\n',
  });
  try {
    const base = {
      reader: loaded.reader,
      triple: "x86_64-unknown-linux-gnu",
      cfgMatches: (k: string) => k === "cfg(unix)",
    };
    assert.deepEqual(flagsFor({ ...base, env: {} }).flags, ["-Ctriple", "-Cunix"]);
    assert.deepEqual(flagsFor({ ...base, env: { RUSTFLAGS: " -Ca  -Cb " } }).flags, ["-Ca", "-Cb"]);
    assert.deepEqual(
      flagsFor({ ...base, env: { RUSTFLAGS: "-Cx", CARGO_ENCODED_RUSTFLAGS: "-C\x1fopt-level=3" } }).flags,
      ["-C", "opt-level=3"],
    );
    assert.deepEqual(
      flagsFor({ ...base, triple: "wasm32-unknown-unknown", cfgMatches: () => false, env: {} }).flags,
      ["-Cbuild"],
    );
  } finally {
    t.cleanup();
  }
});

test("--config KEY=VALUE and --config FILE: highest precedence, file paths relative to that file", () => {
  const { t, loaded } = load(
    {
      "ws/.cargo/config.toml": "[build]\njobs = 2\n",
      "ws/crate/ci/ci.toml": '[build]\ntarget-dir = "ci-target"\n',
    },
    {
      cli: ["build.jobs = 6", "ci/ci.toml", 'build.rustflags = ["-Dwarnings"]'],
      env: { CARGO_BUILD_JOBS: "3" },
    },
  );
  try {
    const c = loaded.config;
    assert.equal(c.build.jobs?.value, 6);
    assert.deepEqual(c.build.jobs?.definition, { kind: "cli" });
    // cargo's Definition::root for a --config file: the parent of the file's directory.
    assert.equal(c.build.targetDir?.resolved, t.path("ws/crate/ci-target"));
    assert.equal(c.build.targetDir?.definition.kind, "cli");
    assert.deepEqual(c.build.rustflags?.value, ["-Dwarnings"]);
  } finally {
    t.cleanup();
  }
});

test("--config restrictions match cargo's", () => {
  const t = makeTestTree();
  try {
    const run = (arg: string) => () =>
      loadCargoConfig({ cwd: t.root, cargoHome: t.cargoHome, env: {}, cliConfig: [arg] });
    expectError(run("build.jobs = 1 # c"), "CONFIG_CLI_ARG", "non-whitespace decoration");
    expectError(run("build = { jobs = 1 }"), "CONFIG_CLI_ARG", "inline table");
    expectError(run("[build]\njobs = 1"), "CONFIG_CLI_ARG", "not a TOML dotted key expression");
    expectError(run("a = 1\nb = 2"), "CONFIG_CLI_ARG", "not a TOML dotted key expression");
    expectError(run("build.jobs ="), "CONFIG_CLI_ARG", "failed to parse value");
    const e = expectError(
      run('registries.corp.token = "hunter2-secret"'),
      "CONFIG_CLI_ARG",
      "registries.corp.token cannot be set",
    );
    assert.ok(!e.message.includes("hunter2"));
    expectError(run('registry.token = "x"'), "CONFIG_CLI_ARG", "registry.token cannot be set");
    const ok = loadCargoConfig({
      cwd: t.root,
      cargoHome: t.cargoHome,
      env: {},
      cliConfig: ['target."cfg(unix)".runner = "r"'],
    });
    assert.equal(ok.config.target.get("cfg(unix)")?.runner?.program.raw, "r");
  } finally {
    t.cleanup();
  }
});

test("type errors name the key and the file", () => {
  const t = makeTestTree({
    "ws/.cargo/config.toml": '[build]\njobs = "many"\n',
    "ws2/.cargo/config.toml": 'net.retry = "3"\n',
  });
  try {
    const file = t.path("ws/.cargo/config.toml");
    expectError(
      () => loadCargoConfig({ cwd: t.path("ws"), cargoHome: t.cargoHome, env: {} }),
      "CONFIG_VALUE",
      `\`build.jobs\` in ${file}`,
      "could not parse `many`",
    );
    expectError(
      () => loadCargoConfig({ cwd: t.path("ws2"), cargoHome: t.cargoHome, env: {} }),
      "CONFIG_TYPE",
      `invalid type for \`net.retry\` in ${t.path("ws2/.cargo/config.toml")}: expected an integer, found a string`,
    );
    expectError(
      () => loadCargoConfig({ cwd: t.root, cargoHome: t.cargoHome, env: { CARGO_HTTP_TIMEOUT: "soon" } }),
      "CONFIG_VALUE",
      "environment variable `CARGO_HTTP_TIMEOUT`",
    );
    expectError(
      () => loadCargoConfig({ cwd: t.root, cargoHome: t.cargoHome, env: { CARGO_BUILD_JOBS: "0" } }),
      "CONFIG_VALUE",
      "jobs may not be 0",
    );
  } finally {
    t.cleanup();
  }
});

test("TOML syntax errors carry file, line and column", () => {
  const t = makeTestTree({ "ws/.cargo/config.toml": '[build]\njobs = 1\nrustflags = ["a",\n  oops]\n' });
  try {
    expectError(
      () => loadCargoConfig({ cwd: t.path("ws"), cargoHome: t.cargoHome, env: {} }),
      "CONFIG_TOML_SYNTAX",
      `${t.path("ws/.cargo/config.toml")}:4:`,
    );
  } finally {
    t.cleanup();
  }
});

test("legacy .cargo/config next to config.toml: cargo's warning, legacy file used", () => {
  const { t, loaded } = load({
    "ws/.cargo/config": "net.retry = 1\n",
    "ws/.cargo/config.toml": "net.retry = 2\n",
  });
  t.cleanup();
  assert.equal(loaded.config.net.retry?.value, 1);
  const w = loaded.warnings.find((d) => d.code === "CONFIG_BOTH_FILES");
  assert.ok(w?.message.includes("Using"));
});

test("tokens in config are flagged and never printed", () => {
  const { t, loaded } = load({
    "ws/.cargo/config.toml":
      '[registries.corp]\nindex = "https://corp.example/"\ntoken = "cio0123456789abcdef0123456789abcdef"\n',
  });
  t.cleanup();
  const reg = loaded.config.registries.get("corp");
  assert.equal(reg?.token?.value.expose(), "cio0123456789abcdef0123456789abcdef");
  assert.equal(String(reg?.token?.value), "<redacted>");
  assert.ok(!JSON.stringify(loaded.config.registries.get("corp")).includes("cio0123"));
  const w = loaded.warnings.find((d) => d.code === "CONFIG_TOKEN_IN_CONFIG");
  assert.ok(w && !w.message.includes("cio0123"));
});

test("source replacement: chains to registries, unknown targets and cycles are errors", () => {
  const ok = load({
    "ws/.cargo/config.toml":
      '[source.crates-io]\nreplace-with = "mirror"\n[source.mirror]\nregistry = "sparse+https://m.example/"\nreplace-with = "corp"\n[registries.corp]\nindex = "sparse+https://c.example/"\n',
  });
  ok.t.cleanup();
  assert.ok(ok.loaded.config.source.get("mirror"));
  expectError(
    () => load({ "ws/.cargo/config.toml": '[source.crates-io]\nreplace-with = "nowhere"\n' }),
    "CONFIG_SOURCE_REPLACEMENT",
    "could not find a configured source with the name `nowhere`",
  );
  expectError(
    () =>
      load({
        "ws/.cargo/config.toml":
          '[source.a]\ndirectory = "a"\nreplace-with = "b"\n[source.b]\ndirectory = "b"\nreplace-with = "a"\n',
      }),
    "CONFIG_SOURCE_REPLACEMENT",
    "detected a cycle",
  );
  expectError(
    () => load({ "ws/.cargo/config.toml": '[source.x]\nreplace-with = "crates-io"\n' }),
    "CONFIG_SOURCE",
    "no source location",
  );
  expectError(
    () => load({ "ws/.cargo/config.toml": '[source.x]\ndirectory = "d"\nbranch = "main"\n' }),
    "CONFIG_SOURCE",
    "requires a `git` key",
  );
  expectError(
    () => load({ "ws/.cargo/config.toml": '[source.x]\ndirectory = "d"\nregistry = "https://r/"\n' }),
    "CONFIG_SOURCE",
    "more than one source location",
  );
});

test("term: verbose and quiet together is an error; color is validated", () => {
  expectError(
    () => load({ "ws/.cargo/config.toml": "term.verbose = true\nterm.quiet = true\n" }),
    "CONFIG_VALUE",
    "cannot set both",
  );
  expectError(
    () => load({ "ws/.cargo/config.toml": 'term.color = "purple"\n' }),
    "CONFIG_VALUE",
    "term.color",
  );
});

test("aliases: string or list", () => {
  const { t, loaded } = load({
    "ws/.cargo/config.toml": '[alias]\nb = "build --release"\nc = ["check", "--all"]\n',
  });
  t.cleanup();
  assert.deepEqual(loaded.config.alias.get("b")?.value, ["build", "--release"]);
  assert.deepEqual(loaded.config.alias.get("c")?.value, ["check", "--all"]);
});

test("a misspelled lowercase env var is ignored with cargo's warning", () => {
  const { t, loaded } = load({}, { env: { cargo_build_jobs: "3" } });
  t.cleanup();
  assert.equal(loaded.config.build.jobs, undefined);
  assert.ok(
    loaded.warnings.some((w) => w.code === "CONFIG_ENV_CASE" && w.message.includes("cargo_build_jobs")),
  );
});

test("profile values are type-checked with the file in the message", () => {
  const { t } = { t: makeTestTree({ "ws/.cargo/config.toml": '[profile.dev]\nopt-level = "fast"\n' }) };
  try {
    expectError(
      () => loadCargoConfig({ cwd: t.path("ws"), cargoHome: t.cargoHome, env: {} }),
      "CONFIG_VALUE",
      `profile.dev.opt-level\` in ${join(t.root, "ws/.cargo/config.toml")}`,
    );
  } finally {
    t.cleanup();
  }
});
