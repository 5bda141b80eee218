/**
 * The false-positive oracle for the build-script analysis: every build script and proc-macro
 * library in the Debian crate corpus (real, benign crates) is analysed, and none may produce a
 * high-severity finding. The targets found are checked against an independent count (build.rs
 * files, `build =` keys, `proc-macro = true`), and the per-rule table is compared with the one
 * committed in docs/build-script-analysis.md so the document cannot drift from the code.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import {
  BUILD_FINDING_SEVERITIES,
  type BuildScriptFinding,
  BuildScriptRule,
  type CrateAnalysis,
  type RustParser,
} from "@wharf/protocol";
import { analyzePackage, loadPackageDir } from "../../wharf/dist/ops/audit-build-scripts-package.js";
import { loadRustParser } from "../../wharf/dist/ops/audit-build-scripts-parser.js";
import { CORPUS_DIR } from "./corpus-registry.js";
import { REPO_ROOT } from "./run.js";

interface Analysed {
  crate: string;
  analysis: CrateAnalysis;
}

let parser: RustParser;
const analysed: Analysed[] = [];

/** Independent of the manifest normalizer: what the raw Cargo.toml text and files say. */
function expectedTargets(dir: string): string[] {
  const toml = readFileSync(join(dir, "Cargo.toml"), "utf8");
  const out: string[] = [];
  const build = /^build\s*=\s*(.+)$/m.exec(toml)?.[1]?.trim();
  if (build === "false") {
    // no build script
  } else if (build !== undefined || existsSync(join(dir, "build.rs"))) out.push("build-script");
  if (/^proc[-_]macro\s*=\s*true/m.test(toml)) out.push("proc-macro");
  return out;
}

/** The markdown table of findings per rule and severity over the corpus. */
export function findingsTable(findings: readonly BuildScriptFinding[]): string {
  const rules = Object.values(BuildScriptRule).sort();
  const count = (rule: string, sev: string) =>
    findings.filter((f) => f.rule === rule && f.severity === sev).length;
  const lines = ["| rule | high | medium | info |", "|---|---|---|---|"];
  for (const r of rules)
    lines.push(`| ${r} | ${BUILD_FINDING_SEVERITIES.map((s) => count(r, s)).join(" | ")} |`);
  const total = BUILD_FINDING_SEVERITIES.map((s) => findings.filter((f) => f.severity === s).length);
  lines.push(`| **total** | ${total.join(" | ")} |`);
  return lines.join("\n");
}

describe("build-script analysis over the Debian crate corpus", () => {
  before(async () => {
    assert.ok(existsSync(CORPUS_DIR), `${CORPUS_DIR} is missing: run scripts/setup.sh`);
    parser = await loadRustParser();
    for (const name of readdirSync(CORPUS_DIR).sort()) {
      const pkg = loadPackageDir(join(CORPUS_DIR, name));
      for (const analysis of analyzePackage(parser, pkg)) analysed.push({ crate: name, analysis });
    }
  });

  test("finds every build script and proc-macro library the manifests declare", () => {
    const expected = readdirSync(CORPUS_DIR)
      .sort()
      .flatMap((name) => expectedTargets(join(CORPUS_DIR, name)).map((t) => `${name} ${t}`));
    const got = analysed.map((a) => `${a.crate} ${a.analysis.target}`);
    assert.deepEqual(got, expected);
    assert.ok(expected.length >= 70, `the corpus has build-time code to analyse (${expected.length})`);
    const unread = analysed.filter((a) => a.analysis.files.length === 0).map((a) => a.crate);
    assert.deepEqual(unread, [], "every target's entry file was read");
  });

  test("no high-severity finding on any real build script or proc-macro", () => {
    const high = analysed.flatMap((a) =>
      a.analysis.findings
        .filter((f) => f.severity === "high")
        .map((f) => `${a.crate}/${f.file}:${f.line} ${f.rule}: ${f.message}`),
    );
    assert.deepEqual(high, []);
  });

  test("the findings table in docs/build-script-analysis.md is the one the corpus gives", (t) => {
    const table = findingsTable(analysed.flatMap((a) => a.analysis.findings));
    const targets = `${analysed.filter((a) => a.analysis.target === "build-script").length} build scripts, ${
      analysed.filter((a) => a.analysis.target === "proc-macro").length
    } proc-macro libraries, ${analysed.reduce((n, a) => n + a.analysis.files.length, 0)} files`;
    t.diagnostic(`${targets}\n${table}`);
    const doc = readFileSync(join(REPO_ROOT, "docs", "build-script-analysis.md"), "utf8");
    const section = /<!-- corpus-table:start -->\n([\s\S]*?)\n<!-- corpus-table:end -->/.exec(doc)?.[1];
    assert.equal(section, `${targets}\n\n${table}`, "update the table in docs/build-script-analysis.md");
  });
});
