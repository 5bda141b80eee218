/**
 * `wharf doc`: check-build the selected members (metadata is all rustdoc needs), then run
 * rustdoc for every library in dependency order (`--no-deps`: the members only) into
 * cargo's layout, target/doc/<crate>/index.html, through the Sandbox as rustc is run.
 * `--open` prints the path instead of starting a browser. Docs are regenerated each run
 * (no fingerprints yet).
 */
import { mkdirSync } from "node:fs";
import { join, relative } from "node:path";
import { WharfError } from "@wharf/protocol";
import type { CliContext } from "../cli/context.js";
import {
  externFile,
  findProgram,
  isLinkableLib,
  isProcMacroUnit,
  packageLabel,
  parseRustcLine,
  rustcEnv,
  type Unit,
} from "../compiler/index.js";
import { DirectSandbox } from "../sandbox/index.js";
import { ownScriptRun, readScriptOutput } from "../test-runner/index.js";
import { type BuildOptions, build } from "./build.js";
import { passthroughEnv } from "./build-settings.js";

export interface DocOptions {
  build: BuildOptions;
  noDeps: boolean;
  open: boolean;
}

export async function doc(ctx: CliContext, options: DocOptions): Promise<void> {
  const built = await build(ctx, {
    ...options.build,
    mode: "check",
    units: (pkg) => {
      const lib = pkg.targets.find((t) => t.kind === "lib" && t.doc);
      return lib === undefined ? [] : [{ target: lib, mode: "check" }];
    },
  });
  const { layout, graph, rustc } = built;
  const docDir = join(built.targetDir, "doc");
  mkdirSync(docDir, { recursive: true });
  const rustdoc = join(rustc.sysroot, "bin", "rustdoc");
  const sandbox = options.build.sandbox ?? new DirectSandbox();
  const cargoPath = findProgram("cargo", ctx.env, ctx.cwd);
  const seen = new Set<string>();
  const toDocument = graph.units.filter((u) => {
    if (!isLinkableLib(u) || !u.target.doc || (options.noDeps && !u.isMember)) return false;
    // one page set per package: the host copy of a proc macro, the target copy of the rest
    const key = `${u.pkg.name}@${u.pkg.version}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  for (const unit of toDocument) await documentOne(unit);

  // the selected members' pages, in cargo's unit order (package name first)
  const selected = new Set(built.members.map((m) => m.manifestPath));
  const roots = toDocument
    .filter((u) => selected.has(u.pkg.manifestPath))
    .sort((a, b) => (a.pkg.name < b.pkg.name ? -1 : a.pkg.name > b.pkg.name ? 1 : 0));
  const first = roots[0];
  if (first === undefined) return;
  const index = join(docDir, first.target.name.replace(/-/g, "_"), "index.html");
  const others = roots.length - 1;
  // cargo says one or the other
  if (options.open) ctx.shell.status("Opening", index);
  else
    ctx.shell.status(
      "Generated",
      `${index}${others > 0 ? ` and ${others} other file${others === 1 ? "" : "s"}` : ""}`,
    );

  async function documentOne(unit: Unit): Promise<void> {
    ctx.shell.status("Documenting", packageLabel(unit));
    const t = unit.target;
    const member = unit.isMember;
    const src = member ? relative(built.wsRoot, t.srcPath) : t.srcPath;
    const args = [`--edition=${t.edition}`];
    const types = isProcMacroUnit(unit) ? ["proc-macro"] : t.crateTypes.length === 0 ? ["lib"] : t.crateTypes;
    for (const c of types) args.push("--crate-type", c);
    args.push("--crate-name", t.name.replace(/-/g, "_"), src);
    if (!member) args.push("--cap-lints", "allow");
    args.push("-o", docDir);
    for (const f of unit.features) args.push("--cfg", `feature="${f}"`);
    args.push("--check-cfg", "cfg(docsrs,test)");
    const declared = [...unit.pkg.features.keys()].sort();
    args.push("--check-cfg", `cfg(feature, values(${declared.map((f) => `"${f}"`).join(", ")}))`);
    args.push("--error-format=json", "--json=artifacts,future-incompat");
    args.push("-C", `metadata=${unit.hash}`, "-L", `dependency=${layout.deps}`);
    for (const d of unit.deps) {
      if (!isLinkableLib(d.unit)) continue;
      const file = externFile(d.unit, false);
      if (file !== undefined) args.push("--extern", `${d.externName}=${join(layout.outDir(d.unit), file)}`);
    }
    args.push("--crate-version", unit.pkg.version);
    const run = ownScriptRun(unit);
    const own = run === undefined ? undefined : readScriptOutput(layout, run);
    for (const c of own?.cfgs ?? []) args.push("--cfg", c);
    const tmp = join(layout.work, `doc-${unit.pkg.name}-${unit.hash}`);
    mkdirSync(tmp, { recursive: true });
    const env = {
      ...passthroughEnv(ctx.env),
      TMPDIR: tmp,
      ...rustcEnv({
        unit,
        cargoPath,
        outDir: run === undefined ? undefined : join(layout.runDir(run), "out"),
        scriptEnv: own?.env ?? [],
      }),
    };
    ctx.shell.verbose("Running", `\`${rustdoc} ${args.join(" ")}\``);
    let errors = 0;
    const r = await sandbox.run({
      program: rustdoc,
      args,
      cwd: member ? built.wsRoot : unit.pkg.root,
      env,
      reads: [unit.pkg.root, layout.dest, rustc.sysroot],
      writeDir: docDir,
      limits: { timeoutMs: 60 * 60 * 1000 },
      onStderrLine: (line) => {
        const m = parseRustcLine(line);
        if (m.kind === "diagnostic") {
          if (m.level === "error") errors++;
          if (member && m.rendered !== undefined && !m.summary) ctx.shell.stderr.write(m.rendered);
        } else if (m.kind === "text" && line.trim() !== "") ctx.shell.stderr.write(`${line}\n`);
      },
    });
    if (r.code !== 0) {
      throw new WharfError({
        code: "DOC_FAILED",
        message: `could not document \`${unit.pkg.name}\``,
        notes: errors === 0 ? [r.stderr.trim().slice(-2000)] : [],
      });
    }
  }
}
