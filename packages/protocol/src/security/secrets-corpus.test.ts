import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { scanSecrets } from "./secrets.js";

// Real crates from Debian's librust-*-dev packages: the false-positive oracle. A scanner
// that warns on honest manifests teaches people to ignore it.
const REGISTRY = "/usr/share/cargo/registry";

function crateDirs(): string[] {
  if (!existsSync(REGISTRY)) {
    assert.fail(`${REGISTRY} is missing: run scripts/setup.sh to install the crate corpus`);
  }
  return readdirSync(REGISTRY, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(REGISTRY, entry.name))
    .sort();
}

function rustFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) rustFiles(path, out);
    else if (entry.isFile() && entry.name.endsWith(".rs")) out.push(path);
  }
  return out;
}

function describeFindings(findings: ReturnType<typeof scanSecrets>): string {
  return findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.rule} ${f.redacted}`).join("\n");
}

describe("scanSecrets on the real crate corpus", () => {
  it("gives no finding on any Cargo.toml", () => {
    const dirs = crateDirs();
    assert.ok(dirs.length >= 200, `expected 200+ crates in ${REGISTRY}, found ${dirs.length}`);
    const findings = dirs.flatMap((dir) => {
      const file = join(dir, "Cargo.toml");
      return scanSecrets(readFileSync(file, "utf8"), { file, kind: "manifest" });
    });
    assert.equal(findings.length, 0, describeFindings(findings));
  });

  it("gives no high-severity finding on any .rs file", () => {
    const files = crateDirs().flatMap((dir) => rustFiles(dir));
    assert.ok(files.length > 1000, `expected the corpus sources, found ${files.length} .rs files`);
    const high = files.flatMap((file) =>
      scanSecrets(readFileSync(file, "utf8"), { file, kind: "source" }).filter((f) => f.severity === "high"),
    );
    assert.equal(high.length, 0, describeFindings(high));
  });
});
