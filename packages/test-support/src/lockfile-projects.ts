/**
 * Projects for the Cargo.lock differential test: each is a file tree real cargo resolves
 * against the corpus registry; its Cargo.lock is the expected output. `rustVersion` is
 * substituted into every `[package]` so one fixture yields both a v4 and an older lock file.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { FileTree } from "./project.js";

export interface LockfileProject {
  name: string;
  files: FileTree;
}

export interface CorpusCrate {
  name: string;
  version: string;
}

/** name and version of every crate in a Debian registry directory, read from Cargo.toml. */
export function corpusCrates(dir: string): CorpusCrate[] {
  const out: CorpusCrate[] = [];
  for (const entry of readdirSync(dir).sort()) {
    let text: string;
    try {
      text = readFileSync(join(dir, entry, "Cargo.toml"), "utf8");
    } catch {
      continue;
    }
    const pkg = text.split(/^\[package\]\s*$/m)[1]?.split(/^\[/m)[0] ?? "";
    const name = /^name\s*=\s*"([^"]+)"/m.exec(pkg)?.[1];
    const version = /^version\s*=\s*"([^"]+)"/m.exec(pkg)?.[1];
    if (name && version) out.push({ name, version });
  }
  return out;
}

/** `[package]` header lines; rust-version only when asked (it picks the lock file encoding). */
function pkg(name: string, rustVersion: string | undefined, version = "0.1.0", edition = "2021"): string {
  const rv = rustVersion ? `rust-version = "${rustVersion}"\n` : "";
  return `[package]\nname = "${name}"\nversion = "${version}"\nedition = "${edition}"\n${rv}`;
}

const LIB = { "src/lib.rs": "" };

export function singleDependencyProject(krate: CorpusCrate, rustVersion?: string): LockfileProject {
  return {
    name: `single-${krate.name}-${krate.version}`,
    files: {
      "Cargo.toml": `${pkg("single", rustVersion)}\n[dependencies]\n"${krate.name}" = "=${krate.version}"\n`,
      ...LIB,
    },
  };
}

/** Several dependencies with features: the shapes an application's lock file takes. */
const MULTI: Record<string, string> = {
  "serde-stack": `serde = { version = "1", features = ["derive"] }\nserde_json = "1"\nserde_yaml = "0.8"\ntoml = "0.5"`,
  "cli-app": `clap = { version = "4", features = ["derive"] }\nanyhow = "1"\nthiserror = "1"\nenv_logger = "0.9"\nlog = "0.4"`,
  crypto: `sha2 = "0.10"\nsha1 = "0.10"\nmd5 = { package = "md-5", version = "0.10", optional = true }\nhex = "0.4"\ndigest = { version = "0.10", features = ["std"] }`,
  async: `tokio = { version = "1", features = ["rt", "macros", "sync"] }\nfutures = "0.3"\npin-project-lite = "0.2"`,
  random: `rand = { version = "0.8", features = ["small_rng"] }\nrand_chacha = "0.3"\ngetrandom = "0.2"`,
  parsing: `regex = "1"\nnom = "7"\nsemver = "1"\nurl = "2"\nidna = "0.3"`,
  parallel: `rayon = "1"\ncrossbeam-channel = "0.5"\nnum_cpus = "1"\nparking_lot = "0.12"`,
  data: `indexmap = "1"\nhashbrown = "0.12"\npetgraph = "0.6"\nsmallvec = "1"\nitertools = "0.10"`,
  "time-and-text": `chrono = "0.4"\ntextwrap = "0.16"\nunicode-width = "0.1"\nunicode-segmentation = "1"\nuuid = "1"`,
  "proc-macros": `syn = { version = "1", features = ["full"] }\nquote = "1"\nproc-macro2 = "1"\nthiserror = "1"\nrkyv = "0.7"`,
};

export function multiDependencyProjects(rustVersion?: string): LockfileProject[] {
  return Object.entries(MULTI).map(([name, deps]) => ({
    name: `multi-${name}`,
    files: {
      "Cargo.toml": `${pkg(`multi-${name}`, rustVersion)}\n[dependencies]\n${deps}\n\n[features]\nextra = []\n`,
      ...LIB,
    },
  }));
}

export function workspaceProjects(rustVersion?: string): LockfileProject[] {
  return [
    {
      // path members depending on each other, plus two majors of clap and of nom
      name: "ws-two-versions",
      files: {
        "Cargo.toml": `[workspace]\nmembers = ["app", "core", "legacy"]\nresolver = "2"\n`,
        "app/Cargo.toml": `${pkg("app", rustVersion)}\n[dependencies]\ncore = { path = "../core" }\nlegacy = { path = "../legacy" }\nclap = "4"\nnom = "7"\n`,
        "app/src/main.rs": "fn main() {}\n",
        "core/Cargo.toml": `${pkg("core", rustVersion, "0.2.0")}\n[dependencies]\nserde = "1"\n`,
        "core/src/lib.rs": "",
        "legacy/Cargo.toml": `${pkg("legacy", rustVersion, "1.0.0")}\n[dependencies]\nclap = "2"\nnom = "4"\n`,
        "legacy/src/lib.rs": "",
      },
    },
    {
      // renamed dependencies: one package under two names, and two majors under new names
      name: "ws-renamed",
      files: {
        "Cargo.toml": `${pkg("renamed", rustVersion)}\n[dependencies]\nclap_old = { package = "clap", version = "2" }\nclap_new = { package = "clap", version = "4" }\nnom4 = { package = "nom", version = "4" }\nparser = { package = "nom", version = "7" }\nlog = "0.4"\n\n[build-dependencies]\nlogger = { package = "log", version = "0.4" }\n`,
        ...LIB,
      },
    },
    {
      // target-specific, build and dev dependencies
      name: "ws-targets",
      files: {
        "Cargo.toml": `${pkg("targets", rustVersion)}\n[dependencies]\ncfg-if = "1"\n\n[target.'cfg(unix)'.dependencies]\nlibc = "0.2"\n\n[target.'cfg(windows)'.dependencies]\nwinapi = { version = "0.3", features = ["winuser"] }\n\n[target.x86_64-unknown-linux-gnu.dependencies]\nmemchr = "2"\n\n[build-dependencies]\ncc = "1"\nautocfg = "1"\n\n[dev-dependencies]\ntempfile = "3"\nquickcheck = "1"\n`,
        ...LIB,
      },
    },
    {
      // a virtual workspace whose members share a path crate, with all three clap majors
      name: "ws-virtual",
      files: {
        "Cargo.toml": `[workspace]\nmembers = ["crates/*"]\nresolver = "2"\n`,
        "crates/one/Cargo.toml": `${pkg("one", rustVersion)}\n[dependencies]\nshared = { path = "../shared" }\nclap = "2"\n`,
        "crates/one/src/lib.rs": "",
        "crates/two/Cargo.toml": `${pkg("two", rustVersion)}\n[dependencies]\nshared = { path = "../shared" }\nclap = "3"\n`,
        "crates/two/src/lib.rs": "",
        "crates/three/Cargo.toml": `${pkg("three", rustVersion)}\n[dependencies]\nshared = { path = "../shared" }\nclap = "4"\nclap_derive = "4"\n`,
        "crates/three/src/lib.rs": "",
        "crates/shared/Cargo.toml": `${pkg("shared", rustVersion, "0.3.1")}\n[dependencies]\nitoa = "1"\n`,
        "crates/shared/src/lib.rs": "",
      },
    },
    {
      // a member with no dependencies at all, next to one with many
      name: "ws-empty-member",
      files: {
        "Cargo.toml": `[workspace]\nmembers = ["lonely", "busy"]\n`,
        "lonely/Cargo.toml": pkg("lonely", rustVersion),
        "lonely/src/lib.rs": "",
        "busy/Cargo.toml": `${pkg("busy", rustVersion)}\n[dependencies]\nlonely = { path = "../lonely", version = "0.1" }\nregex = "1"\nserde_derive = "1"\n`,
        "busy/src/lib.rs": "",
      },
    },
    {
      // no dependencies: the smallest lock file
      name: "ws-no-deps",
      files: { "Cargo.toml": pkg("nodeps", rustVersion), ...LIB },
    },
  ];
}
