import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { gunzipSync } from "node:zlib";
import fc from "fast-check";
import { isWharfError } from "../errors/index.js";
import { readCrateArchive } from "./read-crate-archive.js";
import { sha256Hex } from "./sha256.js";
import { CARGO_PACKAGE_MTIME, writeCrateArchive } from "./write-crate-archive.js";

const enc = new TextEncoder();
const file = (path: string, text: string, executable = false) => ({
  path,
  bytes: enc.encode(text),
  executable,
});

describe("writeCrateArchive", () => {
  test("same input, same bytes, whatever the input order", () => {
    const a = writeCrateArchive("demo", "1.0.0", [file("Cargo.toml", "[package]\n"), file("src/lib.rs", "")]);
    const b = writeCrateArchive("demo", "1.0.0", [file("src/lib.rs", ""), file("Cargo.toml", "[package]\n")]);
    assert.deepEqual(a, b);
    assert.equal(sha256Hex(a), sha256Hex(b));
  });

  test("entries are sorted by path components, as cargo's Path ordering does", () => {
    const bytes = writeCrateArchive("demo", "1.0.0", [
      file("a-b", ""),
      file("a/b", ""),
      file("Cargo.toml", ""),
      file("B", ""),
    ]);
    const archive = readCrateArchive(bytes, { name: "demo", version: "1.0.0" });
    assert.deepEqual(
      archive.files.map((f) => f.path),
      ["B", "Cargo.toml", "a/b", "a-b"],
    );
  });

  test("headers carry cargo's constants and modes", () => {
    const bytes = writeCrateArchive("demo", "1.0.0", [file("Cargo.toml", "x"), file("run.sh", "#!", true)]);
    const tar = gunzipSync(bytes);
    const header = (n: number) => tar.subarray(n * 1024, n * 1024 + 512);
    const text = (b: Uint8Array, from: number, len: number) =>
      Buffer.from(b.subarray(from, from + len)).toString("latin1");
    assert.equal(text(header(0), 136, 12), `${CARGO_PACKAGE_MTIME.toString(8).padStart(11, "0")}\0`);
    assert.equal(text(header(0), 257, 8), "ustar  \0");
    assert.equal(text(header(1), 100, 8), "0000755\0");
    assert.equal(text(header(0), 100, 8), "0000644\0");
    // generated files (Cargo.toml) leave uid/gid as NULs, on-disk ones as octal zeros
    assert.equal(text(header(0), 108, 8), "\0".repeat(8));
    assert.equal(text(header(1), 108, 8), "0000000\0");
    // gzip header: FNAME set, mtime 0, XFL 2, OS unknown
    assert.deepEqual([...bytes.subarray(0, 10)], [0x1f, 0x8b, 8, 8, 0, 0, 0, 0, 2, 0xff]);
    assert.equal(Buffer.from(bytes.subarray(10, 26)).toString(), "demo-1.0.0.crate");
  });

  test("paths over 100 bytes use a GNU long name and read back whole", () => {
    const long = `${"d".repeat(80)}/${"é".repeat(40)}/file.rs`;
    const bytes = writeCrateArchive("demo", "1.0.0", [file("Cargo.toml", ""), file(long, "fn main() {}")]);
    const archive = readCrateArchive(bytes, { name: "demo", version: "1.0.0" });
    assert.equal(archive.files[1]?.path, long);
    assert.match(Buffer.from(gunzipSync(bytes)).toString("latin1"), /\.\/\.\/@LongLink/);
  });

  for (const [path, code] of [
    ["../x", "CRATE_ARCHIVE_PATH_TRAVERSAL"],
    ["/abs", "CRATE_ARCHIVE_PATH_ABSOLUTE"],
    ["a\\b", "CRATE_ARCHIVE_PATH_BACKSLASH"],
    ["a//b", "CRATE_ARCHIVE_PATH_INVALID"],
    ["", "CRATE_ARCHIVE_PATH_INVALID"],
  ] as const) {
    test(`refuses to write \`${path}\``, () => {
      assert.throws(
        () => writeCrateArchive("demo", "1.0.0", [file(path, "")]),
        (e: unknown) => isWharfError(e) && e.code === code,
      );
    });
  }

  test("refuses duplicates and a name that is not one path component", () => {
    assert.throws(
      () => writeCrateArchive("demo", "1.0.0", [file("a", ""), file("a", "")]),
      (e: unknown) => isWharfError(e) && e.code === "CRATE_ARCHIVE_DUPLICATE_PATH",
    );
    assert.throws(
      () => writeCrateArchive("../x", "1.0.0", []),
      (e: unknown) => isWharfError(e) && e.code === "CRATE_ARCHIVE_INVALID_OPTIONS",
    );
  });

  test("property: any valid file set round-trips through the reader", () => {
    const segment = fc.stringMatching(/^[a-zA-Z0-9_.é-]{1,30}$/).filter((s) => s !== "." && s !== "..");
    const path = fc.array(segment, { minLength: 1, maxLength: 5 }).map((parts) => parts.join("/"));
    const files = fc.uniqueArray(
      fc.record({ path, bytes: fc.uint8Array({ maxLength: 2000 }), executable: fc.boolean() }),
      { selector: (f) => f.path.toLowerCase(), maxLength: 12 },
    );
    fc.assert(
      fc.property(files, (input) => {
        // a path may not also be a directory of another one
        const paths = new Set(input.map((f) => f.path));
        fc.pre(input.every((f) => !input.some((g) => g.path.startsWith(`${f.path}/`))));
        fc.pre(!paths.has("Cargo.toml"));
        const all = [...input, file("Cargo.toml", "[package]")];
        const bytes = writeCrateArchive("demo", "0.1.0", all);
        const archive = readCrateArchive(bytes, { name: "demo", version: "0.1.0" });
        assert.equal(archive.files.length, all.length);
        for (const f of all) {
          const got = archive.files.find((e) => e.path === f.path);
          assert.ok(got, f.path);
          assert.deepEqual(Buffer.from(got.bytes), Buffer.from(f.bytes));
          const expectedMode = f.path === "Cargo.toml" || !f.executable ? 0o644 : 0o755;
          assert.equal(got.mode, expectedMode);
        }
      }),
      { numRuns: 150 },
    );
  });
});
