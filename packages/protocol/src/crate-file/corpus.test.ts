/**
 * Every crate Debian ships under /usr/share/cargo/registry, packed with writeCrateArchive and
 * read back with readCrateArchive under the default limits: proves the reader accepts real
 * crates and the writer loses nothing.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { readCrateArchive } from "./read-crate-archive.js";
import { type CrateFileInput, writeCrateArchive } from "./write-crate-archive.js";

const REGISTRY = "/usr/share/cargo/registry";

function listFiles(dir: string, rel = ""): CrateFileInput[] {
  const out: CrateFileInput[] = [];
  for (const name of readdirSync(join(dir, rel)).sort()) {
    const relPath = rel ? `${rel}/${name}` : name;
    if (relPath === ".cargo-checksum.json") continue;
    const full = join(dir, relPath);
    const st = statSync(full);
    if (st.isDirectory()) out.push(...listFiles(dir, relPath));
    else if (st.isFile())
      out.push({ path: relPath, bytes: readFileSync(full), executable: (st.mode & 0o100) !== 0 });
  }
  return out;
}

test("every Debian crate round-trips through writer and reader", {
  skip: !existsSync(REGISTRY) && "no corpus",
}, () => {
  let count = 0;
  let fileCount = 0;
  for (const dirName of readdirSync(REGISTRY).sort()) {
    const dir = join(REGISTRY, dirName);
    const toml = readFileSync(join(dir, "Cargo.toml"), "utf8");
    // name and version from the manifest, not the folder name (see FACTS.md)
    const name = /^name\s*=\s*"([^"]+)"/m.exec(toml)?.[1];
    const version = /^version\s*=\s*"([^"]+)"/m.exec(toml)?.[1];
    assert.ok(name && version, dirName);
    const files = listFiles(dir);
    const bytes = writeCrateArchive(name, version, files);
    const archive = readCrateArchive(bytes, { name, version });
    assert.equal(archive.files.length, files.length, dirName);
    const byPath = new Map(archive.files.map((f) => [f.path, f]));
    for (const f of files) {
      const got = byPath.get(f.path);
      assert.ok(got, `${dirName}: ${f.path}`);
      assert.ok(Buffer.from(got.bytes).equals(Buffer.from(f.bytes)), `${dirName}: ${f.path}`);
      assert.equal(
        got.mode,
        f.path === "Cargo.toml" || !f.executable ? 0o644 : 0o755,
        `${dirName}: ${f.path}`,
      );
    }
    count++;
    fileCount += files.length;
  }
  console.log(`corpus: ${count} crates, ${fileCount} files round-tripped`);
  assert.ok(count > 0);
});
