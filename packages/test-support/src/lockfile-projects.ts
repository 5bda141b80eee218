/**
 * Projects for the Cargo.lock differential test: each is a file tree real cargo resolves
 * against the corpus registry; its Cargo.lock is the expected output. `rustVersion` is
 * substituted into every `[package]` so one fixture yields both a v4 and an older lock file.
 * randomProjects() adds seeded random projects over the corpus for the same tests.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseManifest, type TomlManifest } from "@wharf/protocol";
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

// ---------------------------------------------------------------------------------------
// Seeded random projects: several corpus dependencies each, with random compatible version
// requirements, features, default-features off, optional dependencies and the features
// that turn them on, dev/build and target-specific dependencies, and renames. Deterministic:
// the same seed gives the same projects (a small PRNG, never Math.random).

/** A corpus crate with what a random dependent may ask of it. */
export interface CorpusCrateInfo extends CorpusCrate {
  /** `[features]` keys plus the implicit features of optional dependencies */
  features: string[];
}

/** Every corpus crate with a library, and its feature names, read with the manifest parser. */
export function corpusCrateInfos(dir: string): CorpusCrateInfo[] {
  const out: CorpusCrateInfo[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const file = join(dir, entry, "Cargo.toml");
    let manifest: TomlManifest;
    try {
      manifest = parseManifest(readFileSync(file, "utf8"), { file }).manifest;
    } catch {
      continue;
    }
    const name = manifest.package?.name;
    const version = manifest.package?.version;
    if (name === undefined || version?.kind !== "value") continue;
    // a crate without a library is no dependency (cargo ignores it with a warning)
    if (manifest.lib === undefined && !existsSync(join(dir, entry, "src", "lib.rs"))) continue;
    const declared = [...(manifest.features?.keys() ?? [])];
    const explicitDep = new Set(
      [...(manifest.features?.values() ?? [])]
        .flat()
        .flatMap((v) => (v.startsWith("dep:") ? [v.slice(4)] : [])),
    );
    const optional = [...(manifest.dependencies ?? new Map())]
      .filter(([, d]) => d.kind === "value" && d.dep.kind === "detailed" && d.dep.dep.optional === true)
      .map(([n]) => n)
      .filter((n) => !explicitDep.has(n) && !declared.includes(n));
    out.push({ name, version: version.value, features: [...declared, ...optional].sort() });
  }
  return out;
}

/** mulberry32: a tiny, well-known 32-bit PRNG; enough to shuffle test inputs reproducibly */
export class SeededRandom {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** uniform in [0, 1) */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  /** k distinct items, in a random order */
  sample<T>(items: readonly T[], k: number): T[] {
    const copy = [...items];
    const out: T[] = [];
    while (out.length < k && copy.length > 0) out.push(copy.splice(this.int(copy.length), 1)[0]!);
    return out;
  }
}

/** A requirement `version` satisfies, in one of the spellings people write. */
function randomReq(rng: SeededRandom, version: string): string {
  const [major = "0", minor = "0", patch = "0"] = version.split(/[.+-]/);
  const pre = version.includes("-");
  const forms = pre
    ? [`=${version}`, version]
    : [
        version,
        `^${version}`,
        `=${version}`,
        `~${major}.${minor}`,
        `${major}.${minor}`,
        major === "0" ? `0.${minor}` : major,
        `>=${major}.${minor}, <${Number(major) + 1}`,
        `>=${major}.${minor}.${patch}`,
        major === "0" ? `${major}.${minor}.*` : `${major}.*`,
      ];
  return rng.pick(forms);
}

const PLATFORMS = [
  "cfg(unix)",
  "cfg(windows)",
  "x86_64-unknown-linux-gnu",
  'cfg(target_os = "macos")',
  'cfg(all(unix, target_pointer_width = "64"))',
  "cfg(not(windows))",
  'cfg(any(target_arch = "wasm32", target_os = "android"))',
];

/** flags for `cargo metadata` a random project is also checked with */
export type RandomMetadataArgs = string[];

export interface RandomProject extends LockfileProject {
  /** extra `cargo metadata` flags (features) that make sense for this project */
  metadataArgs: RandomMetadataArgs;
}

function tomlStr(s: string): string {
  return JSON.stringify(s);
}

interface DepLine {
  table: string;
  key: string;
  body: string;
}

/** One random project; `index` keeps names unique. */
function randomProject(rng: SeededRandom, crates: readonly CorpusCrateInfo[], index: number): RandomProject {
  const edition = rng.pick(["2018", "2021", "2021", "2024"]);
  const name = `rand${index}`;
  const names = [...new Set(crates.map((c) => c.name))];
  const chosen = rng.sample(names, 3 + rng.int(5));
  const lines: DepLine[] = [];
  const features = new Map<string, string[]>();
  const used = new Set<string>();
  let n = 0;
  for (const crateName of chosen) {
    const krate = rng.pick(crates.filter((c) => c.name === crateName));
    const roll = rng.next();
    const kind = roll < 0.15 ? "dev" : roll < 0.3 ? "build" : "normal";
    const platform = rng.chance(0.2) ? rng.pick(PLATFORMS) : undefined;
    const table =
      (platform ? `target.${tomlStr(platform)}.` : "") +
      (kind === "dev" ? "dev-dependencies" : kind === "build" ? "build-dependencies" : "dependencies");
    let key = krate.name;
    const renamed = rng.chance(0.15);
    if (renamed) key = `${krate.name.replace(/[-_]/g, "")}_alias${n++}`;
    if (used.has(`${table}|${key}`)) continue;
    used.add(`${table}|${key}`);
    const parts = [`version = ${tomlStr(randomReq(rng, krate.version))}`];
    if (renamed) parts.push(`package = ${tomlStr(krate.name)}`);
    const feats = rng.sample(krate.features, rng.int(3));
    if (feats.length > 0) parts.push(`features = [${feats.map(tomlStr).join(", ")}]`);
    if (rng.chance(0.2)) parts.push("default-features = false");
    const optional = kind !== "dev" && rng.chance(0.3);
    if (optional) {
      parts.push("optional = true");
      // a feature of the project turns it on, in one of cargo's spellings
      const extra = krate.features.length > 0 ? rng.pick(krate.features) : undefined;
      const style = rng.int(4);
      const value =
        style === 0 || extra === undefined
          ? `dep:${key}`
          : style === 1
            ? key
            : style === 2
              ? `${key}/${extra}`
              : `${key}?/${extra}`;
      const feature = `use-${key.replace(/_/g, "-")}`;
      const values = [value];
      if (style === 3) values.push(`dep:${key}`); // a weak value alone enables nothing
      features.set(feature, values);
    }
    lines.push({ table, key, body: `{ ${parts.join(", ")} }` });
  }
  const featureNames = [...features.keys()];
  const defaults = rng.sample(featureNames, rng.int(featureNames.length + 1));
  if (defaults.length > 0 || rng.chance(0.3)) features.set("default", defaults);
  features.set("extra", []);

  const tables = new Map<string, string[]>();
  for (const l of lines) tables.set(l.table, [...(tables.get(l.table) ?? []), `${l.key} = ${l.body}`]);
  let toml = `[package]\nname = "${name}"\nversion = "0.1.0"\nedition = "${edition}"\n`;
  for (const [table, entries] of tables) toml += `\n[${table}]\n${entries.join("\n")}\n`;
  toml += "\n[features]\n";
  for (const [f, values] of features) toml += `${tomlStr(f)} = [${values.map(tomlStr).join(", ")}]\n`;

  const argRoll = rng.int(4);
  const metadataArgs =
    argRoll === 0
      ? ["--all-features"]
      : argRoll === 1
        ? ["--no-default-features"]
        : argRoll === 2 && featureNames.length > 0
          ? ["--features", rng.sample(featureNames, 1 + rng.int(featureNames.length)).join(",")]
          : [];
  return { name: `random-${index}`, files: { "Cargo.toml": toml, "src/lib.rs": "" }, metadataArgs };
}

/** `count` seeded random projects over the corpus crates in `crates`. */
export function randomProjects(
  crates: readonly CorpusCrateInfo[],
  count: number,
  seed = 20240601,
): RandomProject[] {
  const rng = new SeededRandom(seed);
  return Array.from({ length: count }, (_, i) => randomProject(rng, crates, i));
}
