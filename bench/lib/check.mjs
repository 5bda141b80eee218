// Honesty checks run against every target before it is measured: it must serve the very
// bytes on disk for a sample of index paths, and we record the TLS it negotiates (protocol,
// cipher, certificate) so the report can show both sides used the same settings.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { connect } from "node:tls";
import { Agent, request } from "undici";

const sha256 = (buf) => createHash("sha256").update(buf).digest("hex");

/** GETs `sample` evenly spread index paths and compares them with the files in indexDir. */
export async function verifySameBytes({ baseUrl, prefix, indexDir, paths, caCert, sample = 200 }) {
  const agent = new Agent({ connect: { ca: caCert }, connections: 4 });
  const step = Math.max(1, Math.floor(paths.length / sample));
  const checked = [];
  const mismatches = [];
  const headers = {};
  try {
    for (let i = 0; i < paths.length && checked.length < sample; i += step) {
      const rel = paths[i];
      const res = await request(`${baseUrl}${prefix}${rel}`, { dispatcher: agent });
      const body = Buffer.from(await res.body.arrayBuffer());
      if (checked.length === 0) {
        for (const h of ["content-type", "content-encoding", "cache-control", "etag", "last-modified"]) {
          headers[h] = res.headers[h] ?? null;
        }
      }
      checked.push(rel);
      const want = readFileSync(join(indexDir, rel));
      if (res.statusCode !== 200 || sha256(body) !== sha256(want)) {
        mismatches.push({
          path: rel,
          status: res.statusCode,
          bytes: body.length,
          expectedBytes: want.length,
        });
      }
    }
  } finally {
    await agent.close();
  }
  return { checked: checked.length, mismatches, firstResponseHeaders: headers };
}

/** Opens one TLS connection the way wrk does (HTTP/1.1 ALPN, no SNI for an IP) and reports what was negotiated. */
export function tlsInfo({ baseUrl, caCert }) {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: url.hostname,
      port: Number(url.port),
      ca: caCert,
      ALPNProtocols: ["http/1.1"],
    });
    const timer = setTimeout(() => socket.destroy(new Error("TLS handshake timed out")), 5000);
    socket.once("secureConnect", () => {
      clearTimeout(timer);
      const cert = socket.getPeerX509Certificate();
      const info = {
        protocol: socket.getProtocol(),
        cipher: socket.getCipher().standardName,
        alpn: socket.alpnProtocol || null,
        ephemeralKey: socket.getEphemeralKeyInfo(),
        certFingerprint256: cert?.fingerprint256 ?? null,
      };
      socket.end();
      resolve(info);
    });
    socket.once("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

/**
 * GETs every path once and returns the ETag this server sent for it ({ path, etag }), for
 * the conditional-GET run; ETags are the server's own (nginx: mtime-size; wharf:
 * index version and line count), so each server is asked separately.
 */
export async function fetchEtags({ baseUrl, prefix, paths, caCert, concurrency = 8 }) {
  const agent = new Agent({ connect: { ca: caCert }, connections: concurrency });
  const entries = new Array(paths.length);
  const missing = [];
  try {
    for (let i = 0; i < paths.length; i += concurrency) {
      const batch = paths.slice(i, i + concurrency);
      await Promise.all(
        batch.map(async (rel, j) => {
          const res = await request(`${baseUrl}${prefix}${rel}`, { dispatcher: agent });
          await res.body.dump();
          const etag = res.headers.etag;
          if (res.statusCode !== 200 || typeof etag !== "string" || etag === "") missing.push(rel);
          entries[i + j] = { path: rel, etag: typeof etag === "string" ? etag : "" };
        }),
      );
    }
  } finally {
    await agent.close();
  }
  if (missing.length > 0) {
    throw new Error(
      `no ETag (or not 200) for ${missing.length} paths, e.g. ${missing.slice(0, 3).join(", ")}`,
    );
  }
  return entries;
}

/** Sends If-None-Match with each sampled path's ETag and counts the answers that are not 304. */
export async function verifyNotModified({ baseUrl, prefix, entries, caCert, sample = 200 }) {
  const agent = new Agent({ connect: { ca: caCert }, connections: 4 });
  const step = Math.max(1, Math.floor(entries.length / sample));
  let checked = 0;
  const not304 = [];
  try {
    for (let i = 0; i < entries.length && checked < sample; i += step) {
      const { path, etag } = entries[i];
      const res = await request(`${baseUrl}${prefix}${path}`, {
        dispatcher: agent,
        headers: { "if-none-match": etag },
      });
      const body = Buffer.from(await res.body.arrayBuffer());
      checked++;
      if (res.statusCode !== 304 || body.length !== 0)
        not304.push({ path, status: res.statusCode, bytes: body.length });
    }
  } finally {
    await agent.close();
  }
  return { checked, not304 };
}
