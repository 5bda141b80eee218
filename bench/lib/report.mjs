// Text table and ratios for the console; run.mjs writes the full JSON.

function pad(s, n, right = false) {
  const t = String(s);
  return right ? t.padStart(n) : t.padEnd(n);
}

const fmt = (v) => (v === null || v === undefined ? "-" : String(v));

export function renderTable(results) {
  const head = [
    "target",
    "request",
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
  const widths = [8, 7, 6, 9, 7, 8, 8, 8, 9, 7, 9, 9];
  const lines = [head.map((h, i) => pad(h, widths[i], i > 0)).join("  ")];
  lines.push(widths.map((w) => "-".repeat(w)).join("  "));
  lines[0] = head.map((h, i) => pad(h, widths[i], i > 1)).join("  ");
  for (const t of results) {
    if (t.skipped) {
      lines.push(`${pad(t.name, widths[0])}  skipped: ${t.skipped}`);
      continue;
    }
    for (const r of [...t.runs, ...(t.conditionalRuns ?? [])]) {
      const row = [
        t.name,
        r.kind === "304" ? "304" : "GET 200",
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
      lines.push(row.map((c, i) => pad(c, widths[i], i > 1)).join("  "));
    }
    if (t.conditionalSkipped)
      lines.push(`${pad(t.name, widths[0])}  304 run skipped: ${t.conditionalSkipped}`);
  }
  return lines.join("\n");
}

/**
 * wharf/nginx for each connection count both measured; null when either is missing.
 * `key` picks the run list: "runs" (plain GETs) or "conditionalRuns" (304s).
 */
export function ratios(results, numerator = "wharf", denominator = "nginx", key = "runs") {
  const a = results.find((t) => t.name === numerator && !t.skipped);
  const b = results.find((t) => t.name === denominator && !t.skipped);
  if (!a || !b) return [];
  const out = [];
  for (const ra of a[key] ?? []) {
    const rb = (b[key] ?? []).find((r) => r.connections === ra.connections);
    if (!rb) continue;
    const q = (x, y) => (y > 0 ? Math.round((x / y) * 1000) / 1000 : null);
    out.push({
      request: key === "conditionalRuns" ? "304" : "GET 200",
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
        `${r.of} ${r.request} @ ${r.connections} conns: throughput x${r.requestsPerSec}, p50 x${r.p50}, p99 x${r.p99}`,
    )
    .join("\n");
}

/** Setup and publish numbers of targets that have them (only the registry does). */
export function renderPublish(results) {
  const lines = [];
  for (const t of results) {
    const load = t.setup?.load;
    if (load) {
      lines.push(
        `${t.name} setup: loaded ${load.crates} crates / ${load.versions} versions (${load.yanked} yanked) in ` +
          `${(load.totalMs / 1000).toFixed(1)} s (publishVersion ${load.publishVersionMeanMs} ms each)`,
      );
    }
    const p = t.publish;
    if (p) {
      const l = p.latencyMs;
      lines.push(
        `${t.name} publish (${p.ok}/${p.count} sequential, ${p.crateBytes} B .crate, one HTTPS keep-alive connection): ` +
          `p50 ${fmt(l.p50)} ms, p90 ${fmt(l.p90)} ms, p99 ${fmt(l.p99)} ms, max ${fmt(l.max)} ms` +
          (p.failures.length > 0
            ? `; ${p.failures.length} failed, first: ${JSON.stringify(p.failures[0])}`
            : ""),
      );
    }
  }
  return lines.join("\n");
}
