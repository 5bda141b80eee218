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
