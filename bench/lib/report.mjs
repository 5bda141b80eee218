// Text table and ratios for the console; run.mjs writes the full JSON.

function pad(s, n, right = false) {
  const t = String(s);
  return right ? t.padStart(n) : t.padEnd(n);
}

const fmt = (v) => (v === null || v === undefined ? "-" : String(v));

export function renderTable(results) {
  const head = [
    "target",
    "conns",
    "req/s",
    "MB/s",
    "p50 ms",
    "p90 ms",
    "p99 ms",
    "max ms",
    "errors",
    "srv cpu%",
    "wrk cpu%",
  ];
  const widths = [8, 6, 9, 7, 8, 8, 8, 9, 7, 9, 9];
  const lines = [head.map((h, i) => pad(h, widths[i], i > 0)).join("  ")];
  lines.push(widths.map((w) => "-".repeat(w)).join("  "));
  for (const t of results) {
    if (t.skipped) {
      lines.push(`${pad(t.name, widths[0])}  skipped: ${t.skipped}`);
      continue;
    }
    for (const r of t.runs) {
      const row = [
        t.name,
        r.connections,
        r.requestsPerSec,
        r.megabytesPerSec,
        r.latencyMs.p50,
        r.latencyMs.p90,
        r.latencyMs.p99,
        r.latencyMs.max,
        r.errors.total,
        fmt(r.serverCoreBusyPct),
        fmt(r.clientCoreBusyPct),
      ];
      lines.push(row.map((c, i) => pad(c, widths[i], i > 0)).join("  "));
    }
  }
  return lines.join("\n");
}

/** wharf/nginx for each connection count both measured; null when either is missing. */
export function ratios(results, numerator = "wharf", denominator = "nginx") {
  const a = results.find((t) => t.name === numerator && !t.skipped);
  const b = results.find((t) => t.name === denominator && !t.skipped);
  if (!a || !b) return [];
  const out = [];
  for (const ra of a.runs) {
    const rb = b.runs.find((r) => r.connections === ra.connections);
    if (!rb) continue;
    const q = (x, y) => (y > 0 ? Math.round((x / y) * 1000) / 1000 : null);
    out.push({
      connections: ra.connections,
      of: `${numerator}/${denominator}`,
      requestsPerSec: q(ra.requestsPerSec, rb.requestsPerSec),
      p50: q(ra.latencyMs.p50, rb.latencyMs.p50),
      p99: q(ra.latencyMs.p99, rb.latencyMs.p99),
    });
  }
  return out;
}

export function renderRatios(rs) {
  if (rs.length === 0) return "ratios: none (need both wharf and nginx results)";
  return rs
    .map(
      (r) =>
        `${r.of} @ ${r.connections} conns: throughput x${r.requestsPerSec}, p50 x${r.p50}, p99 x${r.p99}`,
    )
    .join("\n");
}
