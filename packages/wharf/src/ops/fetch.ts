/**
 * `wharf fetch` (cargo fetch): resolve the workspace against its Cargo.lock (writing the lock
 * when it was missing or out of date, refused under --locked), then download every registry
 * package of the resolve, several at a time. Each .crate is checked against the index cksum
 * (which the resolve already compared with the lock file's checksum) before it enters the
 * cache, then extracted through the strict archive reader and verified.
 */
import { CRATES_IO_INDEX, formatVersion } from "@wharf/protocol";
import type { CliContext } from "../cli/context.js";
import { ConcurrencyLimit } from "../sources/concurrency-limit.js";
import { printLockfileChanges } from "./lock-status.js";
import { resolveWorkspace, writeLockfile } from "./resolve-workspace.js";

export interface FetchResult {
  downloaded: number;
  fromCache: number;
  bytes: number;
}

function sourceLabel(url: string): string {
  return url === CRATES_IO_INDEX ? "crates.io" : `registry \`${url}\``;
}

/** cargo's byte sizes: `52.8KiB`, `1.2MiB`. */
function humanBytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB"];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value}${units[0]}` : `${value.toFixed(1)}${units[unit]}`;
}

export async function fetchLocked(
  ctx: CliContext,
  options: { manifestPath?: string | undefined },
): Promise<FetchResult> {
  const started = Date.now();
  const rw = await resolveWorkspace(ctx, options.manifestPath);
  const result: FetchResult = { downloaded: 0, fromCache: 0, bytes: 0 };
  try {
    writeLockfile(ctx, rw);
    printLockfileChanges(ctx, rw, { mode: "sync" });
    const limit = new ConcurrencyLimit(8);
    const work = rw.resolve.packages.flatMap((p) => {
      const source = p.id.source;
      const sha256 = p.summary.checksum;
      if (source.kind !== "registry" || sha256 === undefined) return [];
      const version = formatVersion(p.id.version);
      return [
        limit.run(async () => {
          const got = await rw.registry.download(source, p.id.name, version, sha256);
          for (const d of got.diagnostics) ctx.shell.warn(d);
          if (got.fromCache) result.fromCache++;
          else {
            result.downloaded++;
            result.bytes += got.size;
            ctx.shell.status("Downloaded", `${p.id.name} v${version} (${sourceLabel(source.url)})`);
          }
          const extracted = await rw.cache.verifiedSourceDir({ name: p.id.name, version, sha256 });
          for (const d of extracted.diagnostics) ctx.shell.warn(d);
        }),
      ];
    });
    // settle everything before reporting, so no download is left running after an error
    const settled = await Promise.allSettled(work);
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
    if (failed) throw failed.reason;
  } finally {
    await rw.registry.close();
  }
  if (result.downloaded > 0) {
    const secs = ((Date.now() - started) / 1000).toFixed(2);
    ctx.shell.status(
      "Downloaded",
      `${result.downloaded} crate${result.downloaded === 1 ? "" : "s"} (${humanBytes(result.bytes)}) in ${secs}s`,
    );
  }
  return result;
}
