/**
 * The sparse-index cache: per registry, one file per crate holding the body and the
 * validators (ETag, Last-Modified) used to revalidate it with a conditional GET. Entries
 * are written atomically; a corrupt or unreadable entry is treated as absent (the registry
 * is the authority, and the client re-parses every line it serves anyway).
 */
import { createHash } from "node:crypto";
import { readFile, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { indexFilePath } from "@wharf/protocol";
import { writeFileAtomic } from "./atomic-write.js";
import { ensurePrivateDir } from "./cache-paths.js";

export interface IndexCacheEntry {
  body: string;
  etag?: string | undefined;
  lastModified?: string | undefined;
}

const MAX_ENTRY_BYTES = 64 * 1024 * 1024;

/** A stable, readable folder name per registry: host, port and a hash of the full URL. */
export function registryCacheKey(indexUrl: string): string {
  const url = new URL(indexUrl.replace(/^sparse\+/, ""));
  const host = `${url.hostname}${url.port ? `-${url.port}` : ""}`.replace(/[^A-Za-z0-9.-]/g, "_");
  const hash = createHash("sha256").update(url.href).digest("hex").slice(0, 16);
  return `${host}-${hash}`;
}

export class IndexCache {
  readonly dir: string;
  /** directories this instance already made: one mkdir per directory, not per entry */
  private readonly madeDirs = new Set<string>();

  constructor(indexRoot: string, indexUrl: string) {
    this.dir = join(indexRoot, registryCacheKey(indexUrl));
  }

  /** the cache file of a crate; indexFilePath lowercases and refuses anything but a crate name */
  pathOf(name: string): string {
    return join(this.dir, indexFilePath(name));
  }

  async get(name: string): Promise<IndexCacheEntry | undefined> {
    let text: string;
    try {
      const bytes = await readFile(this.pathOf(name));
      if (bytes.length > MAX_ENTRY_BYTES) return undefined;
      text = bytes.toString("utf8");
    } catch {
      return undefined;
    }
    try {
      const raw: unknown = JSON.parse(text);
      if (typeof raw !== "object" || raw === null) return undefined;
      const r = raw as Record<string, unknown>;
      if (typeof r.body !== "string") return undefined;
      return {
        body: r.body,
        etag: typeof r.etag === "string" ? r.etag : undefined,
        lastModified: typeof r.lastModified === "string" ? r.lastModified : undefined,
      };
    } catch {
      return undefined;
    }
  }

  async put(name: string, entry: IndexCacheEntry): Promise<void> {
    const path = this.pathOf(name);
    const dir = dirname(path);
    if (!this.madeDirs.has(dir)) {
      await ensurePrivateDir(dir);
      this.madeDirs.add(dir);
    }
    const record = { etag: entry.etag, lastModified: entry.lastModified, body: entry.body };
    // no fsync: after a crash a torn or empty entry fails to parse and reads as absent (see
    // get), and the registry is asked again; this cache is never the only copy
    await writeFileAtomic(path, JSON.stringify(record), { sync: false });
  }

  async delete(name: string): Promise<void> {
    await rm(this.pathOf(name), { force: true });
  }
}
