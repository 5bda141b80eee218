/**
 * `wharf audit`: check Cargo.lock against a RustSec advisory database (cargo-audit's job).
 */
import type { Command } from "@commander-js/extra-typings";
import { WharfError } from "@wharf/protocol";
import { contextOf } from "../program.js";

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function registerAudit(program: Command): void {
  program
    .command("audit")
    .description("Audit Cargo.lock for crates with security advisories (exit 0 clean, 1 findings, 2 error)")
    .option("--db <DIR>", "Advisory database directory (a RustSec advisory-db checkout)")
    .option("-f, --file <PATH>", "Cargo.lock to audit (default: the workspace's)")
    .option("--format <FORMAT>", "Output format: text or json", "text")
    .option(
      "-D, --deny <KIND>",
      "Fail on warnings too: warnings, unmaintained, unsound, notice, informational",
      collect,
      [],
    )
    .option("--ignore <ID>", "Advisory id to ignore", collect, [])
    .option("--target-os <OS>", "Only advisories affecting this OS (or any)")
    .option("--target-arch <ARCH>", "Only advisories affecting this architecture (or any)")
    .option("--build-scripts", "Analyse the build scripts and proc macros of the whole dependency graph")
    .option(
      "--severity <LEVEL>",
      "With --build-scripts: exit 1 when a finding reaches this level (high, medium, info)",
      "high",
    )
    .option("--manifest-path <PATH>", "Path to Cargo.toml")
    .action(async (opts, command) => {
      if (opts.format !== "text" && opts.format !== "json") {
        throw new WharfError({
          code: "AUDIT_FORMAT",
          message: `invalid value \`${opts.format}\` for --format`,
          hint: "expected `text` or `json`",
          exitCode: 2,
        });
      }
      if (opts.buildScripts) {
        const level = opts.severity;
        if (level !== "high" && level !== "medium" && level !== "info") {
          throw new WharfError({
            code: "AUDIT_SEVERITY",
            message: `invalid value \`${level}\` for --severity`,
            hint: "expected `high`, `medium` or `info`",
            exitCode: 2,
          });
        }
        const { runAuditBuildScripts, buildScriptFindingsAtOrAbove } = await import(
          "./audit-build-scripts.js"
        );
        const result = await runAuditBuildScripts(contextOf(command), {
          manifestPath: opts.manifestPath,
          format: opts.format === "json" ? "json" : "human",
        });
        const n = buildScriptFindingsAtOrAbove(result, level);
        if (n > 0) {
          throw new WharfError({
            code: "AUDIT_BUILD_SCRIPT_FINDINGS",
            message: `${n} build-script or proc-macro finding${n === 1 ? "" : "s"} at or above \`${level}\``,
            hint: "review them above; `--severity` sets the level that fails the audit",
            exitCode: 1,
          });
        }
        return;
      }
      await (await import("../../ops/audit.js")).audit(contextOf(command), {
        manifestPath: opts.manifestPath,
        file: opts.file,
        db: opts.db,
        format: opts.format,
        deny: opts.deny,
        ignore: opts.ignore,
        targetOs: opts.targetOs,
        targetArch: opts.targetArch,
      });
    });
}
