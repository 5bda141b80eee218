#!/usr/bin/env node
// Summarizes a V8 .cpuprofile (from `node --cpu-prof`): self time by function and by
// source file, and inclusive time of the heaviest functions, so a benchmark report can say
// where the time goes without opening DevTools.
//
//   node bench/lib/cpuprofile.mjs FILE.cpuprofile [--top 25]
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { parseArgs } from "node:util";

export function summarizeProfile(profile, { top = 25, root = process.cwd() } = {}) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // sample time deltas are per sample; attribute each to the sampled node
  const selfUs = new Map();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    total += dt;
    selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + dt);
  }
  const label = (n) => {
    const f = n.callFrame;
    const url = f.url ? relative(root, f.url.replace(/^file:\/\//, "")) : "";
    return `${f.functionName || "(anonymous)"} ${url}${url ? `:${f.lineNumber + 1}` : ""}`;
  };
  const fileOf = (n) =>
    n.callFrame.url
      ? relative(root, n.callFrame.url.replace(/^file:\/\//, ""))
      : `(${n.callFrame.functionName})`;
  const bySelf = new Map();
  const byFile = new Map();
  const inclusive = new Map();
  for (const [id, us] of selfUs) {
    const n = nodes.get(id);
    bySelf.set(label(n), (bySelf.get(label(n)) ?? 0) + us);
    byFile.set(fileOf(n), (byFile.get(fileOf(n)) ?? 0) + us);
    // inclusive: each distinct function on the stack once
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const l = label(nodes.get(cur));
      if (seen.has(l)) continue;
      seen.add(l);
      inclusive.set(l, (inclusive.get(l) ?? 0) + us);
    }
  }
  const rank = (m) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => ({ ms: Math.round(us / 1000), pct: Math.round((1000 * us) / total) / 10, what: k }));
  return {
    totalMs: Math.round(total / 1000),
    self: rank(bySelf),
    files: rank(byFile),
    inclusive: rank(inclusive),
  };
}

export function renderProfile(s) {
  const rows = (list) =>
    list.map((r) => `  ${String(r.ms).padStart(7)} ms ${String(r.pct).padStart(5)}%  ${r.what}`);
  return [
    `profile: ${s.totalMs} ms sampled`,
    "self time by function:",
    ...rows(s.self),
    "self time by file:",
    ...rows(s.files),
    "inclusive time:",
    ...rows(s.inclusive),
  ].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: "string", default: "25" } },
  });
  for (const f of positionals) {
    console.log(`== ${f}`);
    console.log(
      renderProfile(summarizeProfile(JSON.parse(readFileSync(f, "utf8")), { top: Number(values.top) })),
    );
  }
}
