/**
 * A sparse registry as cargo 1.95 uses it: config.json, index files revalidated against
 * the index cache with conditional GETs, and .crate downloads checked against the index
 * cksum before they enter the cache. Index lines are schema-checked and must name the
 * crate asked for: the index is the registry's signed-off record, and the checksum in it
 * is what everything downstream trusts.
 */

import type { Diagnostic } from "@wharf/protocol";
import { type IndexFile, indexFilePath, parseIndexFile, redactSecrets, WharfError } from "@wharf/protocol";
import type { WharfCache } from "../cache/index.js";
import { isSha256Hex } from "../cache/index.js";
import { downloadUrl } from "./download-url.js";
import { type FetchResponse, HttpFetcher, type HttpFetcherOptions } from "./http-fetcher.js";
import { parseRegistryConfig, type SparseRegistryConfig } from "./registry-config.js";
import { checkTransportUrl, normalizeIndexUrl } from "./registry-url.js";

export interface SparseRegistryClientOptions extends HttpFetcherOptions {
  /** `sparse+https://host/index/` (the `sparse+` prefix is optional) */
  indexUrl: string;
  cache: WharfCache;
  /** raw Authorization value, sent only to the index URL's origin, and only to auth-required registries */
  token?: string | undefined;
  /** default 16 MiB */
  maxIndexBytes?: number;
  /** default 20 MiB */
  maxCrateBytes?: number;
  /** `--offline`: answer from the index cache and the crate store only, never the network */
  offline?: boolean | undefined;
}

export interface IndexFileResult {
  /** the spelling that was found (may differ from the one asked for in `-`/`_`) */
  name: string;
  lines: IndexFile["lines"];
  unsupported: IndexFile["unsupported"];
  /** "network": a fresh 200; "revalidated": a 304 answered from the index cache; "cache": offline */
  source: "network" | "revalidated" | "cache";
}

export interface DownloadedCrate {
  name: string;
  version: string;
  sha256: string;
  /** the verified .crate in the content-addressed store */
  path: string;
  fromCache: boolean;
  /** bytes of the .crate */
  size: number;
  /** e.g. a corrupt cached copy that was discarded and downloaded again */
  diagnostics: Diagnostic[];
}

const NOT_FOUND = new Set([404, 410, 451]);
const MAX_CONFIG_BYTES = 1024 * 1024;
const fatalUtf8 = new TextDecoder("utf-8", { fatal: true });

function alternateSpelling(name: string): string | undefined {
  const alt = name.includes("-") ? name.replaceAll("-", "_") : name.replaceAll("_", "-");
  return alt === name ? undefined : alt;
}

export class SparseRegistryClient {
  readonly indexUrl: URL;
  private readonly http: HttpFetcher;
  private configPromise: Promise<SparseRegistryConfig> | undefined;
  /** true once config.json says so or a 401 proved it */
  private authRequired = false;

  constructor(private readonly options: SparseRegistryClientOptions) {
    this.indexUrl = normalizeIndexUrl(options.indexUrl, options);
    this.http = new HttpFetcher(options);
  }

  async close(): Promise<void> {
    await this.http.close();
  }

  config(): Promise<SparseRegistryConfig> {
    this.configPromise ??= this.fetchConfig().catch((error: unknown) => {
      this.configPromise = undefined; // a failed fetch must not poison later calls
      throw error;
    });
    return this.configPromise;
  }

  /** The crate's index lines, or null when the registry has no such crate (in either `-`/`_` spelling). */
  async indexFile(name: string): Promise<IndexFileResult | null> {
    const first = await this.indexFileExact(name);
    if (first !== null) return first;
    const alt = alternateSpelling(name);
    return alt === undefined ? null : this.indexFileExact(alt);
  }

  /** Downloads (or finds in the cache) a .crate whose sha256 must equal the index `cksum`. */
  async download(name: string, version: string, expectedCksum: string): Promise<DownloadedCrate> {
    if (!isSha256Hex(expectedCksum)) {
      throw new WharfError({
        code: "INDEX_LINE_CKSUM",
        message: `checksum for \`${name} v${version}\` is not 64 lowercase hex digits`,
      });
    }
    const store = this.options.cache.crates;
    const diagnostics: Diagnostic[] = [];
    try {
      const cached = await store.read(expectedCksum);
      if (cached !== undefined) {
        return {
          size: cached.byteLength,
          name,
          version,
          sha256: expectedCksum,
          path: store.pathOf(expectedCksum),
          fromCache: true,
          diagnostics,
        };
      }
    } catch (error) {
      if (!(error instanceof WharfError) || error.code !== "CACHE_CRATE_CORRUPT") throw error;
      diagnostics.push({
        level: "warning",
        code: error.code,
        message: error.message,
        file: store.pathOf(expectedCksum),
      });
    }
    if (this.options.offline) {
      throw new WharfError({
        code: "NETWORK_OFFLINE",
        message: `\`${name} v${version}\` is not downloaded yet and the network is off (--offline)`,
        hint: "run the same command once without --offline (e.g. `wharf fetch`) to download it",
      });
    }
    const config = await this.config();
    const url = downloadUrl(config.dl, name, version, expectedCksum);
    checkTransportUrl(url, this.options, "download URL");
    const res = await this.get(url, this.options.maxCrateBytes ?? 20 * 1024 * 1024);
    if (res.status !== 200) {
      throw new WharfError({
        code: NOT_FOUND.has(res.status) ? "CRATE_DOWNLOAD_NOT_FOUND" : "REGISTRY_HTTP_ERROR",
        message: `failed to download \`${name} v${version}\`: ${redactSecrets(new URL(res.url).origin + new URL(res.url).pathname)} answered HTTP ${res.status}`,
      });
    }
    if (res.sha256 !== expectedCksum) {
      throw new WharfError({
        code: "CRATE_CHECKSUM_MISMATCH",
        message: `downloaded \`${name} v${version}\` has sha256 ${res.sha256}, but the index says ${expectedCksum}`,
        hint: "the registry or something between it and you changed the file; it was not cached or used",
      });
    }
    const path = await store.put(res.body, expectedCksum);
    return {
      name,
      version,
      sha256: expectedCksum,
      path,
      fromCache: false,
      size: res.body.byteLength,
      diagnostics,
    };
  }

  private async fetchConfig(): Promise<SparseRegistryConfig> {
    const url = new URL("config.json", this.indexUrl).href;
    let res = await this.get(url, MAX_CONFIG_BYTES);
    if (res.status === 401 && this.options.token !== undefined && !this.authRequired) {
      this.authRequired = true; // cargo's behaviour: an unexpected 401 means "send the token"
      res = await this.get(url, MAX_CONFIG_BYTES);
    }
    if (res.status === 401 || res.status === 403) {
      throw new WharfError({
        code: "REGISTRY_AUTH_REQUIRED",
        message: `${url} answered HTTP ${res.status}: the registry needs a token`,
        hint:
          this.options.token === undefined
            ? "log in to the registry first"
            : "the token was refused; log in again",
      });
    }
    if (res.status !== 200) {
      throw new WharfError({ code: "REGISTRY_HTTP_ERROR", message: `${url} answered HTTP ${res.status}` });
    }
    const config = parseRegistryConfig(this.decode(res, "config.json"), url);
    if (config.authRequired) this.authRequired = true;
    return config;
  }

  private async indexFileExact(name: string): Promise<IndexFileResult | null> {
    // auth-required registries need the token for the index too; config.json tells us
    const cache = this.options.cache.indexCache(this.indexUrl.href);
    const url = new URL(indexFilePath(name), this.indexUrl).href;
    if (this.options.offline) {
      const hit = await cache.get(name);
      return hit === undefined ? null : { name, ...this.parse(hit.body, name, url), source: "cache" };
    }
    if (this.options.token !== undefined) await this.config();
    const cached = await cache.get(name);
    const headers: Record<string, string> = {};
    if (cached?.etag !== undefined) headers["if-none-match"] = cached.etag;
    else if (cached?.lastModified !== undefined) headers["if-modified-since"] = cached.lastModified;
    const res = await this.get(url, this.options.maxIndexBytes ?? 16 * 1024 * 1024, headers);
    if (NOT_FOUND.has(res.status)) {
      await cache.delete(name);
      return null;
    }
    if (res.status === 304) {
      if (cached === undefined) {
        throw new WharfError({
          code: "REGISTRY_HTTP_ERROR",
          message: `${url} answered 304 Not Modified to a request that had nothing to revalidate`,
        });
      }
      return { name, ...this.parse(cached.body, name, url), source: "revalidated" };
    }
    if (res.status !== 200) {
      throw new WharfError({ code: "REGISTRY_HTTP_ERROR", message: `${url} answered HTTP ${res.status}` });
    }
    const body = this.decode(res, `index file of \`${name}\``);
    // parse before caching: the cache only ever holds files that passed the checks
    const parsed = this.parse(body, name, url);
    await cache.put(name, { body, etag: res.headers.etag, lastModified: res.headers["last-modified"] });
    return { name, ...parsed, source: "network" };
  }

  private parse(body: string, name: string, url: string): IndexFile {
    try {
      return parseIndexFile(body, name);
    } catch (error) {
      if (!(error instanceof WharfError)) throw error;
      throw new WharfError({
        code: error.code,
        message: error.message,
        notes: [`from ${url}`],
        hint: "the registry served an index file wharf refuses to trust",
        cause: error.cause,
      });
    }
  }

  private decode(res: FetchResponse, what: string): string {
    try {
      return fatalUtf8.decode(res.body);
    } catch (cause) {
      throw new WharfError({
        code: "REGISTRY_BAD_RESPONSE",
        message: `${what} from ${res.url} is not UTF-8`,
        cause,
      });
    }
  }

  private get(url: string, maxBytes: number, headers: Record<string, string> = {}): Promise<FetchResponse> {
    const useToken = this.authRequired && this.options.token !== undefined;
    return this.http.get({
      url,
      maxBytes,
      headers,
      token: useToken ? this.options.token : undefined,
      tokenOrigin: this.indexUrl.origin,
    });
  }
}
