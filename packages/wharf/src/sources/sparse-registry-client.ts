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

/** Where the client gets its token when the registry requires one (RegistryCredentials). */
export interface TokenSource {
  /** the token; throws a WharfError naming the registry and how to log in when there is none */
  token(headers: readonly string[], loginUrl?: string): Promise<string>;
  /** the error for a 401/403 to a request that carried the token */
  rejectedError(url: string, status: number): WharfError;
}

export interface SparseRegistryClientOptions extends HttpFetcherOptions {
  /** `sparse+https://host/index/` (the `sparse+` prefix is optional) */
  indexUrl: string;
  cache: WharfCache;
  /** raw Authorization value, sent only to the index URL's origin, and only to auth-required registries */
  token?: string | undefined;
  /** asked for the token only once the registry turns out to require one (wins over `token`) */
  credentials?: TokenSource | undefined;
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

export interface IndexFileOptions {
  /**
   * versions a lock file holds: when the cached file lists one of them, it is used as it is,
   * without asking the registry (cargo does not update the index for locked dependencies)
   */
  cachedIfListed?: ReadonlySet<string> | undefined;
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
  /** headers of the last 401, passed to credential providers as cargo does */
  private authHeaders: string[] = [];
  private loginUrl: string | undefined;

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
  async indexFile(name: string, options: IndexFileOptions = {}): Promise<IndexFileResult | null> {
    const first = await this.indexFileExact(name, options);
    if (first !== null) return first;
    const alt = alternateSpelling(name);
    return alt === undefined ? null : this.indexFileExact(alt, options);
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
    const res = await this.getWithAuth(url, this.options.maxCrateBytes ?? 20 * 1024 * 1024);
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
    if (res.status === 401 && this.hasCredentials() && !this.authRequired) {
      this.noteUnauthorized(res);
      this.authRequired = true; // cargo's behaviour: an unexpected 401 means "send the token"
      res = await this.get(url, MAX_CONFIG_BYTES);
    }
    this.checkAuthStatus(res, url, "auth");
    if (res.status !== 200) {
      throw new WharfError({ code: "REGISTRY_HTTP_ERROR", message: `${url} answered HTTP ${res.status}` });
    }
    const config = parseRegistryConfig(this.decode(res, "config.json"), url);
    if (config.authRequired) this.authRequired = true;
    return config;
  }

  private async indexFileExact(name: string, options: IndexFileOptions): Promise<IndexFileResult | null> {
    // auth-required registries need the token for the index too; config.json tells us
    const cache = this.options.cache.indexCache(this.indexUrl.href);
    const url = new URL(indexFilePath(name), this.indexUrl).href;
    if (this.options.offline) {
      const hit = await cache.get(name);
      return hit === undefined ? null : { name, ...this.parse(hit.body, name, url), source: "cache" };
    }
    if (options.cachedIfListed !== undefined && options.cachedIfListed.size > 0) {
      const hit = await cache.get(name);
      if (hit !== undefined) {
        const parsed = this.parse(hit.body, name, url);
        if (parsed.lines.some((l) => options.cachedIfListed!.has(l.vers))) {
          return { name, ...parsed, source: "cache" };
        }
      }
    }
    if (this.hasCredentials()) await this.config();
    const cached = await cache.get(name);
    const headers: Record<string, string> = {};
    if (cached?.etag !== undefined) headers["if-none-match"] = cached.etag;
    else if (cached?.lastModified !== undefined) headers["if-modified-since"] = cached.lastModified;
    const res = await this.getWithAuth(url, this.options.maxIndexBytes ?? 16 * 1024 * 1024, headers);
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

  private hasCredentials(): boolean {
    return this.options.credentials !== undefined || this.options.token !== undefined;
  }

  /** The token for this registry (asked of the credential providers on first use). */
  private async currentToken(): Promise<string | undefined> {
    if (this.options.credentials !== undefined) {
      return this.options.credentials.token(this.authHeaders, this.loginUrl);
    }
    return this.options.token;
  }

  /** Remembers a 401's challenge for the providers and the login hint (WWW-Authenticate: Cargo). */
  private noteUnauthorized(res: FetchResponse): boolean {
    const challenge = res.headers["www-authenticate"];
    this.authHeaders = challenge === undefined ? [] : [`www-authenticate: ${challenge}`];
    const login = challenge === undefined ? null : /login_url="?([^",\s]+)"?/i.exec(challenge);
    if (login?.[1]) this.loginUrl = login[1];
    return challenge !== undefined && /^\s*cargo\b/i.test(challenge);
  }

  /** 401/403 become an error that names the registry: no token, or the token was refused. */
  private checkAuthStatus(res: FetchResponse, url: string, anonymous403: "auth" | "pass" = "pass"): void {
    if (res.status !== 401 && res.status !== 403) return;
    const sentToken = this.authRequired && this.hasCredentials();
    if (res.status === 403 && !sentToken && anonymous403 === "pass") return;
    if (sentToken) {
      if (this.options.credentials !== undefined)
        throw this.options.credentials.rejectedError(url, res.status);
      throw new WharfError({
        code: "REGISTRY_TOKEN_REJECTED",
        message: `${url} answered HTTP ${res.status}: the token was refused`,
        hint: "log in again",
      });
    }
    throw new WharfError({
      code: "REGISTRY_AUTH_REQUIRED",
      message: `${url} answered HTTP ${res.status}: the registry needs a token`,
      hint: "log in to the registry first",
    });
  }

  /** GET for index files and downloads: a 401 with a Cargo challenge turns auth on and retries once. */
  private async getWithAuth(url: string, maxBytes: number, headers: Record<string, string> = {}) {
    let res = await this.get(url, maxBytes, headers);
    if (res.status === 401 && !this.authRequired && this.hasCredentials()) {
      if (this.noteUnauthorized(res)) {
        this.authRequired = true;
        res = await this.get(url, maxBytes, headers);
      }
    }
    this.checkAuthStatus(res, url);
    return res;
  }

  private async get(
    url: string,
    maxBytes: number,
    headers: Record<string, string> = {},
  ): Promise<FetchResponse> {
    const token = this.authRequired ? await this.currentToken() : undefined;
    return this.http.get({ url, maxBytes, headers, token, tokenOrigin: this.indexUrl.origin });
  }
}
