import assert from "node:assert/strict";
import { test } from "node:test";
import { isWharfError } from "@wharf/protocol";
import { isNoProxyHost, parseProxyUrl, redactProxyUrl, resolveProxy } from "./proxy.js";

const CONFIG = { kind: "path", path: "/p/.cargo/config.toml" } as const;

test("http.proxy wins over HTTPS_PROXY; env proxies are used otherwise", () => {
  const env = { HTTPS_PROXY: "http://env-proxy:3128", https_proxy: "http://lower:1" };
  const fromConfig = resolveProxy({ http: { proxy: { value: "corp-proxy:8080", definition: CONFIG } }, env });
  assert.equal(fromConfig.proxy.kind === "connect" && fromConfig.proxy.host, "corp-proxy");
  assert.equal(fromConfig.proxy.kind === "connect" && fromConfig.proxy.port, 8080);
  const fromEnv = resolveProxy({ http: {}, env });
  assert.equal(fromEnv.proxy.kind === "connect" && fromEnv.proxy.host, "lower");
  const upper = resolveProxy({ http: {}, env: { HTTPS_PROXY: "https://p.example" } });
  assert.ok(
    upper.proxy.kind === "connect" && upper.proxy.proxyScheme === "https" && upper.proxy.port === 443,
  );
  assert.equal(resolveProxy({ http: {}, env: { http_proxy: "http://plain:1" } }).proxy.kind, "none");
  const off = resolveProxy({ http: { proxy: { value: "", definition: CONFIG } }, env });
  assert.equal(off.proxy.kind, "none");
});

test("proxy schemes other than http(s) are refused with a clear error", () => {
  for (const url of ["socks5://user:pw@host:1080", "ftp://host", "file:///etc/passwd"]) {
    assert.throws(
      () => parseProxyUrl(url, CONFIG),
      (e: unknown) =>
        isWharfError(e) &&
        e.code === "CONFIG_PROXY" &&
        e.message.includes("unsupported proxy scheme") &&
        !e.message.includes(":pw@"),
    );
  }
});

test("credentials in proxy URLs are redacted in display, warnings and errors", () => {
  const p = parseProxyUrl("http://alice:s3cr%40t@proxy.example:3128", CONFIG);
  assert.equal(p.display, "http://alice:<redacted>@proxy.example:3128");
  assert.equal(p.auth?.password.expose(), "s3cr@t");
  assert.ok(!JSON.stringify(p).includes("s3cr"));
  const r = resolveProxy({
    http: { proxy: { value: "http://alice:hunter2@proxy:1", definition: CONFIG } },
    env: {},
  });
  assert.ok(r.warnings.length === 1 && !r.warnings[0]?.message.includes("hunter2"));
  assert.throws(
    () => parseProxyUrl("http://bob:hunter2@proxy.example/some/path", CONFIG),
    (e: unknown) => isWharfError(e) && !e.message.includes("hunter2") && e.message.includes("bob"),
  );
  assert.equal(redactProxyUrl("tok3n@proxy:1"), "<redacted>@proxy:1");
  assert.equal(redactProxyUrl("https://u:p@h"), "https://u:<redacted>@h");
});

test("NO_PROXY is carried for the client", () => {
  const r = resolveProxy({
    http: {},
    env: { HTTPS_PROXY: "http://p:1", NO_PROXY: "localhost, .corp.example" },
  });
  assert.deepEqual(r.proxy.kind === "connect" && r.proxy.noProxy, ["localhost", ".corp.example"]);
});

test("ALL_PROXY is libcurl's last resort for https URLs", () => {
  const r = resolveProxy({ http: {}, env: { ALL_PROXY: "http://all:1", all_proxy: "http://lower-all:2" } });
  assert.equal(r.proxy.kind === "connect" && r.proxy.host, "lower-all");
  const s = resolveProxy({ http: {}, env: { ALL_PROXY: "http://all:1", HTTPS_PROXY: "http://https:3" } });
  assert.equal(s.proxy.kind === "connect" && s.proxy.host, "https");
});

test("NO_PROXY matches names with their subdomains, IPs, CIDR ranges and *", () => {
  const list = ["corp.example", ".other.example", "10.0.0.0/8", "::1", "127.0.0.1:8080"];
  assert.ok(isNoProxyHost(list, "corp.example"));
  assert.ok(isNoProxyHost(list, "reg.corp.example"));
  assert.ok(!isNoProxyHost(list, "notcorp.example"));
  assert.ok(isNoProxyHost(list, "x.other.example"));
  assert.ok(isNoProxyHost(list, "other.example"));
  assert.ok(isNoProxyHost(list, "10.20.30.40"));
  assert.ok(!isNoProxyHost(list, "11.0.0.1"));
  assert.ok(isNoProxyHost(list, "[::1]"));
  assert.ok(isNoProxyHost(list, "127.0.0.1"), "ports in entries are ignored, as in curl");
  assert.ok(!isNoProxyHost(list, "127.0.0.2"));
  assert.ok(isNoProxyHost(["*"], "anything"));
  assert.ok(!isNoProxyHost([], "anything"));
});
