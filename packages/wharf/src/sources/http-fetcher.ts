/**
 * The one place Wharf's client does HTTP: an undici Agent (keep-alive, HTTP/2 when the
 * server offers it, an optional private CA), a concurrency limit, bounded redirects that
 * never leave HTTPS, per-attempt timeouts (connect, headers, body idle, whole request),
 * bounded bodies counted as they stream, and retries with full-jitter backoff on network
 * errors, 5xx and 429 (Retry-After honoured up to a bound). A token is attached only to
 * the origin the caller names, and never appears in an error or event. An HTTPS proxy is
 * only ever a CONNECT tunnel (undici's ProxyAgent): TLS runs end to end to the registry and
 * its certificate is checked against the same CA as without the proxy.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { REDACTED, redactSecrets, WharfError } from "@wharf/protocol";
import { Agent, type Dispatcher, ProxyAgent, request } from "undici";
import { describeDefinition, type ProxySetting } from "../config/index.js";
import { isNoProxyHost } from "../config/proxy.js";
import { ConcurrencyLimit } from "./concurrency-limit.js";
import { checkTransportUrl, type UrlPolicy } from "./registry-url.js";
import {
  backoffDelayMs,
  DEFAULT_RETRY_POLICY,
  isRetryableStatus,
  parseRetryAfterMs,
  type RetryPolicy,
} from "./retry-policy.js";

export interface HttpTimeouts {
  /** TCP + TLS handshake; default 10 s */
  connectMs: number;
  /** from sending the request to the response headers; default 30 s */
  headersMs: number;
  /** longest silence while the body streams; default 30 s */
  bodyIdleMs: number;
  /** one whole attempt, however it trickles in (slow-body servers); default 5 min */
  requestMs: number;
}

export const DEFAULT_HTTP_TIMEOUTS: Readonly<HttpTimeouts> = Object.freeze({
  connectMs: 10_000,
  headersMs: 30_000,
  bodyIdleMs: 30_000,
  requestMs: 300_000,
});

export type HttpEvent =
  | { kind: "response"; url: string; status: number; attempt: number }
  | { kind: "retry"; url: string; attempt: number; delayMs: number; reason: string };

export interface HttpFetcherOptions extends UrlPolicy {
  /** PEM CA bundle file that replaces the default roots (cargo's http.cainfo, WHARF_HTTP_CAINFO) */
  caFile?: string;
  /** PEM CA bundle text, same meaning as caFile */
  ca?: string;
  /** requests in flight at once; default 16 */
  maxConcurrency?: number;
  /** default 5, as cargo (curl) allows */
  maxRedirects?: number;
  timeouts?: Partial<HttpTimeouts>;
  retry?: Partial<RetryPolicy>;
  userAgent?: string;
  /** `http.proxy` / HTTPS_PROXY as resolved by config/proxy.ts; used as a CONNECT tunnel */
  proxy?: ProxySetting | undefined;
  /** PEM CA bundle for an `https://` proxy's own certificate (http.proxy-cainfo); default: caFile */
  proxyCaFile?: string | undefined;
  /** for tests and verbose logs; receives no header values */
  onEvent?: (event: HttpEvent) => void;
  /** injectable for tests: full-jitter randomness */
  random?: () => number;
}

export interface FetchRequest {
  url: string;
  headers?: Record<string, string>;
  /** the raw Authorization value, attached only while the URL's origin is `tokenOrigin` */
  token?: string | undefined;
  tokenOrigin?: string | undefined;
  /** largest body accepted for a 2xx response */
  maxBytes: number;
  signal?: AbortSignal | undefined;
}

export interface FetchResponse {
  status: number;
  /** after redirects */
  url: string;
  headers: Record<string, string | undefined>;
  body: Uint8Array;
  /** sha256 of body, computed while it streamed */
  sha256: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const ERROR_BODY_BYTES = 64 * 1024;
/** TLS failures are configuration problems, not flakiness: retrying them only delays the error */
const TLS_CODES = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_UNTRUSTED",
  "CERT_SIGNATURE_FAILURE",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "UND_ERR_PRX_TLS",
]);
const NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "ERR_HTTP2_STREAM_ERROR",
  "ERR_HTTP2_SESSION_ERROR",
  "ERR_HTTP2_GOAWAY_SESSION",
  "ERR_STREAM_PREMATURE_CLOSE",
]);
const NOT_RETRYABLE_UNDICI = new Set(["UND_ERR_ABORTED", "UND_ERR_INVALID_ARG", "UND_ERR_NOT_SUPPORTED"]);

function errorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") return code;
  const cause = (error as { cause?: unknown }).cause;
  return cause === undefined || cause === error ? undefined : errorCode(cause);
}

function errorText(error: unknown): string {
  if (error instanceof Error) {
    const code = errorCode(error);
    return redactSecrets(
      code && !error.message.includes(code) ? `${error.message} (${code})` : error.message,
    );
  }
  return redactSecrets(String(error));
}

/** Replaces the request's own token, which redactSecrets cannot know by shape. */
function scrub(text: string, token: string | undefined): string {
  return token !== undefined && token !== "" ? text.replaceAll(token, REDACTED) : text;
}

function readPem(file: string, what: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (cause) {
    throw new WharfError({
      code: "REGISTRY_CA_FILE",
      message: `could not read the CA file \`${file}\``,
      hint: `${what} must name a readable PEM file`,
      cause,
    });
  }
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && error.name === "TimeoutError";
}

/** a display form of a URL: no credentials, no query (signed download URLs carry secrets there) */
function showUrl(url: URL | string): string {
  const u = new URL(url);
  u.username = "";
  u.password = "";
  u.search = "";
  return redactSecrets(u.href);
}

/** Stops reading a body we do not want; undici reports that as an error event, which is expected here. */
function discard(body: { on(event: "error", listener: () => void): unknown; destroy(): unknown }): void {
  body.on("error", () => undefined);
  body.destroy();
}

/** Thrown inside an attempt for a response that will not become better by asking again. */
class FinalError extends Error {
  constructor(readonly error: WharfError) {
    super(error.message);
  }
}

type ConnectProxy = Extract<ProxySetting, { kind: "connect" }>;

export class HttpFetcher {
  readonly agent: Agent;
  /** the tunnel through the configured proxy, for hosts NO_PROXY does not exempt */
  readonly proxyAgent: ProxyAgent | undefined;
  private readonly proxy: ConnectProxy | undefined;
  private readonly limit: ConcurrencyLimit;
  private readonly timeouts: HttpTimeouts;
  private readonly retry: RetryPolicy;
  private readonly policy: UrlPolicy;
  private readonly maxRedirects: number;

  constructor(private readonly options: HttpFetcherOptions = {}) {
    this.timeouts = { ...DEFAULT_HTTP_TIMEOUTS, ...options.timeouts };
    this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.policy = { allowLoopbackHttp: options.allowLoopbackHttp ?? false };
    this.maxRedirects = options.maxRedirects ?? 5;
    const maxConcurrency = options.maxConcurrency ?? 16;
    this.limit = new ConcurrencyLimit(maxConcurrency);
    let ca = options.ca;
    if (options.caFile !== undefined) ca = readPem(options.caFile, "http.cainfo / WHARF_HTTP_CAINFO");
    const common = {
      allowH2: true,
      keepAliveTimeout: 30_000,
      connections: maxConcurrency,
      headersTimeout: this.timeouts.headersMs,
      bodyTimeout: this.timeouts.bodyIdleMs,
    };
    const tls = { timeout: this.timeouts.connectMs, ...(ca === undefined ? {} : { ca }) };
    this.agent = new Agent({ ...common, connect: tls });
    if (options.proxy?.kind === "connect") {
      const proxy = options.proxy;
      this.proxy = proxy;
      const proxyCa =
        options.proxyCaFile !== undefined ? readPem(options.proxyCaFile, "http.proxy-cainfo") : ca;
      const auth = proxy.auth;
      this.proxyAgent = new ProxyAgent({
        ...common,
        // no credentials in the URI: undici's errors may quote it
        uri: `${proxy.proxyScheme}://${proxy.host.includes(":") ? `[${proxy.host}]` : proxy.host}:${proxy.port}`,
        ...(auth === undefined
          ? {}
          : {
              token: `Basic ${Buffer.from(`${auth.username}:${auth.password.expose()}`).toString("base64")}`,
            }),
        // the registry's TLS inside the tunnel: same CA and checks as a direct connection
        requestTls: { ...tls, allowH2: true },
        proxyTls: { timeout: this.timeouts.connectMs, ...(proxyCa === undefined ? {} : { ca: proxyCa }) },
        proxyTunnel: true,
      });
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.agent.close(), this.proxyAgent?.close()]);
  }

  /** The proxy a request to `url` goes through, or undefined when it connects directly. */
  proxyFor(url: URL | string): ConnectProxy | undefined {
    if (this.proxy === undefined) return undefined;
    return isNoProxyHost(this.proxy.noProxy, new URL(url).hostname) ? undefined : this.proxy;
  }

  private dispatcherFor(url: URL): Dispatcher {
    return this.proxyFor(url) !== undefined && this.proxyAgent !== undefined ? this.proxyAgent : this.agent;
  }

  /** A clear error for a tunnel the proxy would not open, else undefined. */
  private proxyRefusal(error: unknown, url: string): WharfError | undefined {
    const proxy = this.proxyFor(url);
    if (proxy === undefined || !(error instanceof Error)) return undefined;
    const m = /Proxy response \((\d{3})\)/.exec(error.message);
    if (m === null) return undefined;
    const status = Number(m[1]);
    const target = new URL(url);
    return new WharfError({
      code: status === 407 ? "REGISTRY_PROXY_AUTH" : "REGISTRY_PROXY_REFUSED",
      message: `proxy ${proxy.display} refused to open a tunnel to ${target.host}: CONNECT answered HTTP ${status}`,
      notes: [`the proxy is set by ${describeDefinition(proxy.definition)}`],
      hint:
        status === 407
          ? "the proxy needs credentials: put the user name and password in the proxy URL, before the host"
          : `check that the proxy allows CONNECT to ${target.host}, or exempt the registry with NO_PROXY=${target.hostname}`,
    });
  }

  /**
   * GET with retries. Returns any final status (2xx, 304, 4xx); throws a WharfError for
   * network failures, exhausted retries, oversized bodies and refused redirects.
   */
  async get(req: FetchRequest): Promise<FetchResponse> {
    checkTransportUrl(req.url, this.policy, "URL");
    const started = Date.now();
    const random = this.options.random ?? Math.random;
    for (let attempt = 0; ; attempt++) {
      let delayMs: number;
      let reason: string;
      try {
        const res = await this.limit.run(() => this.attempt(req));
        this.options.onEvent?.({ kind: "response", url: showUrl(res.url), status: res.status, attempt });
        if (!isRetryableStatus(res.status)) return res;
        reason = `HTTP ${res.status}`;
        const retryAfter = parseRetryAfterMs(res.headers["retry-after"], Date.now());
        if (res.status === 429 && retryAfter !== undefined && retryAfter > this.retry.maxRetryAfterMs) {
          throw new WharfError({
            code: "REGISTRY_RATE_LIMITED",
            message: `${showUrl(res.url)} answered 429 Too Many Requests and asked to wait ${Math.ceil(retryAfter / 1000)} s, longer than the ${Math.ceil(this.retry.maxRetryAfterMs / 1000)} s wharf waits`,
            hint: "try again later",
          });
        }
        if (attempt >= this.retry.maxRetries) throw this.statusError(res, attempt + 1, req.token);
        delayMs =
          retryAfter !== undefined
            ? Math.min(retryAfter, this.retry.maxRetryAfterMs)
            : backoffDelayMs(this.retry, attempt, random);
        if (Date.now() - started + delayMs > this.retry.maxTotalMs)
          throw this.statusError(res, attempt + 1, req.token);
      } catch (error) {
        if (error instanceof FinalError) throw error.error;
        if (error instanceof WharfError) throw error;
        if (req.signal?.aborted) throw error;
        const refusal = this.proxyRefusal(error, req.url);
        if (refusal !== undefined) throw refusal;
        const code = errorCode(error);
        if (code !== undefined && TLS_CODES.has(code)) {
          throw new WharfError({
            code: "REGISTRY_TLS_ERROR",
            message: `TLS certificate of ${showUrl(req.url)} was not accepted: ${scrub(errorText(error), req.token)}`,
            hint: "if the registry uses a private CA, point http.cainfo (WHARF_HTTP_CAINFO) at its PEM certificate",
            cause: error,
          });
        }
        const retryable =
          isTimeout(error) ||
          (code !== undefined &&
            (NETWORK_CODES.has(code) || (code.startsWith("UND_ERR_") && !NOT_RETRYABLE_UNDICI.has(code))));
        reason = scrub(errorText(error), req.token);
        delayMs = backoffDelayMs(this.retry, attempt, random);
        if (
          !retryable ||
          attempt >= this.retry.maxRetries ||
          Date.now() - started + delayMs > this.retry.maxTotalMs
        ) {
          const proxy = this.proxyFor(req.url);
          throw new WharfError({
            code: "REGISTRY_NETWORK_ERROR",
            message: `failed to fetch ${showUrl(req.url)}${proxy === undefined ? "" : ` through proxy ${proxy.display}`}: ${reason}`,
            notes: [
              `gave up after ${attempt + 1} attempt(s) in ${Date.now() - started} ms`,
              ...(proxy === undefined ? [] : [`the proxy is set by ${describeDefinition(proxy.definition)}`]),
            ],
            hint: retryable ? "check the network and the registry, then try again" : undefined,
            cause: error,
          });
        }
      }
      this.options.onEvent?.({ kind: "retry", url: showUrl(req.url), attempt: attempt + 1, delayMs, reason });
      await sleep(delayMs, undefined, req.signal ? { signal: req.signal } : undefined);
    }
  }

  private statusError(res: FetchResponse, attempts: number, token: string | undefined): WharfError {
    // the server may echo our request back; redactSecrets knows token shapes, not this token
    let detail = new TextDecoder().decode(res.body.subarray(0, 512)).trim();
    if (token !== undefined && token !== "") detail = detail.replaceAll(token, REDACTED);
    return new WharfError({
      code: res.status === 429 ? "REGISTRY_RATE_LIMITED" : "REGISTRY_HTTP_ERROR",
      message: `${showUrl(res.url)} answered HTTP ${res.status}${detail ? `: ${redactSecrets(detail)}` : ""}`,
      notes: [`gave up after ${attempts} attempt(s)`],
    });
  }

  /** One attempt, following redirects; runs inside a concurrency slot. */
  private async attempt(req: FetchRequest): Promise<FetchResponse> {
    let url = new URL(req.url);
    const signals = [AbortSignal.timeout(this.timeouts.requestMs)];
    if (req.signal) signals.push(req.signal);
    const signal = AbortSignal.any(signals);
    for (let hop = 0; hop <= this.maxRedirects; hop++) {
      const headers: Record<string, string> = {
        "user-agent": this.options.userAgent ?? "wharf",
        ...req.headers,
      };
      if (req.token !== undefined && req.tokenOrigin !== undefined && url.origin === req.tokenOrigin) {
        headers.authorization = req.token;
      }
      const res = await request(url, {
        dispatcher: this.dispatcherFor(url),
        method: "GET",
        headers,
        signal,
        headersTimeout: this.timeouts.headersMs,
        bodyTimeout: this.timeouts.bodyIdleMs,
      });
      const header = (name: string): string | undefined => {
        const v = res.headers[name];
        return Array.isArray(v) ? v[0] : v;
      };
      if (REDIRECTS.has(res.statusCode)) {
        discard(res.body);
        const location = header("location");
        if (location === undefined) {
          throw new FinalError(
            new WharfError({
              code: "REGISTRY_BAD_REDIRECT",
              message: `${showUrl(url)} answered ${res.statusCode} without a Location`,
            }),
          );
        }
        const next = new URL(location, url);
        if (url.protocol === "https:" && next.protocol !== "https:") {
          throw new FinalError(
            new WharfError({
              code: "REGISTRY_INSECURE_REDIRECT",
              message: `${showUrl(url)} redirected to ${showUrl(next)}: wharf never follows a redirect away from https`,
            }),
          );
        }
        try {
          checkTransportUrl(next.href, this.policy, "redirect target");
        } catch (error) {
          throw error instanceof WharfError ? new FinalError(error) : error;
        }
        url = next;
        continue;
      }
      const ok = res.statusCode >= 200 && res.statusCode < 300;
      const limit = ok ? req.maxBytes : ERROR_BODY_BYTES;
      const declared = Number(header("content-length"));
      if (ok && Number.isFinite(declared) && declared > limit) {
        discard(res.body);
        throw new FinalError(this.tooLarge(url, limit, declared));
      }
      const hash = createHash("sha256");
      const chunks: Buffer[] = [];
      let total = 0;
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        total += chunk.length;
        if (total > limit) {
          discard(res.body);
          if (ok) throw new FinalError(this.tooLarge(url, limit, total));
          total -= chunk.length;
          break; // an error page is only read for its message
        }
        hash.update(chunk);
        chunks.push(chunk);
      }
      const responseHeaders: Record<string, string | undefined> = {};
      for (const name of ["etag", "last-modified", "retry-after", "content-type", "www-authenticate"]) {
        responseHeaders[name] = header(name);
      }
      return {
        status: res.statusCode,
        url: url.href,
        headers: responseHeaders,
        body: new Uint8Array(Buffer.concat(chunks, total)),
        sha256: hash.digest("hex"),
      };
    }
    throw new FinalError(
      new WharfError({
        code: "REGISTRY_TOO_MANY_REDIRECTS",
        message: `${showUrl(req.url)} redirected more than ${this.maxRedirects} times`,
      }),
    );
  }

  private tooLarge(url: URL, limit: number, size: number): WharfError {
    return new WharfError({
      code: "REGISTRY_RESPONSE_TOO_LARGE",
      message: `${showUrl(url)} sent more than ${limit} bytes (${size} so far)`,
      hint: "the registry is misbehaving, or the limit is too low for this crate",
    });
  }
}
