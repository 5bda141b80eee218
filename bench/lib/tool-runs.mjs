// Cold and warm runs of one client command (cargo or wharf) against a registry, the part
// the lockfile and corpus benchmarks share. Cold: a fresh CARGO_HOME and WHARF_HOME for
// every run (cargo's config.toml written into it), a fresh copy of the project. Warm: one
// home primed by a run that is not recorded, then the measured runs in it. Runs of the
// tools alternate, so a burst of load on this shared machine hits both.
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { cargoRegistryEnv, makeTempHome, writeTree } from "@wharf/test-support";
import { median, timedRun } from "./timed-run.mjs";

/**
 * tools: [{ name, cmd, pre: [] }]; registry: { caCertPath, indexUrl };
 * step: { args, files (project tree), before?(dir, tool) (e.g. copy a Cargo.lock in),
 *         after?(dir) (e.g. delete Cargo.lock between warm runs) }.
 * Returns one entry per tool and mode with every run and the medians.
 */
export async function coldAndWarm({ label, tools, registry, step, runs, modes = ["cold", "warm"], log }) {
  const homes = [];
  const envFor = (home) => ({
    ...cargoRegistryEnv({
      home,
      caCertPath: registry.caCertPath,
      registryName: "bench",
      indexUrl: registry.indexUrl,
      replaceCratesIo: true,
      // a benchmark must not stop at one slow response on a loaded machine
      httpTimeoutSecs: 120,
    }).env,
    WHARF_HOME: home.wharfHome,
  });
  const project = (home, tool) => {
    const dir = join(home.root, `project-${tool.name}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeTree(dir, step.files);
    step.before?.(dir, tool);
    return dir;
  };
  const once = async (tool, home, dir, mode, i) => {
    const loadBefore = Math.round(loadavg()[0] * 100) / 100;
    const r = await timedRun(tool.cmd, [...tool.pre, ...step.args], { cwd: dir, env: envFor(home) });
    if (r.status !== 0) {
      throw new Error(
        `${label}: ${tool.name} ${step.args.join(" ")} (${mode} run ${i}) exited ${r.status}:\n${r.stderr.slice(-3000)}`,
      );
    }
    log?.(
      `${label}: ${tool.name} ${mode} #${i + 1}: ${(r.wallMs / 1000).toFixed(2)} s (cpu ${fmtS(r.cpuMs)} s), ${fmtMb(r.maxRssKb)} MB, load ${loadBefore}`,
    );
    const lockPath = join(dir, "Cargo.lock");
    return {
      run: { wallMs: r.wallMs, cpuMs: r.cpuMs, maxRssKb: r.maxRssKb, loadAvg1mBefore: loadBefore },
      lock: existsSync(lockPath) ? readFileSync(lockPath, "utf8") : null,
      stderr: r.stderr,
    };
  };

  const out = [];
  const locks = {};
  try {
    if (modes.includes("cold")) {
      const per = Object.fromEntries(tools.map((t) => [t.name, []]));
      for (let i = 0; i < runs; i++) {
        for (const tool of tools) {
          const home = makeTempHome("wharf-bench-cold-");
          homes.push(home);
          const got = await once(tool, home, project(home, tool), "cold", i);
          per[tool.name].push(got.run);
          locks[tool.name] ??= got.lock;
          home.cleanup();
        }
      }
      for (const tool of tools) out.push(summarize(tool.name, "cold", per[tool.name]));
    }
    if (modes.includes("warm")) {
      const per = Object.fromEntries(tools.map((t) => [t.name, []]));
      const warm = new Map();
      for (const tool of tools) {
        const home = makeTempHome("wharf-bench-warm-");
        homes.push(home);
        const dir = project(home, tool);
        const primed = await once(tool, home, dir, "warm-up", 0);
        locks[tool.name] ??= primed.lock;
        warm.set(tool.name, { home, dir });
      }
      for (let i = 0; i < runs; i++) {
        for (const tool of tools) {
          const { home, dir } = warm.get(tool.name);
          step.after?.(dir);
          per[tool.name].push((await once(tool, home, dir, "warm", i)).run);
        }
      }
      for (const tool of tools) out.push(summarize(tool.name, "warm", per[tool.name]));
    }
  } finally {
    for (const h of homes) h.cleanup();
  }
  return { entries: out, locks };
}

function summarize(tool, mode, runs) {
  return {
    tool,
    mode,
    runs,
    medianWallMs: median(runs.map((r) => r.wallMs)),
    medianCpuMs: median(runs.map((r) => r.cpuMs)),
    medianMaxRssKb: median(runs.map((r) => r.maxRssKb)),
  };
}

export const fmtS = (ms) => (ms === null || ms === undefined ? "-" : (ms / 1000).toFixed(2));
export const fmtMb = (kb) => (kb === null || kb === undefined ? "-" : (kb / 1024).toFixed(0));

/** wharf/cargo per (what, mode) from entries tagged with `what` */
export function toolRatios(entries, numerator = "wharf", denominator = "cargo") {
  const out = [];
  for (const a of entries.filter((e) => e.tool === numerator)) {
    const b = entries.find((e) => e.tool === denominator && e.what === a.what && e.mode === a.mode);
    if (!b) continue;
    const q = (x, y) => (x !== null && y !== null && y > 0 ? Math.round((x / y) * 100) / 100 : null);
    out.push({
      what: a.what,
      mode: a.mode,
      of: `${numerator}/${denominator}`,
      wall: q(a.medianWallMs, b.medianWallMs),
      cpu: q(a.medianCpuMs, b.medianCpuMs),
      maxRss: q(a.medianMaxRssKb, b.medianMaxRssKb),
    });
  }
  return out;
}

/**
 * One row per (what, mode, tool): median wall time, CPU time (user + system) and peak RSS,
 * and for every tool but the first its ratio to the first (wharf/cargo).
 */
export function renderToolTable(entries, tools = ["cargo", "wharf"]) {
  const keys = [];
  for (const e of entries) {
    if (!keys.some((k) => k.what === e.what && k.mode === e.mode)) keys.push({ what: e.what, mode: e.mode });
  }
  const [base, ...others] = tools;
  const ratios = others.flatMap((t) => toolRatios(entries, t, base));
  const widths = [30, 5, 10, 8, 8, 8, 8, 8, 8];
  const row = (cells) =>
    cells.map((c, i) => (i < 3 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join("  ");
  const lines = [
    row(["what", "mode", "tool", "wall s", "cpu s", "RSS MB", "wall x", "cpu x", "RSS x"]),
    widths.map((w) => "-".repeat(w)).join("  "),
  ];
  for (const k of keys) {
    for (const t of tools) {
      const e = entries.find((x) => x.tool === t && x.what === k.what && x.mode === k.mode);
      if (!e) continue;
      const r = ratios.find((x) => x.what === k.what && x.mode === k.mode && x.of === `${t}/${base}`);
      lines.push(
        row([
          k.what,
          k.mode,
          t,
          fmtS(e.medianWallMs),
          fmtS(e.medianCpuMs),
          fmtMb(e.medianMaxRssKb),
          r?.wall ?? "",
          r?.cpu ?? "",
          r?.maxRss ?? "",
        ]),
      );
    }
  }
  return lines.join("\n");
}
