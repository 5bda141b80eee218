/**
 * The transport policy for registry URLs: HTTPS only. Cargo happily talks plain http to a
 * sparse registry; Wharf refuses, because anyone on the path could then rewrite index
 * lines (checksums included). The one exception is a loopback host with an explicit
 * opt-in, for local development where no network is crossed.
 */
import { isIP } from "node:net";
import { redactSecrets, WharfError } from "@wharf/protocol";

export interface UrlPolicy {
  /** allow http:// to 127.0.0.0/8, ::1 and localhost only */
  allowLoopbackHttp?: boolean;
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost") return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  if (isIP(host) === 6) return host === "::1" || host === "0:0:0:0:0:0:0:1";
  return false;
}

/** Parses `sparse+https://...` or `https://...` and applies the policy. */
export function checkTransportUrl(text: string, policy: UrlPolicy, what = "registry URL"): URL {
  const bare = text.startsWith("sparse+") ? text.slice("sparse+".length) : text;
  let url: URL;
  try {
    url = new URL(bare);
  } catch (cause) {
    throw new WharfError({
      code: "REGISTRY_BAD_URL",
      message: `${what} \`${redactSecrets(text)}\` is not a valid URL`,
      cause,
    });
  }
  if (url.protocol === "https:") return url;
  if (url.protocol === "http:") {
    if (policy.allowLoopbackHttp && isLoopbackHost(url.hostname)) return url;
    const https = redactSecrets(text.replace(/^(sparse\+)?http:/, "$1https:"));
    throw new WharfError({
      code: "REGISTRY_INSECURE_URL",
      message: `refusing plain http ${what} \`${redactSecrets(text)}\`: index lines and checksums could be rewritten in transit`,
      hint: isLoopbackHost(url.hostname)
        ? `use \`${https}\`, or allow http to this loopback address explicitly (allowLoopbackHttp)`
        : `use \`${https}\` (with a custom CA via http.cainfo / WHARF_HTTP_CAINFO if the registry uses a private one)`,
    });
  }
  throw new WharfError({
    code: "REGISTRY_BAD_URL",
    message: `${what} \`${redactSecrets(text)}\` uses unsupported scheme \`${url.protocol}\``,
    hint: "sparse registries are reached over https://",
  });
}

/** The index base URL with exactly one trailing slash, so relative paths resolve under it. */
export function normalizeIndexUrl(text: string, policy: UrlPolicy): URL {
  const url = checkTransportUrl(text, policy, "registry index URL");
  if (url.username || url.password) {
    throw new WharfError({
      code: "REGISTRY_BAD_URL",
      message: `registry index URL \`${redactSecrets(url.href)}\` carries credentials`,
      hint: "pass the token through a credential provider instead of the URL",
    });
  }
  if (url.search || url.hash) {
    throw new WharfError({
      code: "REGISTRY_BAD_URL",
      message: `registry index URL \`${redactSecrets(url.href)}\` must not have a query or fragment`,
    });
  }
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  return url;
}
