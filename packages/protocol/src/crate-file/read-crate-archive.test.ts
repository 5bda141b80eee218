import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import { isWharfError } from "../errors/index.js";
import { readCrateArchive } from "./read-crate-archive.js";
import { parseNumeric } from "./tar-header.js";
import { writeCrateArchive } from "./write-crate-archive.js";

const enc = new TextEncoder();
const opts = { name: "demo", version: "1.0.0" };

/** a minimal raw entry builder, so these tests do not depend on the writer */
function entry(o: {
  path: string;
  data?: string;
  type?: string;
  prefix?: string;
  size?: Uint8Array;
}): Uint8Array {
  const data = enc.encode(o.data ?? "");
  const h = new Uint8Array(512);
  h.set(enc.encode(o.path), 0);
  h.set(enc.encode("0000644\0"), 100);
  if (o.size) h.set(o.size, 124);
  else h.set(enc.encode(`${data.length.toString(8).padStart(11, "0")}\0`), 124);
  h[156] = (o.type ?? "0").charCodeAt(0);
  h.set(enc.encode("ustar\u000000"), 257);
  if (o.prefix) h.set(enc.encode(o.prefix), 345);
  h.fill(0x20, 148, 156);
  const sum = h.reduce((a, b) => a + b, 0);
  h.set(enc.encode(`${sum.toString(8).padStart(6, "0")}\0 `), 148);
  const out = new Uint8Array(512 + Math.ceil(data.length / 512) * 512);
  out.set(h);
  out.set(data, 512);
  return out;
}

function crate(...entries: Uint8Array[]): Uint8Array {
  return new Uint8Array(gzipSync(Buffer.concat([...entries, new Uint8Array(1024)])));
}

const manifest = () => entry({ path: "demo-1.0.0/Cargo.toml", data: '[package]\nname = "demo"\n' });

function code(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    assert.ok(isWharfError(e), String(e));
    return e.code;
  }
}

describe("readCrateArchive", () => {
  test("returns files relative to the root, with modes and the manifest text", () => {
    const archive = readCrateArchive(
      crate(manifest(), entry({ path: "demo-1.0.0/src/lib.rs", data: "pub fn f() {}" })),
      opts,
    );
    assert.deepEqual(
      archive.files.map((f) => [f.path, f.mode, new TextDecoder().decode(f.bytes)]),
      [
        ["Cargo.toml", 0o644, '[package]\nname = "demo"\n'],
        ["src/lib.rs", 0o644, "pub fn f() {}"],
      ],
    );
    assert.equal(archive.cargoToml, '[package]\nname = "demo"\n');
    assert.equal(archive.unpackedBytes, 37);
  });

  test("honours the ustar prefix field and pax path and size", () => {
    const viaPrefix = entry({ path: "lib.rs", prefix: "demo-1.0.0/src", data: "a" });
    const paxBody = "30 path=demo-1.0.0/src/pax.rs\n";
    const pax = entry({ path: "PaxHeader", type: "x", data: paxBody });
    const paxed = entry({ path: "ignored-name", data: "abc" });
    const archive = readCrateArchive(crate(manifest(), viaPrefix, pax, paxed), opts);
    assert.deepEqual(
      archive.files.map((f) => f.path),
      ["Cargo.toml", "src/lib.rs", "src/pax.rs"],
    );
  });

  test("reads GNU base-256 numbers and refuses negative or malformed ones", () => {
    assert.equal(parseNumeric(new Uint8Array([0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2])), 258);
    assert.equal(parseNumeric(new Uint8Array([0xff, 0xff])), undefined);
    assert.equal(parseNumeric(enc.encode("  0017 \0")), 15);
    assert.equal(parseNumeric(enc.encode("0018\0\0\0\0")), undefined);
    assert.equal(parseNumeric(new Uint8Array(8)), 0);
  });

  test("the entry limit counts entries", () => {
    const bytes = writeCrateArchive("demo", "1.0.0", [
      { path: "Cargo.toml", bytes: enc.encode("") },
      { path: "a", bytes: enc.encode("") },
      { path: "b", bytes: enc.encode("") },
    ]);
    assert.equal(
      code(() => readCrateArchive(bytes, { ...opts, limits: { maxEntries: 3 } })),
      undefined,
    );
    assert.equal(
      code(() => readCrateArchive(bytes, { ...opts, limits: { maxEntries: 2 } })),
      "CRATE_ARCHIVE_TOO_MANY_ENTRIES",
    );
  });

  test("the unpacked-size limit counts file bytes, checked from the header", () => {
    const bytes = writeCrateArchive("demo", "1.0.0", [
      { path: "Cargo.toml", bytes: new Uint8Array(100) },
      { path: "data.bin", bytes: crypto.getRandomValues(new Uint8Array(5000)) },
    ]);
    assert.equal(
      code(() => readCrateArchive(bytes, { ...opts, limits: { maxUnpackedBytes: 5100 } })),
      undefined,
    );
    const c = code(() => readCrateArchive(bytes, { ...opts, limits: { maxUnpackedBytes: 5099 } }));
    assert.ok(c === "CRATE_ARCHIVE_TOO_LARGE", c);
  });

  test("the ratio limit applies only above the floor", () => {
    const zeros = writeCrateArchive("demo", "1.0.0", [
      { path: "Cargo.toml", bytes: new Uint8Array(0) },
      { path: "zeros", bytes: new Uint8Array(3 * 1024 * 1024) },
    ]);
    assert.equal(
      code(() => readCrateArchive(zeros, opts)),
      "CRATE_ARCHIVE_RATIO",
    );
    assert.equal(
      code(() => readCrateArchive(zeros, { ...opts, limits: { maxRatio: 10_000 } })),
      undefined,
    );
    assert.equal(
      code(() => readCrateArchive(zeros, { ...opts, limits: { ratioFloorBytes: 4 * 1024 * 1024 } })),
      undefined,
    );
  });

  test("refuses a Cargo.toml that is not UTF-8 and a file named like the root", () => {
    const bad = new Uint8Array(
      gzipSync(Buffer.concat([entry({ path: "demo-1.0.0/Cargo.toml" }), new Uint8Array(1024)])),
    );
    assert.equal(
      code(() => readCrateArchive(bad, opts)),
      undefined,
    );
    const rawBad = Buffer.concat([
      entry({ path: "demo-1.0.0/Cargo.toml", data: "\u00ff" }),
      new Uint8Array(1024),
    ]);
    // write a lone 0xff byte over the UTF-8 encoding of ÿ
    rawBad[512] = 0xff;
    rawBad[513] = 0x20;
    assert.equal(
      code(() => readCrateArchive(new Uint8Array(gzipSync(rawBad)), opts)),
      "CRATE_ARCHIVE_MANIFEST_NOT_UTF8",
    );
    assert.equal(
      code(() => readCrateArchive(crate(manifest(), entry({ path: "demo-1.0.0" })), opts)),
      "CRATE_ARCHIVE_PATH_INVALID",
    );
  });

  test("refuses `.` and empty components, and a directory with data", () => {
    assert.equal(
      code(() => readCrateArchive(crate(manifest(), entry({ path: "demo-1.0.0/./x" })), opts)),
      "CRATE_ARCHIVE_PATH_INVALID",
    );
    assert.equal(
      code(() => readCrateArchive(crate(manifest(), entry({ path: "demo-1.0.0//x" })), opts)),
      "CRATE_ARCHIVE_PATH_INVALID",
    );
    assert.equal(
      code(() =>
        readCrateArchive(crate(manifest(), entry({ path: "demo-1.0.0/d/", type: "5", data: "x" })), opts),
      ),
      "CRATE_ARCHIVE_HEADER_INVALID",
    );
  });

  test("checks the prefix against the name and version asked for", () => {
    const bytes = crate(manifest());
    assert.equal(
      code(() => readCrateArchive(bytes, { name: "demo", version: "1.0.1" })),
      "CRATE_ARCHIVE_PATH_PREFIX",
    );
    assert.equal(
      code(() => readCrateArchive(bytes, { name: "Demo", version: "1.0.0" })),
      "CRATE_ARCHIVE_PATH_PREFIX",
    );
    assert.equal(
      code(() => readCrateArchive(bytes, { name: "a/b", version: "1.0.0" })),
      "CRATE_ARCHIVE_INVALID_OPTIONS",
    );
  });
});
