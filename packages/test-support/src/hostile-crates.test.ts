import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { isWharfError, readCrateArchive } from "@wharf/protocol";
import {
  gzipBytes,
  HOSTILE_CRATE_NAME,
  HOSTILE_CRATE_VERSION,
  HOSTILE_CRATES,
  rawTar,
  rawTarEntry,
} from "./hostile-crates.js";

describe("hostile .crate files", () => {
  test("the list covers every threat in the security model", () => {
    const codes = new Set(HOSTILE_CRATES.map((h) => h.expectedCode));
    for (const code of [
      "CRATE_ARCHIVE_PATH_TRAVERSAL",
      "CRATE_ARCHIVE_PATH_ABSOLUTE",
      "CRATE_ARCHIVE_SYMLINK",
      "CRATE_ARCHIVE_HARDLINK",
      "CRATE_ARCHIVE_DEVICE",
      "CRATE_ARCHIVE_FIFO",
      "CRATE_ARCHIVE_DUPLICATE_PATH",
      "CRATE_ARCHIVE_PATH_NOT_UTF8",
      "CRATE_ARCHIVE_PATH_PREFIX",
      "CRATE_ARCHIVE_MISSING_MANIFEST",
      "CRATE_ARCHIVE_TOO_MANY_ENTRIES",
      "CRATE_ARCHIVE_RATIO",
      "CRATE_ARCHIVE_TOO_LARGE",
      "CRATE_ARCHIVE_TRUNCATED",
      "CRATE_ARCHIVE_HEADER_CHECKSUM",
      "CRATE_ARCHIVE_SPECIAL_MODE",
      "CRATE_ARCHIVE_LINKPATH",
      "CRATE_ARCHIVE_TRAILING_GARBAGE",
    ]) {
      assert.ok(codes.has(code), code);
    }
    assert.equal(new Set(HOSTILE_CRATES.map((h) => h.name)).size, HOSTILE_CRATES.length, "names are unique");
  });

  for (const hostile of HOSTILE_CRATES) {
    test(`refuses: ${hostile.name}`, () => {
      assert.throws(
        () => readCrateArchive(hostile.bytes, { name: HOSTILE_CRATE_NAME, version: HOSTILE_CRATE_VERSION }),
        (error: unknown) => {
          assert.ok(isWharfError(error), String(error));
          assert.equal(error.code, hostile.expectedCode, error.message);
          assert.match(error.message, /evil-0\.1\.0\.crate/);
          return true;
        },
      );
    });
  }

  test("the helper's own well-formed archive is accepted (the refusals are not an artefact of it)", () => {
    const root = `${HOSTILE_CRATE_NAME}-${HOSTILE_CRATE_VERSION}`;
    const ok = gzipBytes(
      rawTar([
        rawTarEntry({ path: `${root}/Cargo.toml`, data: "[package]\n" }),
        rawTarEntry({ path: `${root}/src/`, type: "5", mode: 0o755 }),
        rawTarEntry({ path: `${root}/src/lib.rs`, data: "x" }),
      ]),
    );
    const archive = readCrateArchive(ok, { name: HOSTILE_CRATE_NAME, version: HOSTILE_CRATE_VERSION });
    assert.deepEqual(
      archive.files.map((f) => f.path),
      ["Cargo.toml", "src/lib.rs"],
    );
    assert.deepEqual(archive.directories, ["src"]);
  });

  test("case-only collisions can be allowed by the caller", () => {
    const hostile = HOSTILE_CRATES.find((h) => h.expectedCode === "CRATE_ARCHIVE_CASE_COLLISION")!;
    const archive = readCrateArchive(hostile.bytes, {
      name: HOSTILE_CRATE_NAME,
      version: HOSTILE_CRATE_VERSION,
      allowCaseCollisions: true,
    });
    assert.equal(archive.files.length, 3);
  });
});
