/**
 * Differential test of cargo config merging against real cargo 1.95: random and
 * hand-written trees of config files (several directory levels, CARGO_HOME, legacy
 * `config`, includes), `--config` arguments and CARGO_* env vars, dumped by
 * `cargo config get` (nightly-gated, unlocked with cargo's test channel override) and by
 * our merge, compared as data: the whole merged tree, the origin of every leaf and list
 * item, and per-key values with the environment applied. Where cargo fails, we must too.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { displayConfigKey, parseConfigKey } from "./config-key.js";
import { mergeCargoConfig } from "./config-merge.js";
import { ConfigReader } from "./config-reader.js";
import { type ConfigValue, toPlain } from "./config-value.js";
import { describeDefinition } from "./definition.js";

interface Scenario {
  name: string;
  /** path relative to the temp root (`ws/a/.cargo/config.toml`, `home/config.toml`) -> text */
  files: Record<string, string>;
  /** cwd relative to the temp root */
  cwd: string;
  cli?: string[];
  env?: Record<string, string>;
  /** keys to query one by one (with the environment applied) */
  keys?: string[];
}

const cargoAvailable = spawnSync("cargo", ["--version"], { encoding: "utf8" }).status === 0;

function cargoEnv(root: string, extra: Record<string, string> | undefined): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: join(root, "fake-home"),
    CARGO_HOME: join(root, "home"),
    __CARGO_TEST_CHANNEL_OVERRIDE_DO_NOT_USE_THIS: "nightly",
    CARGO_TERM_COLOR: "never",
  };
  // rustup's proxy needs its own home, which lives under the real HOME.
  env.RUSTUP_HOME = process.env.RUSTUP_HOME ?? join(process.env.HOME ?? "/root", ".rustup");
  if (process.env.RUSTUP_TOOLCHAIN) env.RUSTUP_TOOLCHAIN = process.env.RUSTUP_TOOLCHAIN;
  return { ...env, ...extra };
}

function cargoGet(
  root: string,
  s: Scenario,
  args: string[],
): { ok: boolean; stdout: string; stderr: string } {
  const cli = (s.cli ?? []).flatMap((c) => ["--config", c]);
  const r = spawnSync("cargo", [...cli, "-Zunstable-options", "config", "get", ...args], {
    cwd: join(root, s.cwd),
    env: cargoEnv(root, s.env),
    encoding: "utf8",
    timeout: 60_000,
  });
  return { ok: r.status === 0, stdout: r.stdout, stderr: r.stderr };
}

/** [key, origin] for every leaf and list item, as `--show-origin` prints them. */
function originsOf(value: ConfigValue, key: string[], out: string[][]): void {
  if (value.kind === "table") {
    for (const k of [...value.entries.keys()].sort())
      originsOf(value.entries.get(k) as ConfigValue, [...key, k], out);
  } else if (value.kind === "list") {
    for (const item of value.items)
      out.push([`${displayConfigKey(key)}[]`, describeDefinition(item.definition)]);
  } else {
    out.push([displayConfigKey(key), describeDefinition(value.definition)]);
  }
}

/** Where the key of a `key = value` line ends, skipping quoted key parts. */
function keyEnd(line: string): number {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote !== undefined) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (line.startsWith(" = ", i)) return i;
  }
  return -1;
}

function parseShowOrigin(text: string): string[][] {
  const out: string[][] = [];
  let listKey: string | undefined;
  for (const line of text.split("\n")) {
    if (line.startsWith("#") || line === "") continue;
    if (listKey !== undefined) {
      if (line === "]") listKey = undefined;
      else out.push([`${listKey}[]`, line.slice(line.lastIndexOf(" # ") + 3)]);
      continue;
    }
    const eq = keyEnd(line);
    const key = line.slice(0, eq);
    if (line.endsWith(" = [")) listKey = key;
    else out.push([key, line.slice(line.lastIndexOf(" # ") + 3)]);
  }
  return out;
}

function runScenario(s: Scenario): void {
  const root = mkdtempSync(join(tmpdir(), "wharf-cfgdiff-"));
  try {
    mkdirSync(join(root, "home"), { recursive: true });
    mkdirSync(join(root, "fake-home"), { recursive: true });
    mkdirSync(join(root, s.cwd), { recursive: true });
    for (const [rel, text] of Object.entries(s.files)) {
      mkdirSync(dirname(join(root, rel)), { recursive: true });
      writeFileSync(join(root, rel), text);
    }
    const cargoJson = cargoGet(root, s, ["--format", "json-value"]);
    let ours: ReturnType<typeof mergeCargoConfig> | undefined;
    let ourError: unknown;
    try {
      ours = mergeCargoConfig({ cwd: join(root, s.cwd), cargoHome: join(root, "home"), cliConfig: s.cli });
    } catch (error) {
      ourError = error;
    }
    if (!cargoJson.ok) {
      // "config value is not set" is how cargo reports an empty merged config.
      if (cargoJson.stderr.includes("config value `` is not set")) {
        assert.ok(ours, `cargo saw an empty config, we failed: ${String(ourError)}`);
        assert.deepEqual(toPlain(ours.values), {});
        return;
      }
      assert.ok(ourError, `cargo failed but we did not:\n${cargoJson.stderr}`);
      return;
    }
    assert.ok(ours, `we failed where cargo did not: ${String(ourError)}\ncargo: ${cargoJson.stdout}`);
    assert.deepEqual(
      JSON.parse(JSON.stringify(toPlain(ours.values))),
      JSON.parse(cargoJson.stdout),
      "merged tree",
    );
    const cargoOrigins = cargoGet(root, s, ["--show-origin"]);
    const ourOrigins: string[][] = [];
    originsOf(ours.values, [], ourOrigins);
    assert.deepEqual(ourOrigins, parseShowOrigin(cargoOrigins.stdout), "origins");
    const reader = new ConfigReader({ values: ours.values, env: s.env ?? {}, cwd: join(root, s.cwd) });
    for (const key of s.keys ?? []) {
      const c = cargoGet(root, s, [key, "--format", "json-value"]);
      const mine = reader.getCvWithEnv(parseConfigKey(key));
      if (!c.ok) {
        assert.equal(mine, undefined, `cargo has no ${key}: ${c.stderr}`);
        continue;
      }
      assert.ok(mine, `we have no value for ${key}`);
      assert.deepEqual(JSON.parse(JSON.stringify(toPlain(mine))), JSON.parse(c.stdout), `key ${key}`);
      if (mine.kind !== "table") {
        const co = cargoGet(root, s, [key, "--show-origin"]);
        const mo: string[][] = [];
        originsOf(mine, [...parseConfigKey(key)], mo);
        assert.deepEqual(mo, parseShowOrigin(co.stdout), `origin of ${key}`);
      }
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const WS = "ws/a/b/c";
const SCENARIOS: Scenario[] = [
  {
    name: "three levels and CARGO_HOME: scalars deepest-wins, arrays shallow-to-deep",
    cwd: WS,
    files: {
      "ws/.cargo/config.toml": '[build]\njobs = 1\nrustflags = ["-Cws"]\n[alias]\nb = "build"\n',
      "ws/a/b/.cargo/config.toml": '[build]\njobs = 2\nrustflags = ["-Cab"]\n[net]\nretry = 4\n',
      "ws/a/b/c/.cargo/config.toml": '[build]\nrustflags = ["-Cabc1", "-Cabc2"]\n[http]\ntimeout = 9\n',
      "home/config.toml": '[build]\njobs = 7\nrustflags = ["-Chome"]\ntarget-dir = "from-home"\n',
    },
    keys: ["build.jobs", "build.rustflags", "build.target-dir"],
  },
  {
    name: "legacy config wins over config.toml in the same directory",
    cwd: WS,
    files: {
      "ws/a/.cargo/config": "[net]\nretry = 1\n",
      "ws/a/.cargo/config.toml": "[net]\nretry = 2\noffline = true\n",
    },
  },
  {
    name: "legacy config in CARGO_HOME",
    cwd: WS,
    files: {
      "home/config": '[registry]\ndefault = "mine"\n',
      "ws/.cargo/config.toml": "[term]\nverbose = true\n",
    },
  },
  {
    name: "env overrides files, lists append env words",
    cwd: WS,
    files: {
      "ws/.cargo/config.toml":
        '[build]\njobs = 2\nrustflags = ["-Cfile"]\n[http]\ntimeout = 30\n[registries.corp]\nindex = "sparse+https://corp.example/index/"\n',
    },
    env: {
      CARGO_BUILD_JOBS: "5",
      CARGO_BUILD_RUSTFLAGS: "-Cenv1  -Cenv2",
      CARGO_HTTP_TIMEOUT: "60",
      CARGO_REGISTRIES_CORP_INDEX: "sparse+https://other.example/",
      CARGO_NET_OFFLINE: "true",
      CARGO_REGISTRY_DEFAULT: "corp",
      CARGO_PROFILE_RELEASE_OPT_LEVEL: "s",
      CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_LINKER: "clang",
    },
    keys: [
      "build.jobs",
      "build.rustflags",
      "http.timeout",
      "registries.corp.index",
      "net.offline",
      "registry.default",
      "profile.release.opt-level",
      "target.x86_64-unknown-linux-gnu.linker",
      "http.proxy",
    ],
  },
  {
    name: "--config beats env and files; later --config beats earlier",
    cwd: WS,
    files: { "ws/.cargo/config.toml": '[build]\njobs = 2\nrustflags = ["-Cfile"]\n' },
    cli: ["build.jobs = 3", 'build.rustflags = ["-Ccli"]', "build.jobs=4", "net.retry=9"],
    env: { CARGO_BUILD_JOBS: "5", CARGO_BUILD_RUSTFLAGS: "-Cenv", CARGO_NET_RETRY: "1" },
    keys: ["build.jobs", "build.rustflags", "net.retry"],
  },
  {
    name: "--config FILE is relative to the cwd and keeps its path as the origin",
    cwd: WS,
    files: {
      "ws/a/b/c/extra.toml": '[build]\ntarget-dir = "t"\nrustflags = ["-Cextra"]\n',
      "ws/.cargo/config.toml": '[build]\nrustflags = ["-Cws"]\n',
    },
    cli: ["extra.toml", "alias.x = 'check'"],
  },
  {
    name: "includes: includer wins, included lists first, optional missing include skipped",
    cwd: WS,
    files: {
      "ws/.cargo/config.toml":
        'include = ["inc1.toml", { path = "missing.toml", optional = true }, { path = "sub/inc2.toml" }]\n[build]\njobs = 1\nrustflags = ["-Cmain"]\n',
      "ws/.cargo/inc1.toml": '[build]\njobs = 10\nrustflags = ["-Cinc1"]\n[net]\nretry = 3\n',
      "ws/.cargo/sub/inc2.toml": '[build]\nrustflags = ["-Cinc2"]\n[net]\nretry = 4\n',
    },
  },
  {
    name: "include cycle is an error",
    cwd: WS,
    files: {
      "ws/.cargo/config.toml": 'include = ["a.toml"]\n',
      "ws/.cargo/a.toml": 'include = ["config.toml"]\n',
    },
  },
  { name: "include must be an array", cwd: WS, files: { "ws/.cargo/config.toml": 'include = "a.toml"\n' } },
  {
    name: "missing include is an error",
    cwd: WS,
    files: { "ws/.cargo/config.toml": 'include = ["nope.toml"]\n' },
  },
  {
    name: "include of a non-.toml file is an error",
    cwd: WS,
    files: { "ws/.cargo/config.toml": 'include = ["a.json"]\n', "ws/.cargo/a.json": "" },
  },
  {
    name: "runner is a non-mergeable list: deeper replaces shallower",
    cwd: WS,
    files: {
      "ws/.cargo/config.toml": '[target.x86_64-unknown-linux-gnu]\nrunner = ["outer", "--flag"]\n',
      "ws/a/.cargo/config.toml": '[target.x86_64-unknown-linux-gnu]\nrunner = ["inner"]\n',
    },
  },
  {
    name: "runner from --config replaces the file's",
    cwd: WS,
    files: { "ws/.cargo/config.toml": '[target.x86_64-unknown-linux-gnu]\nrunner = ["file"]\n' },
    cli: ['target.x86_64-unknown-linux-gnu.runner = ["cli", "-x"]'],
  },
  {
    name: "credential-provider lists do not merge",
    cwd: WS,
    files: {
      "home/config.toml": '[registries.r]\ncredential-provider = ["cargo:token"]\n',
      "ws/.cargo/config.toml":
        '[registries.r]\ncredential-provider = ["my-provider", "--arg"]\nindex = "https://x/"\n',
    },
  },
  {
    name: "scalar type may change between files",
    cwd: WS,
    files: {
      "ws/.cargo/config.toml": 'build.jobs = "default"\n',
      "ws/a/.cargo/config.toml": "build.jobs = 3\n",
    },
  },
  {
    name: "table vs scalar is a merge error",
    cwd: WS,
    files: { "ws/.cargo/config.toml": "[build]\njobs = 1\n", "ws/a/.cargo/config.toml": "build = 3\n" },
  },
  {
    name: "array vs string is a merge error",
    cwd: WS,
    files: {
      "ws/.cargo/config.toml": 'build.rustflags = ["a"]\n',
      "ws/a/.cargo/config.toml": 'build.rustflags = "b"\n',
    },
  },
  { name: "float is refused", cwd: WS, files: { "ws/.cargo/config.toml": "http.timeout = 1.5\n" } },
  { name: "datetime is refused", cwd: WS, files: { "ws/.cargo/config.toml": "x = 1979-05-27\n" } },
  { name: "syntax error", cwd: WS, files: { "ws/.cargo/config.toml": "[build\njobs = 1\n" } },
  {
    name: "quoted keys, cfg() targets and arrays of tables",
    cwd: WS,
    files: {
      "ws/.cargo/config.toml":
        '[target.\'cfg(target_os = "linux")\']\nrustflags = ["-Clinux"]\n[target."thumbv8m.base-none-eabi"]\nlinker = "x"\n[[weird]]\na = 1\n[[weird]]\nb = [1, 2]\n',
      "ws/a/.cargo/config.toml": '[target.\'cfg(target_os = "linux")\']\nrustflags = ["-Cdeeper"]\n',
    },
    cli: ['target."cfg(unix)".runner = "r"'],
  },
  { name: "--config with a comment is refused", cwd: WS, files: {}, cli: ["build.jobs = 1 # two"] },
  { name: "--config with an inline table is refused", cwd: WS, files: {}, cli: ["build = { jobs = 1 }"] },
  {
    name: "--config with two assignments is refused",
    cwd: WS,
    files: {},
    cli: ["build.jobs = 1\nnet.retry = 2"],
  },
  { name: "--config with a table header is refused", cwd: WS, files: {}, cli: ["[build]\njobs = 1"] },
  { name: "--config may not set a token", cwd: WS, files: {}, cli: ['registries.x.token = "secret"'] },
  { name: "--config may not set registry.token", cwd: WS, files: {}, cli: ['registry.token = "secret"'] },
  { name: "--config with invalid TOML", cwd: WS, files: {}, cli: ["build.jobs ="] },
  {
    name: "--config include relative to cwd",
    cwd: WS,
    files: { "ws/a/b/c/i.toml": "net.retry = 2\n" },
    cli: ['include = ["i.toml"]'],
  },
  { name: "nothing configured", cwd: WS, files: {} },
  {
    name: "CARGO_HOME that is also an ancestor's .cargo is read once",
    cwd: WS,
    files: { "ws/a/.cargo/config.toml": 'build.rustflags = ["-Conce"]\n' },
    env: { CARGO_HOME: "" },
  },
  {
    name: "env replaces runner list, appends to rustflags",
    cwd: WS,
    files: {
      "ws/.cargo/config.toml":
        '[target.x86_64-unknown-linux-gnu]\nrunner = ["file-runner"]\nrustflags = ["-Cf"]\n',
    },
    env: {
      CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUNNER: "env-runner --a",
      CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUSTFLAGS: "-Ce",
    },
    keys: ["target.x86_64-unknown-linux-gnu.runner", "target.x86_64-unknown-linux-gnu.rustflags"],
  },
];

/** Deterministic PRNG so a failing random case can be reproduced from its seed. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomScenario(seed: number): Scenario {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const snippets: readonly ((tag: string) => string)[] = [
    (_t) => `build.jobs = ${Math.floor(rnd() * 8) + 1}\n`,
    (t) => `build.rustflags = ["-C${t}a", "-C${t}b"]\n`,
    (t) => `alias.${pick(["x", "y"])} = ["check", "--${t}"]\n`,
    (t) => `alias.z = "run --${t}"\n`,
    (_t) => `net.retry = ${Math.floor(rnd() * 5)}\n`,
    (_t) => `net.offline = ${rnd() < 0.5}\n`,
    (_t) => `http.timeout = ${Math.floor(rnd() * 100)}\n`,
    (t) => `registries.${pick(["a", "b"])}.index = "https://${t}.example/"\n`,
    (t) => `source.${pick(["s1", "s2"])}.directory = "vendor-${t}"\n`,
    (t) => `env.${pick(["FOO", "BAR"])} = "${t}"\n`,
    (_t) => `profile.dev.opt-level = ${Math.floor(rnd() * 4)}\n`,
    (t) => `build.target-dir = "target-${t}"\n`,
    (_t) => `term.color = "${pick(["auto", "never"])}"\n`,
    (t) => `target.x86_64-unknown-linux-gnu.rustflags = ["-C${t}"]\n`,
  ];
  const file = (tag: string): string => {
    const n = 1 + Math.floor(rnd() * 4);
    let text = "";
    const used = new Set<number>();
    for (let i = 0; i < n; i++) {
      const idx = Math.floor(rnd() * snippets.length);
      if (used.has(idx)) continue;
      used.add(idx);
      text += (snippets[idx] as (t: string) => string)(tag);
    }
    return text;
  };
  const files: Record<string, string> = {};
  for (const [dir, tag] of [
    ["ws/.cargo", "ws"],
    ["ws/a/.cargo", "a"],
    ["ws/a/b/.cargo", "b"],
    ["ws/a/b/c/.cargo", "c"],
    ["home", "home"],
  ] as const) {
    const r = rnd();
    if (r < 0.55) files[`${dir}/config.toml`] = file(tag);
    else if (r < 0.65) files[`${dir}/config`] = file(`${tag}legacy`);
    else if (r < 0.72) {
      files[`${dir}/config`] = file(`${tag}legacy`);
      files[`${dir}/config.toml`] = file(`${tag}toml`);
    } else if (r < 0.8) {
      files[`${dir}/config.toml`] = `include = ["inc.toml"]\n${file(tag)}`;
      files[`${dir}/inc.toml`] = file(`${tag}inc`);
    }
  }
  const cli: string[] = [];
  if (rnd() < 0.5) cli.push("build.jobs = 6");
  if (rnd() < 0.4) cli.push('build.rustflags = ["-Ccli"]');
  if (rnd() < 0.3) {
    files[`${WS}/cli.toml`] = file("clifile");
    cli.push("cli.toml");
  }
  const env: Record<string, string> = {};
  if (rnd() < 0.5) env.CARGO_BUILD_JOBS = "3";
  if (rnd() < 0.5) env.CARGO_BUILD_RUSTFLAGS = "-Cenv1 -Cenv2";
  if (rnd() < 0.3) env.CARGO_NET_RETRY = "7";
  if (rnd() < 0.3) env.CARGO_ALIAS_X = "fmt";
  return {
    name: `random seed ${seed}`,
    cwd: WS,
    files,
    cli,
    env,
    keys: ["build.jobs", "build.rustflags", "net.retry", "alias.x"],
  };
}

const RANDOM_CASES = Number(process.env.WHARF_CONFIG_DIFF_CASES ?? "40");

for (const s of [...SCENARIOS, ...Array.from({ length: RANDOM_CASES }, (_, i) => randomScenario(i + 1))]) {
  test(`cargo config differential: ${s.name}`, { skip: !cargoAvailable && "cargo not on PATH" }, () => {
    // An empty CARGO_HOME in a scenario means "make CARGO_HOME an ancestor's .cargo".
    if (s.env?.CARGO_HOME === "") {
      runHomeIsAncestor(s);
      return;
    }
    runScenario(s);
  });
}

function runHomeIsAncestor(s: Scenario): void {
  const root = mkdtempSync(join(tmpdir(), "wharf-cfgdiff-"));
  try {
    for (const [rel, text] of Object.entries(s.files)) {
      mkdirSync(dirname(join(root, rel)), { recursive: true });
      writeFileSync(join(root, rel), text);
    }
    mkdirSync(join(root, s.cwd), { recursive: true });
    const home = join(root, "ws/a/.cargo");
    const env = { ...cargoEnv(root, {}), CARGO_HOME: home };
    const r = spawnSync("cargo", ["-Zunstable-options", "config", "get", "--format", "json-value"], {
      cwd: join(root, s.cwd),
      env,
      encoding: "utf8",
    });
    const ours = mergeCargoConfig({ cwd: join(root, s.cwd), cargoHome: home });
    assert.deepEqual(JSON.parse(JSON.stringify(toPlain(ours.values))), JSON.parse(r.stdout));
    assert.equal(ours.files.length, 1);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
