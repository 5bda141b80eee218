// Loads the generated sparse index into a fresh Wharf registry data dir through the
// registry's own store API, so the registry serves the very files nginx serves: every line
// of every index file becomes one publishVersion with the exact line text, a blob whose
// sha256 is the line's cksum, and a setYanked for lines generated as yanked (the store
// keeps the stored line immutable and applies `yanked` on read). Also creates the user and
// the API token the publish-latency measurement uses.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createApiToken, openRegistryData } from "@wharf/registry";
import { versionBlobBytes } from "./index-gen.mjs";

/** Blob writes fsync each file; a few in flight overlap that wait. */
const BLOB_CONCURRENCY = 16;

const ALL_SCOPES = ["publish-new", "publish-update", "yank", "change-owners"];

function parseFile(text, rel) {
  if (!text.endsWith("\n")) throw new Error(`index file ${rel} does not end with a newline`);
  return text
    .slice(0, -1)
    .split("\n")
    .map((line) => ({ text: line, fields: JSON.parse(line) }));
}

/**
 * Publishes every line of indexDir/<paths> into dataDir. Returns counts, timings and an
 * all-scopes API token for the user that owns everything.
 */
export async function loadIndexIntoRegistry({ indexDir, paths, dataDir, onProgress }) {
  const started = performance.now();
  const data = await openRegistryData(dataDir);
  const stats = { crates: 0, versions: 0, yanked: 0, blobMs: 0, publishMs: 0, yankMs: 0 };
  let token;
  try {
    const { store, blobs } = data;
    const user = await store.addUser({ login: "bench", actor: { kind: "admin-cli" } });
    token = (
      await createApiToken({
        store,
        userId: user.id,
        name: "bench-publish",
        scopes: ALL_SCOPES,
        cratePatterns: null,
        actor: { kind: "admin-cli" },
        now: () => new Date(),
      })
    ).token;

    for (let i = 0; i < paths.length; i++) {
      const rel = paths[i];
      const lines = parseFile(readFileSync(join(indexDir, rel), "utf8"), rel);

      const t0 = performance.now();
      const hashes = new Array(lines.length);
      for (let k = 0; k < lines.length; k += BLOB_CONCURRENCY) {
        const batch = lines.slice(k, k + BLOB_CONCURRENCY);
        const got = await Promise.all(
          batch.map(({ fields }) => blobs.put(versionBlobBytes(fields.name, fields.vers))),
        );
        got.forEach((h, j) => {
          hashes[k + j] = h;
        });
      }
      const t1 = performance.now();
      stats.blobMs += t1 - t0;

      for (let k = 0; k < lines.length; k++) {
        const { text, fields } = lines[k];
        if (hashes[k] !== fields.cksum) {
          throw new Error(
            `${rel}: blob sha256 ${hashes[k]} != line cksum ${fields.cksum} (generator drift?)`,
          );
        }
        await store.publishVersion({
          crateName: fields.name,
          version: fields.vers,
          cksum: fields.cksum,
          blobHash: hashes[k],
          indexLine: text,
          size: versionBlobBytes(fields.name, fields.vers).length,
          links: fields.links ?? null,
          rustVersion: fields.rust_version ?? null,
          userId: user.id,
          remoteAddr: null,
          metadata: {},
        });
      }
      const t2 = performance.now();
      stats.publishMs += t2 - t1;

      for (const { fields } of lines) {
        if (fields.yanked !== true) continue;
        await store.setYanked({
          crateName: fields.name,
          version: fields.vers,
          yanked: true,
          actor: { kind: "admin-cli" },
        });
        stats.yanked++;
      }
      stats.yankMs += performance.now() - t2;

      stats.crates++;
      stats.versions += lines.length;
      if (onProgress && (i + 1) % 1000 === 0) onProgress(stats, performance.now() - started);
    }
  } finally {
    await data.close();
  }
  const ms = (x) => Math.round(x);
  return {
    token,
    stats: {
      crates: stats.crates,
      versions: stats.versions,
      yanked: stats.yanked,
      totalMs: ms(performance.now() - started),
      blobPutMs: ms(stats.blobMs),
      publishVersionMs: ms(stats.publishMs),
      setYankedMs: ms(stats.yankMs),
      publishVersionMeanMs: Math.round((stats.publishMs / Math.max(1, stats.versions)) * 1000) / 1000,
    },
  };
}
