/**
 * Running the system `git` for git sources: an argument array (never a shell line), a
 * clean environment built from an allow-list (no inherited GIT_DIR, GIT_CONFIG_*, ...;
 * no prompts), the transports limited by GIT_ALLOW_PROTOCOL (which also binds redirects and
 * submodules), hooks and fsmonitor off, bounded output and a timeout that kills the whole
 * process group (git fetch runs helpers of its own).
 */
import { spawn } from "node:child_process";
import { WharfError } from "@wharf/protocol";
import { redactGitUrl } from "./git-url.js";

/** Variables the user's git or ssh setup legitimately needs; nothing else is inherited. */
const PASSED_THROUGH = [
  "PATH",
  "HOME",
  "USER",
  "LOGNAME",
  "TMPDIR",
  "XDG_CONFIG_HOME",
  "SSH_AUTH_SOCK",
  "GIT_SSH",
  "GIT_SSH_COMMAND",
  "GIT_SSL_CAINFO",
  "http_proxy",
  "https_proxy",
  "no_proxy",
  "all_proxy",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
  "ALL_PROXY",
];

export interface GitEnvironmentOptions {
  /** the environment wharf runs in; only the allow-listed variables are taken */
  env: Readonly<Record<string, string | undefined>>;
  /** PEM bundle for https remotes signed by a private CA (http.cainfo) */
  caFile?: string | undefined;
  allowFile: boolean;
}

export function gitEnvironment(options: GitEnvironmentOptions): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of PASSED_THROUGH) {
    const value = options.env[key];
    if (value !== undefined) out[key] = value;
  }
  out.PATH ??= "/usr/local/bin:/usr/bin:/bin";
  if (options.caFile !== undefined) out.GIT_SSL_CAINFO = options.caFile;
  out.GIT_TERMINAL_PROMPT = "0";
  out.GCM_INTERACTIVE = "never";
  out.GIT_ALLOW_PROTOCOL = options.allowFile ? "https:ssh:file" : "https:ssh";
  out.LC_ALL = "C";
  return out;
}

/** `-c` settings that keep a repository's own config and files from running anything. */
const SAFE_CONFIG = [
  "-c",
  "core.hooksPath=/dev/null",
  "-c",
  "core.fsmonitor=false",
  "-c",
  "submodule.recurse=false",
  "-c",
  "fetch.recurseSubmodules=false",
  "-c",
  "credential.interactive=false",
];

export interface RunGitOptions {
  env: Record<string, string>;
  /** extra variables for this run (GIT_INDEX_FILE) */
  extraEnv?: Record<string, string> | undefined;
  cwd?: string | undefined;
  timeoutMs: number;
  /** what is being done, for error messages: "fetch `https://...`" */
  what: string;
  /** the largest stdout kept; more is an error */
  maxStdout?: number | undefined;
}

export interface GitResult {
  status: number;
  stdout: string;
  stderr: string;
}

const MAX_STDERR = 64 * 1024;

/** Runs `git <safe config> ...args`; resolves with the exit status, rejects on spawn failure or timeout. */
export function runGit(args: readonly string[], options: RunGitOptions): Promise<GitResult> {
  const maxStdout = options.maxStdout ?? 4 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    const child = spawn("git", [...SAFE_CONFIG, ...args], {
      cwd: options.cwd,
      env: { ...options.env, ...options.extraEnv },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let failure: WharfError | undefined;
    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      failure = new WharfError({
        code: "GIT_TIMEOUT",
        message: `git timed out after ${Math.round(options.timeoutMs / 1000)} s: ${options.what}`,
        hint: "check the network and the remote; a large repository may need a longer WHARF_GIT_TIMEOUT (seconds)",
      });
      killGroup();
    }, options.timeoutMs);
    child.stdout.on("data", (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > maxStdout) {
        failure ??= new WharfError({
          code: "GIT_OUTPUT_TOO_LARGE",
          message: `git printed more than ${maxStdout} bytes: ${options.what}`,
        });
        killGroup();
        return;
      }
      out.push(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      if (errBytes < MAX_STDERR) err.push(chunk);
      errBytes += chunk.length;
    });
    child.on("error", (cause) => {
      clearTimeout(timer);
      reject(
        new WharfError({
          code: "GIT_NOT_FOUND",
          message: `could not run \`git\` to ${options.what}`,
          hint: "git sources need the `git` command on PATH",
          cause,
        }),
      );
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      if (failure) return reject(failure);
      resolve({
        status: code ?? -1,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8").slice(0, MAX_STDERR),
      });
    });
  });
}

/** Like runGit, but a non-zero exit is a GIT_FAILED error carrying git's own message. */
export async function runGitChecked(args: readonly string[], options: RunGitOptions): Promise<string> {
  const r = await runGit(args, options);
  if (r.status !== 0) {
    const lines = r.stderr
      .split("\n")
      .map((l) => redactGitUrl(l.trim()))
      .filter((l) => l !== "");
    throw new WharfError({
      code: "GIT_FAILED",
      message: `failed to ${options.what}`,
      notes: lines.length > 0 ? lines.slice(-12) : [`git exited with status ${r.status}`],
    });
  }
  return r.stdout;
}
