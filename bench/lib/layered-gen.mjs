// Generates a deterministic synthetic sparse registry for the client benchmarks: crates in
// layers, each depending only on crates in lower layers (so the graph is acyclic and its
// depth is the layer count), ten versions a crate, optional dependencies switched on by
// features (some through `dep:` in features2, some through the implicit feature), dependents
// asking for those features, some yanked versions, and a root project depending on every
// crate in the top layer.
//
// Every requirement is `^major.minor` of a version that exists and is not yanked, and no
// requirement has an upper bound inside a semver-compatible group, so the graph always
// resolves without backtracking: the benchmark measures fetching, parsing and activation,
// the same work for both tools, and both must write the same Cargo.lock (run checks that).
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { sparseIndexPath } from "@wharf/test-support";
import { rng, versionBlobBytes } from "./index-gen.mjs";

const sha256Hex = (bytes) => createHash("sha256").update(bytes).digest("hex");
const int = (r, lo, hi) => lo + Math.floor(r() * (hi - lo + 1));
const TARGETS = [null, null, null, null, null, null, "cfg(windows)", "cfg(unix)"];

/** ten versions over one or two majors, e.g. 0.3.0 0.3.1 0.4.0 … or 1.0.0 … 2.1.0 */
function versionList(r, count) {
  const out = [];
  let major = r() < 0.4 ? 0 : 1;
  let minor = major === 0 ? int(r, 1, 5) : 0;
  let patch = 0;
  for (let i = 0; i < count; i++) {
    out.push({ major, minor, patch, text: `${major}.${minor}.${patch}` });
    const step = r();
    if (step < 0.55) patch++;
    else if (step < 0.93 || i === 0) {
      minor++;
      patch = 0;
    } else {
      major++;
      minor = 0;
      patch = 0;
    }
  }
  return out;
}

/** `^1.4` / `^0.3` naming the compatible group of v with v's minor as the floor */
const caret = (v) => `^${v.major}.${v.minor}`;

function layerSizes(crates, layers, topFraction) {
  const top = Math.max(3, Math.round(crates * topFraction));
  const rest = crates - top;
  const sizes = [];
  for (let l = 0; l < layers - 1; l++) {
    sizes.push(Math.floor(rest / (layers - 1)) + (l < rest % (layers - 1) ? 1 : 0));
  }
  sizes.push(top);
  return sizes;
}

/**
 * Writes the index (and config.json) under dir and a root project under rootDir.
 * Returns { paths, layers, stats, top } (paths relative, no leading slash).
 */
export function generateLayeredRegistry({
  dir,
  crates,
  seed = 1,
  layers = 6,
  versions = 10,
  topFraction = 0.01,
  yankedShare = 0.08,
  dl = "https://127.0.0.1/dl",
}) {
  if (!Number.isInteger(crates) || crates < layers * 5 || crates > 200_000)
    throw new Error(`bad crate count ${crates}`);
  const r = rng(seed);
  const sizes = layerSizes(crates, layers, topFraction);

  // crates: name, layer, versions (with yanked flags), optional deps, feature names
  const byLayer = [];
  const all = [];
  for (let l = 0; l < layers; l++) {
    const list = [];
    for (let i = 0; i < sizes[l]; i++) {
      const name = `l${l}-${["core", "util", "io", "net", "fmt", "sync", "derive", "codec"][i % 8]}-${i}`;
      const vs = versionList(r, versions);
      // never yank the newest version, so every compatible group keeps a resolvable member
      for (let k = 0; k < vs.length; k++) vs[k].yanked = k < vs.length - 1 && r() < yankedShare;
      const c = { name, layer: l, versions: vs };
      list.push(c);
      all.push(c);
    }
    byLayer.push(list);
  }
  const pickBelow = (layer) => {
    // mostly the layer right below (keeps the graph deep), sometimes anything lower
    const l = r() < 0.7 ? layer - 1 : int(r, 0, layer - 1);
    return byLayer[l][Math.floor(r() * byLayer[l].length)];
  };
  /** a non-yanked version of c, later ones for later dependents (index share in [0, 1]) */
  const targetVersion = (c, share) => {
    let k = Math.min(c.versions.length - 1, Math.floor(share * c.versions.length));
    while (c.versions[k].yanked) k++;
    return c.versions[k];
  };

  // the dependency plan per crate: normal deps (some only in later versions), optional
  // deps (every version, each behind feature `with-<j>`), maybe a dev-dep (ignored for
  // non-root packages but parsed)
  for (const c of all) {
    c.normal = [];
    c.optional = [];
    c.dev = [];
    if (c.layer === 0) continue;
    const used = new Set();
    const take = () => {
      for (let guard = 0; guard < 20; guard++) {
        const t = pickBelow(c.layer);
        if (!used.has(t.name)) {
          used.add(t.name);
          return t;
        }
      }
      return undefined;
    };
    const nNormal = int(r, 1, 5);
    for (let j = 0; j < nNormal; j++) {
      const t = take();
      if (t)
        c.normal.push({
          target: t,
          since: j === nNormal - 1 && r() < 0.5 ? int(r, 1, versions - 1) : 0,
          defaultFeatures: r() < 0.85,
          wantFeature: r() < 0.25,
          platform: TARGETS[Math.floor(r() * TARGETS.length)],
        });
    }
    const nOptional = int(r, 0, 3);
    for (let j = 0; j < nOptional; j++) {
      const t = take();
      if (t) c.optional.push({ target: t, viaDep: r() < 0.5 });
    }
    if (r() < 0.3) {
      const t = take();
      if (t) c.dev.push({ target: t });
    }
  }

  const featureNames = (c) => ["std", "full", ...c.optional.map((_, j) => `with-${j}`)];

  const depEntry = (d, share, kind, optional, features, defaultFeatures = true, target = null) => ({
    name: d.name,
    req: caret(targetVersion(d, share)),
    features,
    optional,
    default_features: defaultFeatures,
    target,
    kind,
  });

  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "config.json"), `${JSON.stringify({ dl, api: "https://127.0.0.1" })}\n`);
  const paths = [];
  let lines = 0;
  let bytes = 0;
  let yanked = 0;
  for (const c of all) {
    const text = c.versions
      .map((v, k) => {
        const share = (k + 1) / versions;
        const deps = [];
        for (const d of c.normal) {
          if (k < d.since) continue;
          // ask the dependency for one of its optional features sometimes, so optional
          // crates further down are switched on from above
          const feats = [];
          if (d.wantFeature) {
            const names = featureNames(d.target);
            feats.push(names[Math.floor(r() * names.length)]);
          }
          deps.push(depEntry(d.target, share, "normal", false, feats, d.defaultFeatures, d.platform));
        }
        for (const d of c.optional) deps.push(depEntry(d.target, share, "normal", true, []));
        for (const d of c.dev) deps.push(depEntry(d.target, share, "dev", false, []));
        deps.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

        const features = { default: ["std"], std: [] };
        const features2 = {};
        const full = ["std"];
        c.optional.forEach((d, j) => {
          const fname = `with-${j}`;
          // `dep:` hides the implicit feature (crates.io puts such features in features2)
          if (d.viaDep) features2[fname] = [`dep:${d.target.name}`];
          else features[fname] = [d.target.name];
          full.push(fname);
        });
        const stdDep = c.normal.find((d) => k >= d.since);
        if (stdDep) full.push(`${stdDep.target.name}/std`);
        features.full = full.sort();
        const line = {
          name: c.name,
          vers: v.text,
          deps,
          cksum: sha256Hex(versionBlobBytes(c.name, v.text)),
          features: Object.fromEntries(Object.entries(features).sort(([a], [b]) => (a < b ? -1 : 1))),
          yanked: v.yanked,
        };
        if (Object.keys(features2).length > 0) {
          line.features2 = features2;
          line.v = 2;
        }
        if (v.yanked) yanked++;
        return JSON.stringify(line);
      })
      .join("\n");
    const rel = sparseIndexPath(c.name);
    const file = join(dir, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${text}\n`);
    paths.push(rel);
    lines += c.versions.length;
    bytes += Buffer.byteLength(text) + 1;
  }
  const top = byLayer[layers - 1];
  return {
    paths,
    top: top.map((c) => ({ name: c.name, req: caret(c.versions.at(-1)) })),
    stats: {
      crates: all.length,
      layers: sizes,
      versionsPerCrate: versions,
      lines,
      yanked,
      bytes,
      meanLineBytes: Math.round(bytes / lines),
      seed,
    },
  };
}

/** The root project's files: every top-layer crate, a fifth of them with `full`. */
export function rootProjectFiles(top) {
  const deps = top.map((t, i) =>
    i % 5 === 0 ? `"${t.name}" = { version = "${t.req}", features = ["full"] }` : `"${t.name}" = "${t.req}"`,
  );
  return {
    "Cargo.toml": `[package]\nname = "bench-root"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n${deps.join("\n")}\n`,
    "src/lib.rs": "",
  };
}
