/**
 * Workspace fixtures for the `metadata --no-deps` differential test: each is a project both
 * cargo and wharf read, chosen for the edge cases of inheritance, member globs, target
 * auto-discovery, dependency forms and defaults. Expected output is never written here:
 * real cargo produces it in the same run.
 */
import type { FileTree } from "./project.js";

export interface MetadataFixture {
  name: string;
  files: FileTree;
  /** directory (relative to the fixture root) to run in */
  cwd?: string;
  env?: Record<string, string>;
  args?: string[];
}

const lib = "pub fn f() {}\n";
const main = "fn main() {}\n";

export const METADATA_FIXTURES: MetadataFixture[] = [
  {
    name: "inheritance-virtual",
    files: {
      "Cargo.toml": `[workspace]
members = ["crates/*"]
resolver = "2"

[workspace.package]
version = "1.2.3"
edition = "2021"
authors = ["A <a@example.com>"]
description = "shared description"
license = "MIT OR Apache-2.0"
license-file = "LICENSE"
readme = "README.md"
repository = "https://example.com/repo"
homepage = "https://example.com"
documentation = "https://docs.example.com"
keywords = ["a", "b"]
categories = ["development-tools"]
rust-version = "1.70"
publish = ["alt"]
include = ["src/**"]
exclude = ["tests/big"]

[workspace.dependencies]
serde = { version = "1.0", features = ["derive"], default-features = false }
log = "0.4"
local = { path = "crates/local" }
rand = { version = "0.8", optional = false }

[workspace.metadata.tool]
setting = [1, 2, 3]
nested = { a = "b" }
`,
      "README.md": "# hi\n",
      LICENSE: "license\n",
      "crates/app/Cargo.toml": `[package]
name = "app"
version.workspace = true
edition.workspace = true
authors.workspace = true
description.workspace = true
license.workspace = true
license-file.workspace = true
readme.workspace = true
repository.workspace = true
homepage.workspace = true
documentation.workspace = true
keywords.workspace = true
categories.workspace = true
rust-version.workspace = true
publish.workspace = true
include.workspace = true
exclude.workspace = true

[dependencies]
serde = { workspace = true, features = ["std"] }
log = { workspace = true, optional = true }
local.workspace = true
rand = { workspace = true, default-features = true }

[features]
logging = ["dep:log"]
`,
      "crates/app/src/main.rs": main,
      "crates/local/Cargo.toml": `[package]
name = "local"
version = { workspace = true }
edition = "2018"
`,
      "crates/local/src/lib.rs": lib,
    },
  },
  {
    name: "inheritance-from-member-dir",
    cwd: "crates/b",
    files: {
      "Cargo.toml": `[workspace]
members = ["crates/a", "crates/b"]
[workspace.package]
version = "0.3.0"
edition = "2024"
`,
      "crates/a/Cargo.toml": `[package]\nname = "a"\nversion.workspace = true\nedition.workspace = true\n`,
      "crates/a/src/lib.rs": lib,
      "crates/b/Cargo.toml": `[package]\nname = "b"\nversion.workspace = true\nedition.workspace = true\n[dependencies]\na = { path = "../a" }\n`,
      "crates/b/src/main.rs": main,
    },
  },
  {
    name: "globs-exclude-default-members",
    files: {
      "Cargo.toml": `[workspace]
members = ["crates/*", "tools/t?", "nested/**/pkg"]
exclude = ["crates/skipped"]
default-members = ["crates/beta", "tools/t1"]
`,
      "crates/alpha/Cargo.toml": `[package]\nname = "alpha"\nversion = "0.1.0"\nedition = "2021"\n`,
      "crates/alpha/src/lib.rs": lib,
      "crates/beta/Cargo.toml": `[package]\nname = "beta"\nversion = "0.2.0"\nedition = "2021"\n`,
      "crates/beta/src/lib.rs": lib,
      "crates/skipped/Cargo.toml": `[package]\nname = "skipped"\nversion = "0.1.0"\nedition = "2021"\n`,
      "crates/skipped/src/lib.rs": lib,
      "crates/README.txt": "not a directory, must be ignored\n",
      "tools/t1/Cargo.toml": `[package]\nname = "t1"\nversion = "0.1.0"\nedition = "2021"\n`,
      "tools/t1/src/main.rs": main,
      "nested/x/y/pkg/Cargo.toml": `[package]\nname = "deep"\nversion = "0.1.0"\nedition = "2021"\n`,
      "nested/x/y/pkg/src/lib.rs": lib,
    },
  },
  {
    name: "root-package-with-path-deps",
    cwd: "sub",
    files: {
      "Cargo.toml": `[package]
name = "root"
version = "0.1.0"
edition = "2021"

[workspace]

[dependencies]
sub = { path = "sub" }
[dev-dependencies]
devonly = { path = "devonly" }
`,
      "src/main.rs": main,
      "sub/Cargo.toml": `[package]\nname = "sub"\nversion = "0.1.0"\nedition = "2021"\n[dependencies]\nleaf = { path = "../leaf", version = "0.5" }\n`,
      "sub/src/lib.rs": lib,
      "leaf/Cargo.toml": `[package]\nname = "leaf"\nversion = "0.5.1"\nedition = "2021"\n`,
      "leaf/src/lib.rs": lib,
      "devonly/Cargo.toml": `[package]\nname = "devonly"\nversion = "0.1.0"\nedition = "2021"\n`,
      "devonly/src/lib.rs": lib,
    },
  },
  {
    name: "target-discovery",
    files: {
      "Cargo.toml": `[package]
name = "disco"
version = "0.1.0"
edition = "2021"

[[bin]]
name = "explicit"
path = "tools/explicit.rs"
required-features = ["extra"]

[[bin]]
name = "y"
test = false

[[test]]
name = "custom"
harness = false

[[example]]
name = "staticex"
crate-type = ["staticlib"]

[[bench]]
name = "b"
bench = false

[features]
extra = []
`,
      "src/lib.rs": lib,
      "src/main.rs": main,
      "src/bin/x.rs": main,
      "src/bin/y/main.rs": main,
      "src/bin/.hidden.rs": main,
      "src/bin/notes.txt": "x\n",
      "src/bin/emptydir/keep.txt": "",
      "tools/explicit.rs": main,
      "examples/e.rs": main,
      "examples/multi/main.rs": main,
      "examples/staticex.rs": lib,
      "tests/t.rs": "",
      "tests/custom.rs": main,
      "tests/common/mod.rs": "",
      "benches/b.rs": "",
      "build.rs": main,
      README: "readme without extension\n",
    },
  },
  {
    name: "edition-2015-explicit-disables-inference",
    files: {
      "Cargo.toml": `[package]
name = "old"
version = "0.1.0"
authors = []

[[bin]]
name = "only"
path = "src/main.rs"

[[example]]
name = "one"
`,
      "src/main.rs": main,
      "src/bin/other.rs": main,
      "examples/one.rs": main,
      "examples/two.rs": main,
    },
  },
  {
    name: "autodiscovery-off-and-lib-kinds",
    files: {
      "Cargo.toml": `[package]
name = "kinds-pkg"
version = "0.1.0"
edition = "2021"
autobins = false
autoexamples = false
autotests = false
autobenches = false
build = false
readme = false

[lib]
name = "kinds"
crate-type = ["cdylib", "rlib"]
doctest = false
`,
      "src/lib.rs": lib,
      "src/main.rs": main,
      "tests/t.rs": "",
      "build.rs": main,
      "README.md": "ignored\n",
    },
  },
  {
    name: "proc-macro-and-build-script-path",
    files: {
      "Cargo.toml": `[package]
name = "my-macro"
version = "0.1.0-alpha.1+build.5"
edition = "2018"
build = "scripts/gen.rs"
links = "foo"
readme = true

[lib]
proc-macro = true
`,
      "src/lib.rs": lib,
      "scripts/gen.rs": main,
    },
  },
  {
    name: "dependency-forms",
    env: { CARGO_REGISTRIES_ALT_INDEX: "sparse+https://alt.example.com/index/" },
    files: {
      "Cargo.toml": `[package]
name = "deps"
version = "0.1.0"
edition = "2021"

[dependencies]
serde = { version = "1.0.100", features = ["derive", "rc"] }
json = { package = "serde_json", version = "~1.0", optional = true }
gitdep = { git = "https://github.com/example/gitdep", branch = "main" }
gittag = { git = "https://github.com/example/gittag.git", tag = "v1.0" }
gitrev = { git = "https://github.com/example/gitrev", rev = "abc123" }
gitplain = { git = "https://github.com/example/plain" }
altdep = { version = "2", registry = "alt" }
idxdep = { version = ">= 1.0, < 3", registry-index = "https://idx.example.com/index" }
star = "*"
exact = "=1.2.3"
caretzero = "0.0.3"
nodefault = { version = "1", default-features = false }
opt2 = { version = "1", optional = true }

[build-dependencies]
cc = "1.0"

[dev-dependencies]
tempfile = "3"

[target.'cfg(unix)'.dependencies]
libc = "0.2"

[target.'cfg(all(target_os="linux",not(target_arch = "x86")))'.dependencies]
linuxonly = { version = "1", optional = true }

[target.x86_64-pc-windows-msvc.build-dependencies]
winres = "0.1"

[target.'cfg(windows)'.dev-dependencies]
windev = "1"

[features]
default = ["json"]
weak = ["linuxonly?/std", "serde/std"]
opt2 = ["dep:opt2"]
`,
      "src/lib.rs": lib,
    },
  },
  {
    name: "metadata-publish-readme-variants",
    files: {
      "Cargo.toml": `[package]
name = "meta"
edition = "2021"
default-run = "meta"
description = """multi
line"""

[package.metadata.docs.rs]
all-features = true
targets = ["x86_64-unknown-linux-gnu"]
[package.metadata.deb]
depends = "$auto"
weird = 1.5
`,
      "src/main.rs": main,
      "README.txt": "txt readme\n",
    },
  },
  {
    name: "publish-false-and-registries",
    files: {
      "Cargo.toml": `[package]
name = "nopub"
version = "2.0.0"
edition = "2021"
publish = false
`,
      "src/lib.rs": lib,
    },
  },
  {
    name: "dir-named-like-package",
    cwd: "samename",
    files: {
      "samename/Cargo.toml": `[package]\nname = "samename"\nversion = "0.9.0"\nedition = "2021"\n`,
      "samename/src/lib.rs": lib,
    },
  },
  {
    name: "path-with-space-and-unicode",
    cwd: "my dir/ünï",
    files: {
      "my dir/ünï/Cargo.toml": `[package]\nname = "spaced"\nversion = "0.1.0"\nedition = "2021"\n`,
      "my dir/ünï/src/lib.rs": lib,
    },
  },
  {
    name: "workspace-pointer",
    cwd: "elsewhere/member",
    files: {
      "root/Cargo.toml": `[workspace]\nmembers = ["../elsewhere/member"]\n`,
      "elsewhere/member/Cargo.toml": `[package]\nname = "member"\nversion = "0.1.0"\nedition = "2021"\nworkspace = "../../root"\n`,
      "elsewhere/member/src/lib.rs": lib,
    },
  },
  {
    name: "target-dir-from-env",
    env: { CARGO_TARGET_DIR: "custom-target" },
    files: {
      "Cargo.toml": `[package]\nname = "td"\nversion = "0.1.0"\nedition = "2021"\n`,
      "src/lib.rs": lib,
    },
  },
  {
    name: "config-target-dir-and-registries",
    cwd: "ws/app",
    files: {
      ".cargo/config.toml": `[build]\ntarget-dir = "shared-target"\n[registries.corp]\nindex = "sparse+https://corp.example.com/index/"\n[registries.gitreg]\nindex = "https://git.example.com/index"\n`,
      "ws/app/Cargo.toml": `[package]
name = "app"
version = "0.1.0"
edition = "2021"
[dependencies]
internal = { version = "1", registry = "corp" }
old = { version = "0.3", registry = "gitreg" }
`,
      "ws/app/src/main.rs": main,
    },
  },
  {
    name: "config-from-command-line",
    args: [
      "--config",
      'build.target-dir="cli-target"',
      "--config",
      'build.build-dir="{workspace-root}/intermediate"',
    ],
    files: {
      "Cargo.toml": `[package]\nname = "cli"\nversion = "0.1.0"\nedition = "2021"\n`,
      "src/lib.rs": lib,
    },
  },
  {
    name: "implicit-features-2018",
    files: {
      "Cargo.toml": `[package]
name = "implicit"
version = "0.1.0"
edition = "2018"

[dependencies]
a = { version = "1", optional = true }
b = { version = "1", optional = true }
c = { version = "1", optional = true }

[features]
default = ["a", "with-b"]
with-b = ["b/std"]
onlyc = ["dep:c"]
`,
      "src/lib.rs": lib,
    },
  },
  {
    name: "lints-profiles-badges",
    files: {
      "Cargo.toml": `[workspace]
members = ["m"]
[workspace.lints.rust]
unsafe_code = "forbid"
[workspace.lints.clippy]
all = { level = "warn", priority = -1 }
[profile.release]
lto = "thin"
codegen-units = 1
opt-level = "s"
[profile.dev.package."*"]
opt-level = 2
[profile.custom]
inherits = "release"
debug = "line-tables-only"
`,
      "m/Cargo.toml": `[package]
name = "m"
version = "0.1.0"
edition = "2021"
[lints]
workspace = true
[badges]
maintenance = { status = "actively-developed" }
`,
      "m/src/lib.rs": lib,
    },
  },
  {
    name: "unused-keys-warn-only",
    files: {
      "Cargo.toml": `[package]
name = "unused"
version = "0.1.0"
edition = "2021"
colour = "blue"
[dependencies.foo]
version = "1"
bogus = true
[mystery]
x = 1
`,
      "src/lib.rs": lib,
    },
  },
];

/** Manifests both tools must reject (exit status non-zero). */
export const METADATA_ERROR_FIXTURES: MetadataFixture[] = [
  { name: "missing-name", files: { "Cargo.toml": `[package]\nversion = "0.1.0"\n`, "src/lib.rs": lib } },
  {
    name: "bad-version",
    files: { "Cargo.toml": `[package]\nname = "x"\nversion = "1.0"\n`, "src/lib.rs": lib },
  },
  {
    name: "bad-req",
    files: {
      "Cargo.toml": `[package]\nname = "x"\nversion = "1.0.0"\n[dependencies]\na = "1 || 2"\n`,
      "src/lib.rs": lib,
    },
  },
  { name: "no-targets", files: { "Cargo.toml": `[package]\nname = "x"\nversion = "1.0.0"\n` } },
  {
    name: "links-without-build",
    files: { "Cargo.toml": `[package]\nname = "x"\nversion = "1.0.0"\nlinks = "z"\n`, "src/lib.rs": lib },
  },
  {
    name: "feature-names-missing-dep",
    files: {
      "Cargo.toml": `[package]\nname = "x"\nversion = "1.0.0"\n[features]\nf = ["nope"]\n`,
      "src/lib.rs": lib,
    },
  },
  {
    name: "non-optional-dep-feature",
    files: {
      "Cargo.toml": `[package]\nname = "x"\nversion = "1.0.0"\n[dependencies]\na = "1"\n[features]\nf = ["dep:a"]\n`,
      "src/lib.rs": lib,
    },
  },
  {
    name: "wrong-type-name",
    files: { "Cargo.toml": `[package]\nname = 5\nversion = "1.0.0"\n`, "src/lib.rs": lib },
  },
  {
    name: "duplicate-key",
    files: { "Cargo.toml": `[package]\nname = "a"\nname = "b"\nversion = "1.0.0"\n`, "src/lib.rs": lib },
  },
  {
    name: "inherit-without-workspace-field",
    files: {
      "Cargo.toml": `[workspace]\nmembers = ["m"]\n`,
      "m/Cargo.toml": `[package]\nname = "m"\nversion.workspace = true\n`,
      "m/src/lib.rs": lib,
    },
  },
  {
    name: "member-not-in-workspace",
    cwd: "outside",
    files: {
      "Cargo.toml": `[workspace]\nmembers = []\n`,
      "outside/Cargo.toml": `[package]\nname = "o"\nversion = "0.1.0"\n`,
      "outside/src/lib.rs": lib,
    },
  },
  {
    name: "two-packages-same-name",
    files: {
      "Cargo.toml": `[workspace]\nmembers = ["a", "b"]\n`,
      "a/Cargo.toml": `[package]\nname = "same"\nversion = "0.1.0"\n`,
      "a/src/lib.rs": lib,
      "b/Cargo.toml": `[package]\nname = "same"\nversion = "0.2.0"\n`,
      "b/src/lib.rs": lib,
    },
  },
  {
    name: "ambiguous-git-path",
    files: {
      "Cargo.toml": `[package]\nname = "x"\nversion = "1.0.0"\n[dependencies]\na = { git = "https://e.com/a", path = "a" }\n`,
      "src/lib.rs": lib,
    },
  },
  {
    name: "lib-name-with-hyphen",
    files: {
      "Cargo.toml": `[package]\nname = "x"\nversion = "1.0.0"\n[lib]\nname = "a-b"\n`,
      "src/lib.rs": lib,
    },
  },
  {
    name: "missing-bin-path",
    files: {
      "Cargo.toml": `[package]\nname = "x"\nversion = "1.0.0"\n[[bin]]\nname = "ghost"\n`,
      "src/lib.rs": lib,
    },
  },
];
