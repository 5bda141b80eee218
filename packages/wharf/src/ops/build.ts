/**
 * `wharf build` / `wharf check` (cargo's `compile`): resolve the workspace (writing
 * Cargo.lock as cargo would), download and verify every package the build reaches, load
 * their manifests, build the unit graph with the requested features and profile, and run it
 * through the builder. Returns what `wharf run` needs (the executables built).
 */
import { availableParallelism } from "node:os";
import { type Package, WharfError } from "@wharf/protocol";
import type { CliContext } from "../cli/context.js";
import {
  BuildReporter,
  BuildRunner,
  buildUnitGraph,
  findProgram,
  Layout,
  type RootUnit,
  type RustcInfo,
  resolveProfiles,
  rustcInfo,
  type UnitGraph,
} from "../compiler/index.js";
import { flagsFor, resolveJobs } from "../config/index.js";
import { packageIdKey, type ResolvedPackage, summaryFromPackage } from "../resolver/index.js";
import { DirectSandbox, type Sandbox } from "../sandbox/index.js";
import { selectBuildSandbox } from "./build-sandbox.js";
import { selectedMembers, selectedTargets, type TargetSelection } from "./build-select.js";
import { passthroughEnv, profileFromConfig } from "./build-settings.js";
import { targetDirOf } from "./load.js";
import { printLockfileChanges } from "./lock-status.js";
import { type CliFeatures, resolverVersionOf } from "./metadata-features.js";
import { platformMatches } from "./metadata-platform.js";
import { loadAll, packageLoader } from "./metadata-resolve.js";
import { resolveWorkspace, writeLockfile } from "./resolve-workspace.js";

export interface BuildOptions {
  manifestPath?: string | undefined;
  mode: "build" | "check";
  selection: TargetSelection;
  features: CliFeatures;
  /** `--release` / `--profile NAME` (default dev) */
  profile: string;
  jobs?: number | undefined;
  keepGoing: boolean;
  targetDir?: string | undefined;
  messageFormat: "human" | "json";
  /** a sandbox to use instead of the policy's choice (tests) */
  sandbox?: Sandbox | undefined;
  /** instead of the selection's targets: each member's units with their modes (`wharf test`) */
  units?: ((pkg: Package, enabled: ReadonlySet<string>) => readonly RootUnit[]) | undefined;
  /** dev-dependencies take part whatever the selection says (test harnesses) */
  hasDev?: boolean | undefined;
  /** `--no-sandbox`: the trusted opt-out */
  noSandbox?: boolean | undefined;
}

export interface BuildResult {
  executables: Map<string, string>;
  exampleExecutables: Map<string, string>;
  /** the selected members' default-run, when exactly one member was built */
  defaultRun?: string | undefined;
  ran: number;
  fresh: number;
  /** what the test runner needs to run what was built */
  graph: UnitGraph;
  layout: Layout;
  rustc: RustcInfo;
  targetDir: string;
  wsRoot: string;
  /** the selected members */
  members: Package[];
}

function elapsed(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(2)}s`;
  return `${Math.floor(s / 60)}m ${Math.round(s % 60)}s`;
}

export async function build(ctx: CliContext, options: BuildOptions): Promise<BuildResult> {
  const started = Date.now();
  const rw = await resolveWorkspace(ctx, options.manifestPath);
  try {
    writeLockfile(ctx, rw);
    printLockfileChanges(ctx, rw, { mode: "sync" });
    const ws = rw.ws;
    const targetDir = options.targetDir ?? targetDirOf(ws, rw.config);
    // asking the user's own toolchain what it is runs no crate code: no confinement needed
    const rustc = await rustcInfo({
      env: ctx.env,
      cwd: ctx.cwd,
      sandbox: new DirectSandbox(),
      cacheDir: targetDir,
    });
    const chosen = await selectBuildSandbox(ctx, {
      wsRoot: ws.rootDir,
      sysroot: rustc.sysroot,
      targetDir,
      noSandbox: options.noSandbox === true,
    });
    const sandbox = options.sandbox ?? chosen.sandbox;

    // everything reachable from the members, on this host, is downloaded and loaded
    const byKey = new Map(rw.resolve.packages.map((p) => [packageIdKey(p.id), p]));
    const memberKeys = new Set(ws.members.map((m) => packageIdKey(summaryFromPackage(m).id)));
    const reachable: ResolvedPackage[] = [];
    const seen = new Set<string>();
    const stack = [...memberKeys];
    while (stack.length > 0) {
      const key = stack.pop()!;
      const p = byKey.get(key);
      if (p === undefined || seen.has(key)) continue;
      seen.add(key);
      reachable.push(p);
      for (const d of p.dependencies) {
        const active = d.deps.some(
          (s) => (s.kind !== "dev" || memberKeys.has(key)) && platformMatches(s.platform, rustc.hostCfg),
        );
        if (active) stack.push(packageIdKey(d.id));
      }
    }
    const loader = packageLoader(ctx, rw);
    const packages = await loadAll(loader, reachable);
    if (loader.downloaded > 0)
      ctx.shell.status("Downloaded", `${loader.downloaded} crate${loader.downloaded === 1 ? "" : "s"}`);

    const rootPkg = ws.members.find((m) => m.manifestPath === ws.rootManifest);
    const profiles = resolveProfiles(
      {
        manifest: rootPkg?.profiles,
        config: new Map([...rw.config.config.profile].map(([name, p]) => [name, profileFromConfig(p.table)])),
      },
      options.profile,
    );
    const members = selectedMembers(ws, options.selection);
    const hasDev =
      options.hasDev === true ||
      options.selection.examples.length > 0 ||
      options.selection.allExamples ||
      options.selection.allTargets;
    const graph = buildUnitGraph({
      resolve: rw.resolve,
      packages,
      memberKeys,
      roots: members.map((pkg) => ({
        pkg,
        targets: (enabled) => selectedTargets(pkg, options.selection, enabled),
        units: options.units === undefined ? undefined : (enabled) => options.units!(pkg, enabled),
      })),
      memberFeatures: new Map(members.map((m) => [m.manifestPath, options.features])),
      mode: options.mode,
      profiles,
      hostCfg: rustc.hostCfg,
      v2: resolverVersionOf(ws) !== "1",
      rustcVersion: rustc.verbose,
      hasDev,
    });
    chosen.announce(new Set(graph.units.map((u) => u.pkg.name)));
    if (graph.roots.length === 0 && graph.doctests.length === 0 && options.units === undefined) {
      throw new WharfError({
        code: "BUILD_NOTHING",
        message: "no targets to build",
        hint: "the selected packages have no lib or bin targets (or their required-features are off)",
      });
    }
    const { flags } = flagsFor({
      reader: rw.config.reader,
      env: ctx.env,
      triple: rustc.host,
      cfgMatches: () => false,
    });
    const jobs = options.jobs ?? resolveJobs(rw.config.config.build.jobs?.value, availableParallelism());
    const reporter = new BuildReporter(
      {
        status: (w, m) => ctx.shell.status(w, m),
        verbose: (w, m) => ctx.shell.verbose(w, m),
        stderr: (t) => {
          if (ctx.shell.verbosity !== "quiet" || t.startsWith("error")) ctx.shell.stderr.write(t);
        },
        warn: (m) => ctx.shell.warn(m),
        stdout: (t) => ctx.shell.out(t),
      },
      options.messageFormat === "json",
    );
    const abort = new AbortController();
    const onSignal = () => abort.abort();
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    const color =
      Boolean(ctx.shell.stderr.isTTY) &&
      ctx.env.NO_COLOR === undefined &&
      ctx.env.CARGO_TERM_COLOR !== "never";
    const layout = new Layout(targetDir, profiles.dirName);
    const runner = new BuildRunner({
      graph,
      layout,
      wsRoot: ws.rootDir,
      rustc,
      sandbox,
      jobs,
      keepGoing: options.keepGoing,
      rustflags: flags,
      color: color || ctx.env.CARGO_TERM_COLOR === "always",
      passEnv: passthroughEnv(ctx.env),
      cargoPath: findProgram("cargo", ctx.env, ctx.cwd),
      reporter,
      now: () => Date.now(),
      signal: abort.signal,
      timeoutMs: chosen.limits.timeoutMs,
      limits: chosen.limits,
      grantsFor: chosen.grantsFor,
    });
    let result: Awaited<ReturnType<BuildRunner["run"]>>;
    try {
      result = await runner.run();
    } catch (error) {
      reporter.finished(false);
      throw error;
    } finally {
      process.removeListener("SIGINT", onSignal);
      process.removeListener("SIGTERM", onSignal);
    }
    reporter.finished(true);
    const base = profiles.base;
    const words = [base.optLevel === "0" ? "unoptimized" : "optimized"];
    if (base.debuginfo !== "0") words.push("debuginfo");
    ctx.shell.status(
      "Finished",
      `\`${profiles.name}\` profile [${words.join(" + ")}] target(s) in ${elapsed(Date.now() - started)}`,
    );
    return {
      executables: result.executables,
      exampleExecutables: result.exampleExecutables,
      defaultRun: members.length === 1 ? members[0]!.defaultRun : undefined,
      ran: result.ran,
      fresh: result.fresh,
      graph,
      layout,
      rustc,
      targetDir,
      wsRoot: ws.rootDir,
      members,
    };
  } finally {
    await rw.registry.close();
  }
}
