/** Directory sources: checksum-file parsing, verification before use, and no symlink following. */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { CRATES_IO_INDEX } from "@wharf/protocol";
import { DirectorySource, parseChecksumFile } from "./directory-source.js";

const root = mkdtempSync(join(tmpdir(), "wharf-dirsrc-"));
after(() => rmSync(root, { recursive: true, force: true }));

const sha = (s: string) => createHash("sha256").update(s).digest("hex");

function vendorPackage(dir: string, name: string, version: string, lib = "pub fn f() {}\n"): void {
  const toml = `[package]\nname = "${name}"\nversion = "${version}"\nedition = "2021"\n`;
  mkdirSync(join(dir, "src"), { recursive: true });
  writeFileSync(join(dir, "Cargo.toml"), toml);
  writeFileSync(join(dir, "src", "lib.rs"), lib);
  writeFileSync(join(dir, "README.md"), "hi\n");
  const files = { "Cargo.toml": sha(toml), "README.md": sha("hi\n"), "src/lib.rs": sha(lib) };
  writeFileSync(join(dir, ".cargo-checksum.json"), JSON.stringify({ files, package: "ab".repeat(32) }));
}

function source(dir: string): DirectorySource {
  return new DirectorySource({
    name: "vendored-sources",
    root: dir,
    replaces: { kind: "registry", url: CRATES_IO_INDEX },
    registryIndex: () => {
      throw new Error("no registries");
    },
  });
}

describe("directory source", () => {
  test("parses cargo's checksum file and refuses malformed ones naming the file", () => {
    const c = parseChecksumFile('{"files":{"a":"b"},"package":null}', "/x/.cargo-checksum.json");
    assert.equal(c.package, undefined);
    assert.deepEqual([...c.files], [["a", "b"]]);
    assert.throws(
      () => parseChecksumFile('{"files":[]}', "/x/.cargo-checksum.json"),
      /\/x\/\.cargo-checksum\.json/,
    );
    assert.throws(() => parseChecksumFile("nope", "/y/.cargo-checksum.json"), /\/y\/\.cargo-checksum\.json/);
  });

  test("summaries keep the replaced source and carry the package checksum; dot dirs are skipped", () => {
    const dir = join(root, "ok");
    vendorPackage(join(dir, "foo"), "foo", "1.2.0");
    vendorPackage(join(dir, "foo-1.0.0"), "foo", "1.0.0");
    vendorPackage(join(dir, ".vendor-staging-x", "package"), "foo", "9.0.0");
    const got = source(dir).query("foo");
    assert.deepEqual(got.map((s) => `${s.id.version.major}.${s.id.version.minor}`).sort(), ["1.0", "1.2"]);
    assert.deepEqual(got[0]!.id.source, { kind: "registry", url: CRATES_IO_INDEX });
    assert.equal(got[0]!.checksum, "ab".repeat(32));
    assert.deepEqual(source(dir).query("bar"), []);
  });

  test("an edited, missing or symlinked listed file is refused, naming it", () => {
    const dir = join(root, "tampered");
    vendorPackage(join(dir, "foo"), "foo", "1.0.0");
    writeFileSync(join(dir, "foo", "src", "lib.rs"), "evil\n");
    assert.throws(
      () => source(dir).query("foo"),
      /listed checksum of `[^`]*tampered\/foo\/src\/lib\.rs` has changed/,
    );
    writeFileSync(join(dir, "foo", "src", "lib.rs"), "pub fn f() {}\n");
    rmSync(join(dir, "foo", "README.md"));
    assert.throws(() => source(dir).query("foo"), /tampered\/foo\/README\.md` of foo v1\.0\.0 is missing/);
    writeFileSync(join(dir, "foo", "README.md"), "hi\n");
    rmSync(join(dir, "foo", "src", "lib.rs"));
    writeFileSync(join(root, "outside.rs"), "pub fn f() {}\n");
    symlinkSync(join(root, "outside.rs"), join(dir, "foo", "src", "lib.rs"));
    assert.throws(() => source(dir).query("foo"), /behind a symbolic link/);
  });

  test("paths escaping the package and symlinked package dirs are refused", () => {
    const dir = join(root, "escape");
    vendorPackage(join(dir, "foo"), "foo", "1.0.0");
    writeFileSync(
      join(dir, "foo", ".cargo-checksum.json"),
      JSON.stringify({ files: { "../x": "00" }, package: null }),
    );
    assert.throws(() => source(dir).query("foo"), /not a plain relative path/);
    const linked = join(root, "linked");
    mkdirSync(linked);
    symlinkSync(join(root, "ok", "foo"), join(linked, "foo"));
    assert.throws(() => source(linked).query("foo"), /is a symbolic link/);
  });
});
