/**
 * Running real programs from tests: the built `wharf` CLI (as a user would, a child
 * process) and the real `cargo`, each with its own CARGO_HOME / WHARF_HOME so tests never
 * touch the user's ~/.cargo or ~/.wharf.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
/** the repository root (packages/test-support/dist -> ../../..) */
export const REPO_ROOT = resolve(here, "..", "..", "..");
export const WHARF_BIN = join(REPO_ROOT, "packages", "wharf", "dist", "cli", "main.js");

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

export interface Sandbox {
  root: string;
  /** isolated homes for both tools */
  cargoHome: string;
  wharfHome: string;
  home: string;
  env: Record<string, string>;
  cleanup(): void;
}

/** A temp dir with empty CARGO_HOME, WHARF_HOME and HOME inside it. */
export function makeTempHome(prefix = "wharf-test-"): Sandbox {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const cargoHome = join(root, ".cargo-home");
  const wharfHome = join(root, ".wharf-home");
  const home = join(root, "home");
  for (const d of [cargoHome, wharfHome, home]) mkdirSync(d, { recursive: true });
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home,
    CARGO_HOME: cargoHome,
    WHARF_HOME: wharfHome,
    CARGO_TERM_COLOR: "never",
    NO_COLOR: "1",
  };
  if (process.env.RUSTUP_HOME) env.RUSTUP_HOME = process.env.RUSTUP_HOME;
  else if (process.env.HOME) env.RUSTUP_HOME = join(process.env.HOME, ".rustup");
  if (process.env.RUSTUP_TOOLCHAIN) env.RUSTUP_TOOLCHAIN = process.env.RUSTUP_TOOLCHAIN;
  // crates may carry rust-toolchain files; never let rustup try to download a toolchain
  env.RUSTUP_AUTO_INSTALL = "0";
  return {
    root,
    cargoHome,
    wharfHome,
    home,
    env,
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

export interface RunOptions {
  cwd: string;
  env: Record<string, string>;
  input?: string;
  timeoutMs?: number;
}

function run(cmd: string, args: readonly string[], options: RunOptions): RunResult {
  const r = spawnSync(cmd, [...args], {
    cwd: options.cwd,
    env: options.env,
    input: options.input ?? "",
    encoding: "utf8",
    timeout: options.timeoutMs ?? 120_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function runWharf(args: readonly string[], options: RunOptions): RunResult {
  return run(process.execPath, ["--enable-source-maps", WHARF_BIN, ...args], options);
}

export function runCargo(args: readonly string[], options: RunOptions): RunResult {
  return run("cargo", args, options);
}
