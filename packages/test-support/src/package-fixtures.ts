/**
 * Fixture packages for the `wharf package` differential tests: each exercises one part of
 * cargo's file selection or manifest normalization (workspace inheritance, path
 * dependencies, include/exclude, .gitignore in a git repository, readme and license files
 * inside and outside the package, build scripts, binaries, symlinks). Dependencies are
 * crates the Debian corpus has, so real cargo can resolve the packaged Cargo.lock.
 */
import { symlinkSync } from "node:fs";
import { join } from "node:path";
import { git } from "./git-fixtures.js";
import { type FileTree, writeTree } from "./project.js";

export interface PackageFixture {
  name: string;
  files: FileTree;
  /** the package directory inside the fixture ("" for the root) */
  pkgDir: string;
  /** where target/ is (the workspace root), relative; the package directory by default */
  wsDir?: string;
  /** the crate file cargo writes: `<name>-<version>.crate` */
  crate: { name: string; version: string };
  /** extra arguments to `package` (e.g. `-p app`) */
  args?: string[];
  /** executable files, relative */
  executables?: string[];
  /** symlinks: [link, target] relative to the fixture root */
  symlinks?: [string, string][];
  /** make a git repository and commit; `afterCommit` files are written after it (dirty tree) */
  git?: { afterCommit?: FileTree; forceAdd?: string[] };
}

const LIB = "pub fn f() -> u32 { 1 }\n";
const MAIN = "fn main() {}\n";

export function packageFixtures(): PackageFixture[] {
  return [
    {
      name: "bins-build-script",
      pkgDir: "",
      crate: { name: "pk-bins", version: "0.3.1" },
      files: {
        "Cargo.toml": `[package]
name = "pk-bins"
version = "0.3.1"
edition = "2021"
description = "binaries, a build script and every target kind"
license = "MIT OR Apache-2.0"
keywords = ["one", "two"]
categories = ["development-tools"]
repository = "https://example.com/pk-bins"

[dependencies]
itoa = "1"

[dev-dependencies]
memchr = { version = "2", default-features = false }

[build-dependencies]
cfg-if = "1"

[[bin]]
name = "explicit"
path = "src/tools/explicit.rs"
required-features = ["extra"]

[features]
default = []
extra = []

[profile.release]
lto = true
opt-level = 3
`,
        "build.rs": MAIN,
        "src/lib.rs": LIB,
        "src/main.rs": MAIN,
        "src/bin/second.rs": MAIN,
        "src/bin/multi/main.rs": MAIN,
        "src/tools/explicit.rs": MAIN,
        "examples/demo.rs": MAIN,
        "tests/it.rs": "#[test] fn t() {}\n",
        "benches/b.rs": MAIN,
        "README.md": "# pk-bins\n",
        "run.sh": "#!/bin/sh\necho hi\n",
        ".hidden-config": "not packaged outside git\n",
        ".github/workflows/ci.yml": "on: push\n",
        "target/debug/junk": "build output\n",
        "nested/Cargo.toml": '[package]\nname = "nested"\nversion = "0.1.0"\n',
        "nested/src/lib.rs": LIB,
        "data/table.bin": "\u0000\u0001binary",
      },
      executables: ["run.sh"],
    },
    {
      name: "workspace-inheritance",
      pkgDir: "app",
      wsDir: "",
      crate: { name: "ws-app", version: "2.1.0" },
      args: ["-p", "ws-app"],
      git: { afterCommit: { "app/src/new_untracked.rs": "// untracked\n" } },
      files: {
        "Cargo.toml": `[workspace]
members = ["app", "helper"]
resolver = "2"

[workspace.package]
version = "2.1.0"
edition = "2021"
authors = ["Ann <ann@example.com>", "Bo"]
license = "MIT"
description = """A workspace member
with a "quoted" multi-line description"""
homepage = 'https://example.com/ws\\home'
readme = "README.md"
license-file = "LICENSE.txt"
keywords = ["ws", "inherit"]
rust-version = "1.70"

[workspace.dependencies]
itoa = { version = "1.0", default-features = false }
memchr = "2"
helper = { path = "helper", version = "0.5" }

[workspace.lints.rust]
unsafe_code = "forbid"

[workspace.lints.clippy]
pedantic = { level = "warn", priority = -1 }

[profile.release]
debug = true
`,
        "README.md": "# workspace readme\n",
        "LICENSE.txt": "license text\n",
        "app/Cargo.toml": `[package]
name = "ws-app"
version.workspace = true
edition.workspace = true
authors.workspace = true
license.workspace = true
description.workspace = true
homepage.workspace = true
readme.workspace = true
keywords.workspace = true
rust-version.workspace = true

[dependencies]
itoa = { workspace = true, default-features = true }
memchr = { workspace = true, optional = true, features = ["std"] }
local-itoa = { package = "itoa", path = "../vendor/itoa", version = "1" }

[dev-dependencies]
helper = { path = "../helper" }

[features]
fast = ["dep:memchr", "helper/x", "memchr?/std"]

[lints]
workspace = true

[package.metadata.docs.rs]
all-features = true
targets = ["x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu"]
`,
        "app/src/lib.rs": LIB,
        "helper/Cargo.toml":
          '[package]\nname = "helper"\nversion = "0.5.0"\nedition = "2021"\n\n[features]\nx = []\n',
        "helper/src/lib.rs": LIB,
        "vendor/itoa/Cargo.toml": '[package]\nname = "itoa"\nversion = "1.0.1"\nedition = "2018"\n',
        "vendor/itoa/src/lib.rs": LIB,
      },
    },
    {
      name: "include-list",
      pkgDir: "",
      crate: { name: "pk-include", version: "0.1.0" },
      files: {
        "Cargo.toml": `[package]
name = "pk-include"
version = "0.1.0"
edition = "2021"
description = "include list"
license = "MIT"
include = ["src/**/*.rs", "/data/*.txt", "notes/", ".env.example"]
`,
        "src/lib.rs": LIB,
        "src/deep/mod.rs": "// deep\n",
        "src/skip.txt": "not included\n",
        "data/a.txt": "a\n",
        "data/b.csv": "not included\n",
        "notes/n1.md": "note\n",
        ".env.example": "KEY=value\n",
        "README.md": "readme is always added when it exists\n",
        "tests/t.rs": "#[test] fn t() {}\n",
      },
    },
    {
      name: "exclude-list",
      pkgDir: "",
      crate: { name: "pk-exclude", version: "0.2.0" },
      files: {
        "Cargo.toml": `[package]
name = "pk-exclude"
version = "0.2.0"
edition = "2018"
description = "exclude list"
license = "Apache-2.0"
exclude = ["tests/fixtures/", "*.bak", "/docs", "!docs/keep.md"]
autoexamples = false
`,
        "src/lib.rs": LIB,
        "src/old.rs.bak": "backup\n",
        "tests/fixtures/big.json": "{}\n",
        "tests/t.rs": "#[test] fn t() {}\n",
        "docs/guide.md": "guide\n",
        "other/docs/keep.md": "kept: /docs is anchored\n",
        "examples/ex.rs": MAIN,
      },
    },
    {
      name: "gitignore",
      pkgDir: "",
      crate: { name: "pk-git", version: "1.0.0" },
      git: {
        forceAdd: ["generated/tracked.rs"],
        afterCommit: { "src/dirty.rs": "// untracked, not ignored\n", "notes.log": "ignored\n" },
      },
      files: {
        "Cargo.toml": `[package]
name = "pk-git"
version = "1.0.0"
edition = "2021"
description = "git ls-files decides"
license = "MIT"
`,
        ".gitignore": "*.log\n/generated/\n/Cargo.lock\n",
        ".cargo/config.toml": "# hidden files are packaged inside git\n",
        "src/lib.rs": LIB,
        "generated/out.rs": "// ignored\n",
        "generated/tracked.rs": "// ignored but tracked\n",
        "build.log": "ignored\n",
        "target/x.txt": "target\n",
        "sub/Cargo.toml": '[package]\nname = "sub"\nversion = "0.1.0"\n',
        "sub/src/lib.rs": LIB,
        README: "plain README\n",
      },
    },
    {
      name: "readme-license-outside",
      pkgDir: "crate",
      crate: { name: "pk-meta", version: "0.4.0" },
      files: {
        "LICENSE-CUSTOM": "custom license outside the package\n",
        "crate/Cargo.toml": `[package]
name = "pk-meta"
version = "0.4.0"
edition = "2015"
description = "readme and license file"
license-file = "../LICENSE-CUSTOM"
readme = "docs/intro.md"
build = "tools/build.rs"
links = "fake"

[dependencies]
m = { package = "memchr", version = "2", optional = true }

[dev-dependencies]
memchr = "2"

[target.'cfg(unix)'.dependencies]
libc = { version = "0.2", default-features = false }

[features]
default = ["m"]
with-std = ["memchr/std"]

[badges]
maintenance = { status = "passively-maintained" }
`,
        "crate/docs/intro.md": "intro\n",
        "crate/tools/build.rs": MAIN,
        "crate/src/lib.rs": LIB,
        "crate/src/alias.rs": "// linked\n",
      },
      symlinks: [["crate/src/link.rs", "alias.rs"]],
    },
  ];
}

/** Writes a fixture into `dir`, with its executables, symlinks and git history. */
export async function writePackageFixture(dir: string, fixture: PackageFixture, home: string): Promise<void> {
  const { afterCommit, forceAdd } = fixture.git ?? {};
  writeTree(dir, fixture.files);
  const { chmodSync } = await import("node:fs");
  for (const exe of fixture.executables ?? []) chmodSync(join(dir, exe), 0o755);
  for (const [link, target] of fixture.symlinks ?? []) symlinkSync(target, join(dir, link));
  if (fixture.git) {
    await git(dir, home, ["init", "-q", "-b", "main"]);
    await git(dir, home, ["add", "-A"]);
    for (const f of forceAdd ?? []) await git(dir, home, ["add", "-f", "--", f]);
    await git(dir, home, ["commit", "-q", "-m", "fixture"]);
    if (afterCommit) writeTree(dir, afterCommit);
  }
}
