/**
 * What the builder needs to know about the toolchain: `rustc -vV` (version, host triple),
 * the sysroot and the host's `--print cfg` set. Asked once through the Sandbox, then cached
 * in the target dir keyed by the rustc binary's path and mtime (and rustup's toolchain
 * choice), so a no-op build starts no process, as cargo's `.rustc_info.json` does.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { delimiter, isAbsolute, join } from "node:path";
import { WharfError } from "@wharf/protocol";
import { parseCfgLines, type TargetCfg } from "../ops/metadata-platform.js";
import type { Sandbox } from "../sandbox/index.js";

export interface RustcInfo {
  /** the rustc program every job runs (the toolchain's own, not the rustup proxy) */
  rustc: string;
  /** `rustc -vV` output: part of every fingerprint */
  verbose: string;
  release: string;
  host: string;
  sysroot: string;
  cfgText: string;
  hostCfg: TargetCfg;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Finds a program on PATH (a path with a slash is taken as it is). */
export function findProgram(name: string, env: Env, cwd: string): string | undefined {
  if (name.includes("/")) return isAbsolute(name) ? name : join(cwd, name);
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    const p = join(dir, name);
    try {
      if (statSync(p).isFile()) return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

function statKey(path: string): string {
  try {
    const s = statSync(path);
    return `${path}:${s.mtimeMs}:${s.size}`;
  } catch {
    return `${path}:missing`;
  }
}

/** Everything that changes when a different rustc would answer. Stats only, no process. */
function cacheKey(rustcPath: string, env: Env): string {
  const parts = [statKey(rustcPath), `toolchain=${env.RUSTUP_TOOLCHAIN ?? ""}`];
  const rustupHome = env.RUSTUP_HOME ?? (env.HOME ? join(env.HOME, ".rustup") : undefined);
  if (rustupHome !== undefined && existsSync(rustupHome)) {
    parts.push(statKey(join(rustupHome, "settings.toml")));
    const toolchains = join(rustupHome, "toolchains");
    try {
      for (const t of readdirSync(toolchains).sort())
        parts.push(statKey(join(toolchains, t, "bin", "rustc")));
    } catch {
      // no toolchains dir
    }
  }
  return parts.join("\n");
}

interface CacheFile {
  key: string;
  info: Omit<RustcInfo, "hostCfg">;
}

export async function rustcInfo(options: {
  env: Env;
  cwd: string;
  sandbox: Sandbox;
  /** where the cache file lives (the target dir) */
  cacheDir: string;
}): Promise<RustcInfo> {
  const { env, cwd, sandbox } = options;
  const configured = env.RUSTC;
  const found = findProgram(configured ?? "rustc", env, cwd);
  if (found === undefined) {
    throw new WharfError({
      code: "BUILD_NO_RUSTC",
      message: `could not find \`${configured ?? "rustc"}\` on PATH`,
      hint: "install a Rust toolchain (rustup) or set RUSTC to the rustc to use",
    });
  }
  const key = cacheKey(found, env);
  const cachePath = join(options.cacheDir, ".wharf-rustc-info.json");
  try {
    const cached = JSON.parse(readFileSync(cachePath, "utf8")) as CacheFile;
    if (cached.key === key && existsSync(cached.info.rustc))
      return { ...cached.info, hostCfg: parseCfgLines(cached.info.host, cached.info.cfgText) };
  } catch {
    // no cache or unreadable: ask rustc
  }
  const tmp = join(options.cacheDir, ".wharf-tmp");
  mkdirSync(tmp, { recursive: true });
  const ask = async (args: string[]): Promise<string> => {
    const passEnv: Record<string, string> = {};
    for (const k of ["PATH", "RUSTUP_HOME", "RUSTUP_TOOLCHAIN", "HOME", "RUSTUP_AUTO_INSTALL"]) {
      const v = env[k];
      if (v !== undefined) passEnv[k] = v;
    }
    passEnv.TMPDIR = tmp;
    const r = await sandbox.run({
      program: found,
      args,
      cwd,
      env: passEnv,
      reads: [found],
      writeDir: tmp,
      limits: { timeoutMs: 60_000 },
    });
    if (r.code !== 0) {
      throw new WharfError({
        code: "BUILD_RUSTC_INFO",
        message: `\`${found} ${args.join(" ")}\` failed`,
        notes: [r.stderr.trim()],
        hint: "check that the Rust toolchain works: run `rustc -vV`",
      });
    }
    return r.stdout;
  };
  const verbose = await ask(["-vV"]);
  const host = /^host: (.*)$/m.exec(verbose)?.[1]?.trim() ?? "x86_64-unknown-linux-gnu";
  const release = /^release: (.*)$/m.exec(verbose)?.[1]?.trim() ?? "";
  const sysroot = (await ask(["--print", "sysroot"])).trim();
  const cfgText = await ask(["--print", "cfg"]);
  const own = join(sysroot, "bin", "rustc");
  // the rustup proxy needs RUSTUP_HOME inside a sandbox; the toolchain's rustc does not
  const rustc = configured === undefined && existsSync(own) ? own : found;
  const info = { rustc, verbose, release, host, sysroot, cfgText };
  mkdirSync(options.cacheDir, { recursive: true });
  writeFileSync(cachePath, `${JSON.stringify({ key, info } satisfies CacheFile)}\n`);
  return { ...info, hostCfg: parseCfgLines(host, cfgText) };
}
