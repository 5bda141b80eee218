/**
 * The HTTPS proxy setting: `http.proxy` (or CARGO_HTTP_PROXY), else `https_proxy` /
 * `HTTPS_PROXY`. Wharf only talks HTTPS, so a proxy is only ever used as a CONNECT tunnel
 * and TLS runs end to end to the registry; the proxy can see host names, never content,
 * and a request is never downgraded to plain http. Credentials in a proxy URL are kept as
 * a Secret and redacted in every message.
 */
import { BlockList, isIP } from "node:net";
import { type Diagnostic, REDACTED, redactSecrets, WharfError } from "@wharf/protocol";
import type { HttpConfig } from "./cargo-config.js";
import type { Env, Sourced } from "./config-reader.js";
import { type Definition, describeDefinition } from "./definition.js";
import { Secret } from "./secret.js";

export interface ProxyAuth {
  readonly username: string;
  readonly password: Secret;
}

export type ProxySetting =
  | {
      readonly kind: "none";
      /** set when a config value turned proxying off explicitly (`http.proxy = ""`) */
      readonly definition?: Definition | undefined;
    }
  | {
      readonly kind: "connect";
      /** how we talk to the proxy itself; the tunnelled traffic is always TLS */
      readonly proxyScheme: "http" | "https";
      readonly host: string;
      readonly port: number;
      readonly auth?: ProxyAuth | undefined;
      /** the proxy URL with any password replaced by `<redacted>`: safe to print */
      readonly display: string;
      readonly definition: Definition;
      /** hosts from NO_PROXY / no_proxy that bypass the proxy (`*` = all) */
      readonly noProxy: readonly string[];
    };

/** libcurl's default proxy port when none is given, kept so configs behave as in cargo. */
const DEFAULT_PORT = { http: 1080, https: 443 } as const;

/** Redacts the userinfo of something that may not even parse as a URL. */
export function redactProxyUrl(raw: string): string {
  const redacted = redactSecrets(raw);
  // `user@host` with no password still names an account: keep the user, hide nothing else,
  // but a bare token in the user part (`token@host`) is hidden too.
  return redacted.replace(
    /^([a-z][a-z0-9+.-]*:\/\/)?([^/@\s]+)@/i,
    (m, scheme: string | undefined, userinfo: string) =>
      userinfo.includes(REDACTED) ? m : `${scheme ?? ""}${REDACTED}@`,
  );
}

function proxyError(raw: string, definition: Definition, problem: string, hint?: string): WharfError {
  return new WharfError({
    code: "CONFIG_PROXY",
    message: `invalid proxy \`${redactProxyUrl(raw)}\` from ${describeDefinition(definition)}: ${problem}`,
    hint,
  });
}

/** Parses one proxy URL (`[scheme://][user:pass@]host[:port]`), refusing non-HTTP schemes. */
export function parseProxyUrl(
  raw: string,
  definition: Definition,
  noProxy: readonly string[] = [],
): Extract<ProxySetting, { kind: "connect" }> {
  const text = raw.trim();
  const schemeMatch = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text);
  const scheme = (schemeMatch?.[1] ?? "http").toLowerCase();
  if (scheme !== "http" && scheme !== "https") {
    throw proxyError(
      text,
      definition,
      `unsupported proxy scheme \`${scheme}\`; only \`http://\` and \`https://\` proxies (used through CONNECT) are supported`,
      "use an HTTP(S) proxy URL such as `http://proxy.example:3128`",
    );
  }
  let url: URL;
  try {
    url = new URL(schemeMatch ? text : `http://${text}`);
  } catch {
    throw proxyError(text, definition, "not a valid URL");
  }
  if (url.hostname === "") throw proxyError(text, definition, "the URL has no host");
  if ((url.pathname !== "/" && url.pathname !== "") || url.search !== "" || url.hash !== "") {
    throw proxyError(text, definition, "a proxy URL has only a scheme, credentials, host and port");
  }
  const proxyScheme = scheme as "http" | "https";
  const port = url.port === "" ? DEFAULT_PORT[proxyScheme] : Number(url.port);
  const auth: ProxyAuth | undefined =
    url.username !== "" || url.password !== ""
      ? { username: decodeURIComponent(url.username), password: new Secret(decodeURIComponent(url.password)) }
      : undefined;
  const userinfo = auth === undefined ? "" : `${url.username}${url.password === "" ? "" : `:${REDACTED}`}@`;
  return {
    kind: "connect",
    proxyScheme,
    host: url.hostname,
    port,
    auth,
    display: `${proxyScheme}://${userinfo}${url.hostname}:${port}`,
    definition,
    noProxy,
  };
}

export interface ResolveProxyOptions {
  http: HttpConfig;
  /** the process environment, passed in */
  env: Env;
}

/**
 * The proxy to use for HTTPS requests, with warnings. Order: `http.proxy` from config or
 * CARGO_HTTP_PROXY (cargo's own key, already folded into `http.proxy`), then what libcurl
 * reads for an https URL: `https_proxy`, `HTTPS_PROXY`, `all_proxy`, `ALL_PROXY`.
 * `http_proxy` is deliberately ignored: curl applies it to plain-http URLs only, which
 * Wharf never fetches. (cargo also falls back to git's `http.proxy`; Wharf does not read
 * git's configuration.)
 */
export function resolveProxy(options: ResolveProxyOptions): { proxy: ProxySetting; warnings: Diagnostic[] } {
  const warnings: Diagnostic[] = [];
  const noProxyText = options.env["no_proxy"] ?? options.env["NO_PROXY"] ?? "";
  const noProxy = noProxyText
    .split(",")
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== "");
  let chosen: Sourced<string> | undefined = options.http.proxy;
  if (chosen !== undefined && chosen.value.trim() === "") {
    // libcurl treats an empty proxy as "no proxy, not even from the environment".
    return { proxy: { kind: "none", definition: chosen.definition }, warnings };
  }
  if (chosen === undefined) {
    for (const name of ["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"]) {
      const value = options.env[name];
      if (value !== undefined && value.trim() !== "") {
        chosen = { value, definition: { kind: "env", name } };
        break;
      }
    }
  }
  if (chosen === undefined) return { proxy: { kind: "none" }, warnings };
  const proxy = parseProxyUrl(chosen.value, chosen.definition, noProxy);
  if (proxy.auth !== undefined && proxy.proxyScheme === "http") {
    warnings.push({
      level: "warning",
      code: "CONFIG_PROXY_CLEARTEXT_AUTH",
      message: `proxy ${proxy.display} from ${describeDefinition(proxy.definition)} takes credentials over plain http; the proxy password crosses the network unencrypted (the registry traffic inside the tunnel stays TLS)`,
    });
  }
  return { proxy, warnings };
}

function bareHost(hostname: string): string {
  const h = hostname.toLowerCase();
  return h.startsWith("[") && h.endsWith("]") ? h.slice(1, -1) : h;
}

/**
 * Whether NO_PROXY exempts `hostname`, as libcurl reads it: `*` exempts everything; a name
 * exempts itself and its subdomains (a leading dot is optional); an IP address or CIDR
 * range exempts the addresses in it. Ports in entries are ignored, as curl ignores them.
 */
export function isNoProxyHost(noProxy: readonly string[], hostname: string): boolean {
  const host = bareHost(hostname);
  const hostIp = isIP(host);
  for (const raw of noProxy) {
    let entry = raw.trim().toLowerCase();
    if (entry === "") continue;
    if (entry === "*") return true;
    if (entry.startsWith("["))
      entry = entry.slice(1, entry.indexOf("]") > 0 ? entry.indexOf("]") : undefined);
    else if (entry.split(":").length === 2) entry = entry.slice(0, entry.indexOf(":"));
    if (hostIp !== 0) {
      const [addr = "", bits] = entry.split("/");
      const family = isIP(addr);
      if (family === 0) continue;
      if (bits === undefined) {
        if (addr === host) return true;
        continue;
      }
      const prefix = Number(bits);
      const type = family === 4 ? "ipv4" : "ipv6";
      if (family !== hostIp || !Number.isInteger(prefix)) continue;
      const list = new BlockList();
      try {
        list.addSubnet(addr, prefix, type);
      } catch {
        continue;
      }
      if (list.check(host, type)) return true;
      continue;
    }
    const name = entry.startsWith(".") ? entry.slice(1) : entry;
    if (host === name || host.endsWith(`.${name}`)) return true;
  }
  return false;
}
