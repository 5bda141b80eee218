import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConcurrencyLimit } from "./concurrency-limit.js";
import { cratePrefix, downloadUrl } from "./download-url.js";
import { checkTransportUrl, isLoopbackHost, normalizeIndexUrl } from "./registry-url.js";
import { backoffDelayMs, DEFAULT_RETRY_POLICY, parseRetryAfterMs } from "./retry-policy.js";

describe("registry URL policy", () => {
  it("refuses plain http with a hint naming the https URL", () => {
    assert.throws(
      () => checkTransportUrl("sparse+http://crates.example.com/index/", {}),
      (e: Error & { code?: string; hint?: string }) =>
        e.code === "REGISTRY_INSECURE_URL" &&
        (e.hint ?? "").includes("sparse+https://crates.example.com/index/"),
    );
  });

  it("allows http only to loopback hosts and only with the opt-in", () => {
    assert.throws(() => checkTransportUrl("http://127.0.0.1:8080/index/", {}), {
      code: "REGISTRY_INSECURE_URL",
    });
    assert.equal(checkTransportUrl("http://127.0.0.1:8080/", { allowLoopbackHttp: true }).port, "8080");
    assert.equal(checkTransportUrl("http://[::1]/", { allowLoopbackHttp: true }).hostname, "[::1]");
    assert.throws(() => checkTransportUrl("http://10.0.0.1/", { allowLoopbackHttp: true }), {
      code: "REGISTRY_INSECURE_URL",
    });
    assert.throws(() => checkTransportUrl("http://127.0.0.1.evil.com/", { allowLoopbackHttp: true }), {
      code: "REGISTRY_INSECURE_URL",
    });
    assert.ok(isLoopbackHost("localhost") && isLoopbackHost("127.5.0.1") && !isLoopbackHost("128.0.0.1"));
  });

  it("refuses other schemes and credentials in the index URL; adds the trailing slash", () => {
    assert.throws(() => checkTransportUrl("file:///tmp/index", {}), { code: "REGISTRY_BAD_URL" });
    assert.throws(
      () => normalizeIndexUrl("https://u:hunter22@h/index/", {}),
      (e: Error) => {
        assert.doesNotMatch(e.message, /hunter22/);
        return true;
      },
    );
    assert.equal(normalizeIndexUrl("sparse+https://h/index", {}).href, "https://h/index/");
  });
});

describe("download URL", () => {
  it("appends cargo's default suffix when dl has no markers", () => {
    assert.equal(
      downloadUrl("https://h/api/v1/crates", "serde", "1.0.0", "a"),
      "https://h/api/v1/crates/serde/1.0.0/download",
    );
  });

  it("fills cargo's markers", () => {
    const sum = "f".repeat(64);
    assert.equal(
      downloadUrl(
        "https://h/{prefix}/{lowerprefix}/{crate}/{version}/{sha256-checksum}",
        "Serde",
        "1.0.0",
        sum,
      ),
      `https://h/Se/rd/se/rd/Serde/1.0.0/${sum}`,
    );
    assert.deepEqual(["a", "ab", "abc", "Abcd"].map(cratePrefix), ["1", "2", "3/a", "Ab/cd"]);
  });
});

describe("retry policy", () => {
  it("uses full jitter under an exponential ceiling", () => {
    assert.equal(
      backoffDelayMs(DEFAULT_RETRY_POLICY, 0, () => 0.999),
      249,
    );
    assert.equal(
      backoffDelayMs(DEFAULT_RETRY_POLICY, 2, () => 0.5),
      500,
    );
    assert.equal(
      backoffDelayMs(DEFAULT_RETRY_POLICY, 40, () => 0.5),
      5000,
    );
    assert.equal(
      backoffDelayMs(DEFAULT_RETRY_POLICY, 3, () => 0),
      0,
    );
  });

  it("reads Retry-After as seconds or a date", () => {
    assert.equal(parseRetryAfterMs("2", 0), 2000);
    assert.equal(parseRetryAfterMs("Thu, 01 Jan 1970 00:00:10 GMT", 4000), 6000);
    assert.equal(parseRetryAfterMs("soon", 0), undefined);
    assert.equal(parseRetryAfterMs(undefined, 0), undefined);
  });
});

describe("ConcurrencyLimit", () => {
  it("never runs more than max tasks at once", async () => {
    const limit = new ConcurrencyLimit(3);
    let active = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        limit.run(async () => {
          active++;
          peak = Math.max(peak, active);
          await new Promise((r) => setTimeout(r, 2));
          active--;
        }),
      ),
    );
    assert.equal(peak, 3);
  });
});
