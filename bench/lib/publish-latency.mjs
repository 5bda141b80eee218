// Publish latency of the Wharf registry: N sequential real publishes (a valid .crate written
// with writeCrateArchive, framed with encodePublishBody) over HTTPS with undici, one crate
// with N versions (the first publish creates the crate). Each request is timed from send
// to the full response body; the .crate and body are built before the clock starts.
// nginx has no equivalent: these are absolute numbers.
import { encodePublishBody, writeCrateArchive } from "@wharf/protocol";
import { Agent, request } from "undici";

const encoder = new TextEncoder();

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  // nearest-rank
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

function publishBody(name, vers) {
  const manifest = [
    "[package]",
    `name = "${name}"`,
    `version = "${vers}"`,
    'edition = "2021"',
    'description = "Wharf benchmark crate"',
    'license = "MIT"',
    "",
  ].join("\n");
  const crate = writeCrateArchive(name, vers, [
    { path: "Cargo.toml", bytes: encoder.encode(manifest) },
    { path: "src/lib.rs", bytes: encoder.encode(`pub const VERSION: &str = "${vers}";\n`) },
  ]);
  const meta = {
    name,
    vers,
    deps: [],
    features: {},
    authors: [],
    description: "Wharf benchmark crate",
    documentation: null,
    homepage: null,
    readme: null,
    readme_file: null,
    keywords: [],
    categories: [],
    license: "MIT",
    license_file: null,
    repository: null,
    badges: {},
    links: null,
    rust_version: null,
  };
  return { body: encodePublishBody(meta, crate), crateBytes: crate.length };
}

export async function measurePublishLatency({
  baseUrl,
  caCert,
  token,
  count = 50,
  crateName = "wharf-bench-publish",
}) {
  if (!Number.isInteger(count) || count < 1 || count > 10_000) throw new Error(`bad publish count ${count}`);
  // one keep-alive connection, so the numbers are the publish path and not TLS handshakes
  // (a real `cargo publish` opens a fresh connection: add one handshake to compare)
  const agent = new Agent({ connect: { ca: caCert }, connections: 1 });
  const bodies = [];
  for (let i = 0; i < count; i++) bodies.push(publishBody(crateName, `0.1.${i}`));
  const timesMs = [];
  const failures = [];
  try {
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      const res = await request(`${baseUrl}/api/v1/crates/new`, {
        method: "PUT",
        dispatcher: agent,
        headers: { authorization: token, "content-type": "application/octet-stream" },
        body: bodies[i].body,
      });
      const text = await res.body.text();
      const dt = performance.now() - t0;
      if (res.statusCode !== 200) {
        failures.push({ version: `0.1.${i}`, status: res.statusCode, body: text.slice(0, 300) });
        if (failures.length >= 3) break;
        continue;
      }
      timesMs.push(dt);
    }
  } finally {
    await agent.close();
  }
  const sorted = [...timesMs].sort((a, b) => a - b);
  const r3 = (x) => (x === null ? null : Math.round(x * 1000) / 1000);
  return {
    count,
    ok: timesMs.length,
    failures,
    crateName,
    crateBytes: bodies[0]?.crateBytes ?? null,
    connection: "one keep-alive HTTPS connection (undici), sequential",
    latencyMs: {
      min: r3(sorted[0] ?? null),
      p50: r3(percentile(sorted, 50)),
      p90: r3(percentile(sorted, 90)),
      p99: r3(percentile(sorted, 99)),
      max: r3(sorted.at(-1) ?? null),
      mean: r3(sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : null),
    },
  };
}
