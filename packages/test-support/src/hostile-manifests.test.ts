/**
 * Hostile and malformed manifests given to the built CLI: each must end in a clear error
 * (status 101, an `error:` line naming the problem, no internal error) and never crash or
 * hang. A per-run timeout only guards against a hang; it is not a performance assertion.
 */
import assert from "node:assert/strict";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { packageToml, writeTree } from "./project.js";
import { makeTempHome, runWharf } from "./run.js";

const home = makeTempHome("wharf-hostile-");
after(() => home.cleanup());
let counter = 0;

function project(manifest: string | Uint8Array, extra: Record<string, string> = {}): string {
  const dir = join(home.root, `p${counter++}`);
  mkdirSync(join(dir, "src"), { recursive: true });
  writeFileSync(join(dir, "Cargo.toml"), manifest);
  writeFileSync(join(dir, "src/lib.rs"), "");
  writeTree(dir, extra);
  return dir;
}

function metadata(cwd: string) {
  return runWharf(["metadata", "--no-deps", "--format-version", "1"], {
    cwd,
    env: home.env,
    timeoutMs: 60_000,
  });
}

function assertCleanFailure(cwd: string, expected: RegExp): void {
  const r = metadata(cwd);
  assert.equal(r.status, 101, `expected status 101, got ${r.status}; stderr: ${r.stderr.slice(0, 500)}`);
  assert.match(r.stderr, /^error: /m);
  assert.match(r.stderr, expected);
  assert.doesNotMatch(r.stderr, /internal error|RangeError|Maximum call stack|this is a bug/);
  assert.equal(r.stdout, "", "nothing may be printed on stdout when the command fails");
}

describe("hostile manifests end in a clear error", () => {
  test("arrays nested 100,000 deep", () => {
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    assertCleanFailure(project(`${packageToml("deep")}[package.metadata]\nx = ${deep}\n`), /nest|depth/i);
  });

  test("inline tables nested 20,000 deep", () => {
    const deep = `${"{ a = ".repeat(20_000)}1${" }".repeat(20_000)}`;
    assertCleanFailure(project(`${packageToml("deep")}[package.metadata]\nx = ${deep}\n`), /nest|depth/i);
  });

  test("a dotted key 10,000 segments long", () => {
    const key = Array.from({ length: 10_000 }, () => "a").join(".");
    assertCleanFailure(project(`${packageToml("deep")}[package.metadata]\n${key} = 1\n`), /nest|depth/i);
  });

  test("a table header 10,000 segments deep", () => {
    const key = Array.from({ length: 10_000 }, () => "a").join(".");
    assertCleanFailure(project(`${packageToml("deep")}[package.metadata.${key}]\nx = 1\n`), /nest|depth/i);
  });

  test("a 10 MB string", () => {
    const big = "x".repeat(10 * 1024 * 1024);
    assertCleanFailure(project(`${packageToml("big")}description = "${big}"\n`), /larger than|bytes/);
  });

  test("a 2 MB string under the file limit but over the value limit", () => {
    const big = "x".repeat(2 * 1024 * 1024);
    assertCleanFailure(
      project(`${packageToml("big")}description = "${big}"\n`),
      /package\.description.*characters long/,
    );
  });

  test("duplicate keys", () => {
    assertCleanFailure(
      project(`[package]\nname = "a"\nname = "b"\nversion = "0.1.0"\n`),
      /TOML parse error.*line 3/,
    );
  });

  test("a duplicated table", () => {
    assertCleanFailure(
      project(`[package]\nname = "a"\nversion = "0.1.0"\n[package]\nedition = "2021"\n`),
      /TOML parse error/,
    );
  });

  test("invalid UTF-8", () => {
    const bytes = Buffer.concat([
      Buffer.from(`[package]\nname = "a`),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(`"\nversion = "0.1.0"\n`),
    ]);
    assertCleanFailure(project(bytes), /not valid UTF-8.*line 2/);
  });

  test("NUL bytes and binary garbage", () => {
    const bytes = Buffer.from([0x5b, 0x00, 0x01, 0x02, 0x5d, 0x0a, 0x80]);
    assertCleanFailure(project(bytes), /UTF-8|TOML parse error/);
  });

  test("an empty manifest", () => {
    assertCleanFailure(project(""), /neither a `\[package\]` nor a `\[workspace\]`/);
  });

  const wrongTypes: [string, string, RegExp][] = [
    [
      "package.name",
      `[package]\nname = 1\nversion = "0.1.0"\n`,
      /package\.name.*expected a string, found integer/,
    ],
    ["package.version", `[package]\nname = "a"\nversion = []\n`, /package\.version.*expected a string/],
    ["package.edition", `[package]\nname = "a"\nedition = true\n`, /package\.edition.*expected a string/],
    ["package.authors", `[package]\nname = "a"\nauthors = "me"\n`, /package\.authors.*array of strings/],
    ["package.publish", `[package]\nname = "a"\npublish = "yes"\n`, /package\.publish.*boolean or vector/],
    ["package.build", `[package]\nname = "a"\nbuild = 3\n`, /package\.build/],
    ["package.readme", `[package]\nname = "a"\nreadme = 1\n`, /package\.readme.*boolean or string/],
    ["package.autobins", `[package]\nname = "a"\nautobins = "no"\n`, /package\.autobins.*boolean/],
    [
      "package.version.workspace",
      `[package]\nname = "a"\nversion = { workspace = false }\n`,
      /workspace.*cannot be false/,
    ],
    ["dependencies", `dependencies = 5\n${packageToml("a")}`, /`dependencies`.*expected a table/],
    ["dependencies.foo", `${packageToml("a")}[dependencies]\nfoo = 5\n`, /dependencies\.foo.*version string/],
    [
      "dependencies.foo.features",
      `${packageToml("a")}[dependencies]\nfoo = { version = "1", features = "x" }\n`,
      /dependencies\.foo\.features/,
    ],
    [
      "dependencies.foo.optional",
      `${packageToml("a")}[dependencies]\nfoo = { version = "1", optional = "yes" }\n`,
      /dependencies\.foo\.optional.*boolean/,
    ],
    ["dev-dependencies", `dev-dependencies = []\n${packageToml("a")}`, /dev-dependencies.*table/],
    ["build-dependencies.x", `${packageToml("a")}[build-dependencies]\nx = true\n`, /build-dependencies\.x/],
    ["features", `features = "x"\n${packageToml("a")}`, /`features`.*table/],
    ["features.a", `${packageToml("a")}[features]\na = "b"\n`, /features\.a.*array of strings/],
    ["features.a[0]", `${packageToml("a")}[features]\na = [1]\n`, /features\.a\[0\].*string/],
    ["lib", `lib = []\n${packageToml("a")}`, /`lib`.*table/],
    ["lib.crate-type", `${packageToml("a")}[lib]\ncrate-type = "cdylib"\n`, /lib\.crate-type/],
    ["bin", `${packageToml("a")}[bin]\nname = "x"\n`, /`bin`.*array of tables/],
    ["bin[0].path", `${packageToml("a")}[[bin]]\nname = "x"\npath = 1\n`, /bin\.path.*string/],
    ["test", `test = 1\n${packageToml("a")}`, /`test`.*array/],
    ["example", `example = "e"\n${packageToml("a")}`, /`example`.*array/],
    ["bench", `bench = true\n${packageToml("a")}`, /`bench`.*array/],
    ["target", `target = 1\n${packageToml("a")}`, /`target`.*table/],
    [
      "target.x.dependencies",
      `${packageToml("a")}[target.'cfg(unix)']\ndependencies = 1\n`,
      /dependencies.*table/,
    ],
    ["workspace", `workspace = "x"\n${packageToml("a")}`, /`workspace`.*table/],
    ["workspace.members", `${packageToml("a")}[workspace]\nmembers = "x"\n`, /workspace\.members.*array/],
    [
      "workspace.dependencies.x",
      `${packageToml("a")}[workspace.dependencies]\nx = 1\n`,
      /workspace\.dependencies\.x/,
    ],
    ["profile.dev", `${packageToml("a")}[profile]\ndev = 1\n`, /profile\.dev.*table/],
    [
      "profile.dev.opt-level",
      `${packageToml("a")}[profile.dev]\nopt-level = true\n`,
      /profile\.dev\.opt-level.*integer or string/,
    ],
    [
      "profile.dev.codegen-units",
      `${packageToml("a")}[profile.dev]\ncodegen-units = "x"\n`,
      /codegen-units.*integer/,
    ],
    ["lints", `lints = 1\n${packageToml("a")}`, /`lints`.*table/],
    ["lints.rust.x", `${packageToml("a")}[lints.rust]\nx = "loud"\n`, /unknown lint level/],
    ["badges", `badges = 1\n${packageToml("a")}`, /`badges`.*table/],
    ["patch", `patch = 1\n${packageToml("a")}`, /`patch`.*table/],
    ["replace", `replace = []\n${packageToml("a")}`, /`replace`.*table/],
    ["cargo-features", `cargo-features = "x"\n${packageToml("a")}`, /cargo-features.*array/],
  ];
  for (const [key, manifest, expected] of wrongTypes) {
    test(`a wrong type at ${key}`, () => {
      assertCleanFailure(project(manifest), expected);
    });
  }

  test("type errors point at the line and column", () => {
    const r = metadata(project(`[package]\nname = "a"\nversion = "0.1.0"\nedition = 2021\n`));
    assert.equal(r.status, 101);
    assert.match(r.stderr, /Cargo\.toml:4:11/);
  });

  test("a cycle of package.workspace pointers", () => {
    const dir = join(home.root, `p${counter++}`);
    writeTree(dir, {
      "a/Cargo.toml": `${packageToml("a")}workspace = "../b"\n`,
      "a/src/lib.rs": "",
      "b/Cargo.toml": `${packageToml("b")}workspace = "../a"\n`,
      "b/src/lib.rs": "",
    });
    assertCleanFailure(join(dir, "a"), /not configured with \[workspace\]/);
  });

  test("a cycle of path dependencies loads, as cargo's metadata --no-deps does", () => {
    const dir = join(home.root, `p${counter++}`);
    writeTree(dir, {
      "Cargo.toml": `${packageToml("a")}[workspace]\n[dependencies]\nb = { path = "b" }\n`,
      "src/lib.rs": "",
      "b/Cargo.toml": `${packageToml("b")}[dependencies]\na = { path = ".." }\n`,
      "b/src/lib.rs": "",
    });
    const r = metadata(dir);
    assert.equal(r.status, 0, r.stderr);
    const json = JSON.parse(r.stdout) as { packages: { name: string }[] };
    assert.deepEqual(json.packages.map((p) => p.name).sort(), ["a", "b"]);
  });

  test("a symlink loop under a `**` members glob terminates", () => {
    const dir = join(home.root, `p${counter++}`);
    writeTree(dir, {
      "Cargo.toml": `[workspace]\nmembers = ["crates/**"]\n`,
      "crates/x/Cargo.toml": packageToml("x"),
      "crates/x/src/lib.rs": "",
    });
    symlinkSync(join(dir, "crates"), join(dir, "crates", "loop"));
    const r = metadata(dir);
    assert.ok(r.status === 0 || r.status === 101, `unexpected status ${r.status}: ${r.stderr.slice(0, 300)}`);
    assert.doesNotMatch(r.stderr, /internal error/);
  });
});
