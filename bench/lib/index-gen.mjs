// Generates a synthetic but realistic sparse index on disk: N crates, 1-20 versions each
// (few versions is the common case), lines shaped like crates.io's (deps with req,
// features, optional, default_features, target, kind; features maps; cksum = sha256 of
// versionBlobBytes(name, vers), so a registry can be loaded with blobs that match).
// Crate names are unique after canonicalizing (case, `-` vs `_`), as a registry demands.
// Deterministic for a given seed, so every run and every target serves the same bytes.
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { sparseIndexPath } from "@wharf/test-support";

/** mulberry32: small, fast, seedable; quality is plenty for shaping test data */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = [
  "ser",
  "de",
  "tok",
  "io",
  "rand",
  "core",
  "hash",
  "map",
  "byte",
  "str",
  "sync",
  "net",
  "http",
  "json",
  "log",
  "env",
  "fs",
  "time",
  "uuid",
  "regex",
  "parse",
  "cli",
  "arg",
  "term",
  "color",
  "async",
  "fut",
  "ures",
  "util",
  "macro",
  "derive",
  "proc",
  "quote",
  "syn",
  "num",
  "big",
  "int",
  "float",
  "crypto",
  "sha",
  "ring",
  "tls",
  "rust",
  "web",
  "sys",
  "lib",
  "os",
  "win",
  "unix",
  "ffi",
  "wasm",
  "bind",
  "gen",
  "test",
  "mock",
  "bench",
  "db",
  "sql",
  "pg",
  "redis",
  "cache",
  "queue",
  "chan",
  "lock",
  "cell",
  "arc",
  "vec",
  "small",
  "tiny",
  "fast",
  "mem",
  "alloc",
  "buf",
  "stream",
  "codec",
  "zip",
  "flate",
  "gz",
  "tar",
  "path",
];
const FEATURE_WORDS = [
  "std",
  "alloc",
  "serde",
  "derive",
  "async",
  "tokio",
  "rt",
  "full",
  "tls",
  "unstable",
  "nightly",
  "simd",
  "log",
  "tracing",
  "json",
  "yaml",
  "default-tls",
  "rustls",
  "native",
  "compat",
];
const TARGETS = [
  null,
  null,
  null,
  null,
  null,
  null,
  "cfg(windows)",
  "cfg(unix)",
  'cfg(target_os = "linux")',
  'cfg(target_arch = "wasm32")',
];
const KINDS = ["normal", "normal", "normal", "normal", "normal", "dev", "dev", "build"];

function pick(r, list) {
  return list[Math.floor(r() * list.length)];
}

/** integer in [lo, hi], skewed toward lo (p of staying low ~ like real version counts) */
function skewed(r, lo, hi, power = 2.2) {
  return lo + Math.floor(r() ** power * (hi - lo + 1));
}

/** what a registry treats as the same name: case and `-`/`_` are not significant */
const canonical = (name) => name.toLowerCase().replaceAll("-", "_");

function makeNames(r, count) {
  const names = new Set();
  // a registry refuses `a-b` once `a_b` exists, so names must differ after canonicalizing
  const taken = new Set();
  const add = (name) => {
    if (taken.has(canonical(name))) return;
    taken.add(canonical(name));
    names.add(name);
  };
  // a handful of 1-, 2- and 3-character names so every index path shape is exercised
  for (const n of ["a", "z", "io", "rx", "syn", "nom", "url"]) if (names.size < count) add(n);
  for (let guard = 0; names.size < count && guard < count * 50; guard++) {
    const parts = skewed(r, 1, 4, 1.5);
    const sep = r() < 0.7 ? "-" : "_";
    const words = [];
    for (let i = 0; i < parts; i++) words.push(pick(r, SYLLABLES));
    let name = words.join(sep);
    if (r() < 0.15) name += String(Math.floor(r() * 10));
    if (name.length > 64) continue;
    add(name);
  }
  if (names.size < count) throw new Error(`could only make ${names.size} unique crate names`);
  return [...names];
}

function versionList(r, count) {
  const out = [];
  let major = r() < 0.6 ? 0 : 1;
  let minor = skewed(r, 0, 3);
  let patch = 0;
  for (let i = 0; i < count; i++) {
    out.push(`${major}.${minor}.${patch}`);
    const step = r();
    if (step < 0.6) patch += 1;
    else if (step < 0.93) {
      minor += 1;
      patch = 0;
    } else {
      major += 1;
      minor = 0;
      patch = 0;
    }
  }
  return out;
}

/**
 * The stand-in ".crate" bytes of one version: small, unique and deterministic, so a loader
 * can store them in a registry's blob store and the line's cksum (their sha256) matches.
 */
export function versionBlobBytes(name, vers) {
  return Buffer.from(`wharf bench blob for ${name} ${vers}\n`, "utf8");
}

const sha256Hex = (bytes) => createHash("sha256").update(bytes).digest("hex");

function makeDeps(r, names, self) {
  const n = skewed(r, 0, 14, 1.8);
  const deps = [];
  const used = new Set([self]);
  for (let i = 0; i < n; i++) {
    const name = pick(r, names);
    if (used.has(name)) continue;
    used.add(name);
    const optional = r() < 0.2;
    const nf = skewed(r, 0, 3, 3);
    const features = [];
    for (let k = 0; k < nf; k++) features.push(pick(r, FEATURE_WORDS));
    deps.push({
      name,
      req:
        r() < 0.8 ? `^${skewed(r, 0, 2)}.${skewed(r, 0, 20)}` : `>=${skewed(r, 0, 1)}.${skewed(r, 0, 9)}, <2`,
      features: [...new Set(features)].sort(),
      optional,
      default_features: r() < 0.85,
      target: pick(r, TARGETS),
      kind: pick(r, KINDS),
    });
  }
  return deps.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function makeFeatures(r, deps) {
  const features = {};
  const n = skewed(r, 0, 8, 2);
  const optional = deps.filter((d) => d.optional && d.kind !== "dev").map((d) => d.name);
  if (n > 0) features.default = ["std"];
  for (let i = 0; i < n; i++) {
    const key = pick(r, FEATURE_WORDS);
    if (key === "default") continue;
    const vals = [];
    const m = skewed(r, 0, 3);
    for (let k = 0; k < m; k++)
      vals.push(optional.length > 0 && r() < 0.5 ? `dep:${pick(r, optional)}` : pick(r, FEATURE_WORDS));
    features[key] = [...new Set(vals)].filter((v) => v !== key).sort();
  }
  return Object.fromEntries(Object.entries(features).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function line(r, names, name, vers) {
  const deps = makeDeps(r, names, name);
  const all = makeFeatures(r, deps);
  // as crates.io does: features using `dep:` go to features2, and only then is "v": 2 set
  const features = {};
  const features2 = {};
  for (const [k, v] of Object.entries(all)) {
    if (v.some((x) => x.startsWith("dep:"))) features2[k] = v;
    else features[k] = v;
  }
  const obj = {
    name,
    vers,
    deps,
    cksum: sha256Hex(versionBlobBytes(name, vers)),
    features,
    yanked: r() < 0.03,
  };
  if (r() < 0.05) obj.links = `${name.replaceAll("-", "_")}_sys`;
  if (Object.keys(features2).length > 0) {
    obj.features2 = features2;
    obj.v = 2;
  }
  if (r() < 0.4) obj.rust_version = `1.${skewed(r, 56, 80, 1)}`;
  return JSON.stringify(obj);
}

/**
 * Writes `crates` index files (and config.json) under dir. Returns the relative index paths
 * (no leading slash) and size statistics.
 */
export function generateSparseIndex({
  dir,
  crates,
  seed = 1,
  maxVersions = 20,
  dl = "https://127.0.0.1/dl",
}) {
  if (!Number.isInteger(crates) || crates < 1 || crates > 200_000)
    throw new Error(`bad crate count ${crates}`);
  const r = rng(seed);
  const names = makeNames(r, crates);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "config.json"), `${JSON.stringify({ dl, api: "https://127.0.0.1" })}\n`);
  const paths = [];
  let lines = 0;
  let bytes = 0;
  let maxFileBytes = 0;
  for (const name of names) {
    const versions = versionList(r, skewed(r, 1, maxVersions, 2.2));
    const text = `${versions.map((v) => line(r, names, name, v)).join("\n")}\n`;
    const rel = sparseIndexPath(name);
    const file = join(dir, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    paths.push(rel);
    lines += versions.length;
    const size = Buffer.byteLength(text);
    bytes += size;
    maxFileBytes = Math.max(maxFileBytes, size);
  }
  return {
    paths,
    stats: {
      crates: names.length,
      files: paths.length,
      lines,
      bytes,
      meanFileBytes: Math.round(bytes / paths.length),
      maxFileBytes,
      meanLineBytes: Math.round(bytes / lines),
      seed,
    },
  };
}
