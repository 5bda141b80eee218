/**
 * Which sandbox a build uses, from the policy (defaults, $WHARF_HOME/config.toml, the
 * project's wharf.toml under the trust rule, `--no-sandbox`): bubblewrap by default, checked
 * once per process; the direct spawner only on an explicit, trusted opt-out, with a warning
 * on every run. Also the per-crate exceptions (extra reads, env vars, network) each job of
 * that crate gets, and the lines saying which were used.
 */
import { execFile } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { CliContext } from "../cli/context.js";
import { wharfHome } from "../cli/homes.js";
import { findProgram } from "../compiler/index.js";
import {
  describeException,
  describeOrigin,
  loadWharfConfig,
  type SandboxException,
} from "../config/index.js";
import {
  BwrapSandbox,
  checkBwrap,
  DirectSandbox,
  probeHost,
  type Sandbox,
  type SandboxGrants,
  type SandboxLimits,
  unavailable,
} from "../sandbox/index.js";

export interface CrateGrants {
  grants: SandboxGrants;
  /** host variables passed in for this crate */
  env: Record<string, string>;
}

export interface BuildSandbox {
  sandbox: Sandbox;
  limits: SandboxLimits & { timeoutMs: number };
  grantsFor(crate: string): CrateGrants | undefined;
  /** prints the exceptions that apply to crates in this build */
  announce(crates: ReadonlySet<string>): void;
}

const DEFAULT_TIMEOUT_MS = 60 * 60 * 1000;

let disableUserns: Promise<boolean> | undefined;

function supportsDisableUserns(bwrap: string): Promise<boolean> {
  disableUserns ??= new Promise((resolve) => {
    execFile(bwrap, ["--help"], { env: { PATH: "/usr/bin:/bin" }, timeout: 10_000 }, (_err, stdout, stderr) =>
      resolve(`${stdout}${stderr}`.includes("--disable-userns")),
    );
  });
  return disableUserns;
}

export async function selectBuildSandbox(
  ctx: CliContext,
  options: { wsRoot: string; sysroot: string; targetDir: string; noSandbox: boolean },
): Promise<BuildSandbox> {
  const loaded = loadWharfConfig({
    workspaceRoot: options.wsRoot,
    wharfHome: wharfHome(ctx.env, ctx.cwd),
    cliOverrides: options.noSandbox ? { sandbox: { enabled: false } } : undefined,
  });
  for (const w of loaded.warnings)
    if (w.code !== "WHARF_TOML_UNUSED_KEY" || w.message.includes("sandbox")) ctx.shell.warn(w);
  const policy = loaded.policy.sandbox;
  const l = policy.limits;
  const limits = {
    timeoutMs: l.timeout === undefined ? DEFAULT_TIMEOUT_MS : l.timeout.value * 1000,
    cpuSeconds: l.cpu?.value,
    memoryBytes: l.memory?.value,
    maxProcesses: l.processes?.value,
    diskBytes: l.disk?.value,
  };
  const byCrate = new Map<string, SandboxException[]>();
  for (const e of policy.exceptions) byCrate.set(e.crate, [...(byCrate.get(e.crate) ?? []), e]);
  const grantsFor = (crate: string): CrateGrants | undefined => {
    const list = byCrate.get(crate);
    if (list === undefined) return undefined;
    const env: Record<string, string> = {};
    for (const name of list.flatMap((e) => e.env)) {
      const v = ctx.env[name];
      if (v !== undefined) env[name] = v;
    }
    return {
      grants: { read: list.flatMap((e) => e.read), network: list.some((e) => e.network) },
      env,
    };
  };
  const announce = (crates: ReadonlySet<string>) => {
    for (const e of policy.exceptions) if (crates.has(e.crate)) ctx.shell.note(describeException(e));
  };
  if (!policy.enabled.value) {
    ctx.shell.warn(
      `the build sandbox is off (${describeOrigin(policy.enabled.origin)}): build scripts and proc macros run unconfined, with all of your user's rights`,
    );
    return { sandbox: new DirectSandbox(), limits, grantsFor, announce: () => {} };
  }
  const bwrap = findProgram("bwrap", { PATH: `${ctx.env.PATH ?? ""}:/usr/bin:/bin` }, ctx.cwd);
  if (bwrap === undefined) throw unavailable("`bwrap` was not found on PATH");
  const prlimit = findProgram("prlimit", { PATH: `${ctx.env.PATH ?? ""}:/usr/bin:/bin` }, ctx.cwd);
  const sandbox = new BwrapSandbox(
    {
      bwrap,
      prlimit,
      toolchain: [options.sysroot],
      policyFile: join(options.wsRoot, "wharf.toml"),
      defaults: {
        memoryBytes: limits.memoryBytes,
        maxProcesses: limits.maxProcesses,
        cpuSeconds: limits.cpuSeconds,
        diskBytes: limits.diskBytes,
      },
    },
    probeHost(await supportsDisableUserns(bwrap)),
  );
  const scratch = join(options.targetDir, ".wharf-tmp");
  mkdirSync(scratch, { recursive: true });
  await checkBwrap(sandbox, scratch);
  return { sandbox, limits, grantsFor, announce };
}
