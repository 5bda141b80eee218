/**
 * nginx as a static HTTPS file server on 127.0.0.1: the baseline the registry's index
 * benchmark compares against, and a plain file host for tests. Each server gets its own
 * prefix dir (config, pid file, error log, temp paths) and runs `daemon off` as a child
 * process of this one, so stop() (or this process exiting) ends it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { isAbsolute, join } from "node:path";

export interface NginxStaticServerOptions {
  /** the directory to serve (absolute); a request for /a/b returns root/a/b */
  root: string;
  /** PEM certificate and key the server presents (e.g. from issueServerCert) */
  certPath: string;
  keyPath: string;
  /** prefix dir for config, pid file, logs and temp paths; default a fresh temp dir, removed on stop */
  workDir?: string;
  /** port on 127.0.0.1; default a free one picked just before start */
  port?: number;
  /** nginx worker processes; default 1 (one core, like a single Node process) */
  workerProcesses?: number;
  /** CPU list for `taskset -c` (e.g. "0"); default: not pinned */
  cpus?: string;
  /** enable HTTP/2 on the TLS listener; default false (HTTP/1.1 only) */
  http2?: boolean;
  /** content type of files without a known extension (sparse index files); default text/plain */
  defaultType?: string;
  /** write an access log to the prefix dir; default false */
  accessLog?: boolean;
  /** how long to wait for nginx to listen; default 10 s */
  startTimeoutMs?: number;
  /** the nginx binary; default "nginx" on PATH */
  nginxBin?: string;
}

export interface StaticServer {
  /** https://127.0.0.1:PORT (no trailing slash) */
  url: string;
  port: number;
  /** pid of the nginx master */
  pid: number;
  prefix: string;
  configPath: string;
  errorLogPath: string;
  stop(): Promise<void>;
}

export interface NginxConfigInput {
  root: string;
  certPath: string;
  keyPath: string;
  prefix: string;
  port: number;
  workerProcesses: number;
  http2: boolean;
  defaultType: string;
  accessLog: boolean;
  /** `user` directive, only meaningful when the master runs as root */
  user?: string;
}

const START_ATTEMPTS = 5;

/** a value safe to put inside a double-quoted nginx string */
function nginxString(value: string): string {
  if (!/^[A-Za-z0-9/._+:@%,=-]+$/.test(value)) {
    throw new Error(`refusing to put ${JSON.stringify(value)} into an nginx config: unexpected characters`);
  }
  return `"${value}"`;
}

/** The nginx.conf text: one HTTPS server on 127.0.0.1:port serving root, files only. */
export function nginxStaticConfig(c: NginxConfigInput): string {
  const p = (name: string) => nginxString(join(c.prefix, name));
  if (!Number.isInteger(c.port) || c.port < 1 || c.port > 65535) throw new Error(`invalid port ${c.port}`);
  if (!Number.isInteger(c.workerProcesses) || c.workerProcesses < 1 || c.workerProcesses > 64) {
    throw new Error(`invalid worker count ${c.workerProcesses}`);
  }
  if (!/^[a-z]+\/[a-z0-9.+-]+$/.test(c.defaultType)) throw new Error(`invalid content type ${c.defaultType}`);
  return `# written by @wharf/test-support startNginxStaticServer
daemon off;
master_process on;
${c.user ? `user ${nginxString(c.user)};\n` : ""}worker_processes ${c.workerProcesses};
pid ${p("nginx.pid")};
error_log ${p("error.log")} warn;

events {
  worker_connections 4096;
}

http {
  client_body_temp_path ${p("tmp/body")};
  proxy_temp_path ${p("tmp/proxy")};
  fastcgi_temp_path ${p("tmp/fastcgi")};
  uwsgi_temp_path ${p("tmp/uwsgi")};
  scgi_temp_path ${p("tmp/scgi")};
  ${c.accessLog ? `access_log ${p("access.log")};` : "access_log off;"}

  types {
    application/json json;
    application/octet-stream crate;
  }
  default_type ${c.defaultType};
  charset off;
  server_tokens off;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  # a benchmark client keeps its connections: do not force a new TLS handshake every
  # 1000 requests (nginx's default) when Node's server has no such limit
  keepalive_timeout 75s;
  keepalive_requests 1000000;
  open_file_cache max=20000 inactive=60s;
  open_file_cache_valid 60s;

  server {
    listen 127.0.0.1:${c.port} ssl${c.http2 ? " http2" : ""};
    server_name localhost;
    ssl_certificate ${nginxString(c.certPath)};
    ssl_certificate_key ${nginxString(c.keyPath)};
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_session_cache shared:WHARF_SSL:1m;
    root ${nginxString(c.root)};
    location / {
      # files only: no directory listings, no index.html
      try_files $uri =404;
    }
  }
}
`;
}

/** A port that was free on 127.0.0.1 a moment ago (nginx cannot report a port-0 bind). */
export function pickFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const addr = s.address();
      const port = typeof addr === "object" && addr !== null ? addr.port : 0;
      s.close(() => (port > 0 ? resolve(port) : reject(new Error("no port from the OS"))));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function readTail(path: string, max = 4000): string {
  try {
    const text = readFileSync(path, "utf8");
    return text.length > max ? text.slice(-max) : text;
  } catch {
    return "";
  }
}

interface Started {
  child: ChildProcess;
  exited: Promise<void>;
  /** set when the binary could not be run at all */
  spawnError?: Error;
}

function spawnNginx(
  bin: string,
  prefix: string,
  configPath: string,
  errorLogPath: string,
  cpus?: string,
): Started {
  const args = ["-p", `${prefix}/`, "-c", configPath, "-e", errorLogPath];
  const [cmd, argv] = cpus === undefined ? [bin, args] : ["taskset", ["-c", cpus, bin, ...args]];
  const child = spawn(cmd, argv, {
    env: { PATH: process.env.PATH ?? "/usr/sbin:/usr/bin:/bin" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const started: Started = { child, exited: Promise.resolve() };
  started.exited = new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.once("error", (e) => {
      started.spawnError = e;
      resolve();
    });
  });
  return started;
}

async function waitForPidFile(
  started: Started,
  pidPath: string,
  timeoutMs: number,
  stderr: () => string,
): Promise<"ready" | "exited"> {
  const deadline = Date.now() + timeoutMs;
  const rounds = Math.ceil(timeoutMs / 20);
  for (let i = 0; i < rounds && Date.now() < deadline; i++) {
    if (started.spawnError) {
      throw new Error(
        `could not run nginx (install the Debian package nginx): ${started.spawnError.message}`,
      );
    }
    if (started.child.exitCode !== null || started.child.signalCode !== null) return "exited";
    // nginx writes its pid file only after it has opened the listening sockets
    if (existsSync(pidPath)) {
      const pid = Number.parseInt(readFileSync(pidPath, "utf8").trim(), 10);
      if (pid === started.child.pid) return "ready";
    }
    await sleep(20);
  }
  started.child.kill("SIGKILL");
  await started.exited;
  throw new Error(`nginx did not start within ${timeoutMs} ms:\n${stderr()}`);
}

async function stopChild(started: Started): Promise<void> {
  const { child } = started;
  if (child.exitCode !== null || child.signalCode !== null) return;
  // SIGTERM is nginx's fast shutdown: the master stops its workers, then exits
  child.kill("SIGTERM");
  let timer: NodeJS.Timeout | undefined;
  const done = await Promise.race([
    started.exited.then(() => true),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), 5000);
    }),
  ]);
  clearTimeout(timer);
  if (done) return;
  const workers = readTail(`/proc/${child.pid}/task/${child.pid}/children`)
    .trim()
    .split(/\s+/)
    .filter((s) => /^\d+$/.test(s))
    .map(Number);
  child.kill("SIGKILL");
  for (const w of workers) {
    try {
      process.kill(w, "SIGKILL");
    } catch {
      // already gone
    }
  }
  await started.exited;
}

/** Starts nginx serving `root` over HTTPS on 127.0.0.1 and resolves once it is listening. */
export async function startNginxStaticServer(options: NginxStaticServerOptions): Promise<StaticServer> {
  for (const [what, path] of [
    ["root", options.root],
    ["certPath", options.certPath],
    ["keyPath", options.keyPath],
  ] as const) {
    if (!isAbsolute(path)) throw new Error(`${what} must be an absolute path: ${path}`);
    if (!existsSync(path)) throw new Error(`${what} does not exist: ${path}`);
  }
  if (options.cpus !== undefined && !/^[0-9][0-9,-]{0,30}$/.test(options.cpus)) {
    throw new Error(`invalid CPU list: ${options.cpus}`);
  }
  const ownPrefix = options.workDir === undefined;
  const prefix = options.workDir ?? mkdtempSync(join(tmpdir(), "wharf-nginx-"));
  mkdirSync(join(prefix, "tmp"), { recursive: true });
  const configPath = join(prefix, "nginx.conf");
  const errorLogPath = join(prefix, "error.log");
  const pidPath = join(prefix, "nginx.pid");
  const timeoutMs = options.startTimeoutMs ?? 10_000;
  // as root, nginx would drop its workers to `nobody`, who cannot read a 0700 temp dir
  const user = process.getuid?.() === 0 ? userInfo().username : undefined;

  const attempts = options.port === undefined ? START_ATTEMPTS : 1;
  let lastError = "";
  for (let attempt = 0; attempt < attempts; attempt++) {
    const port = options.port ?? (await pickFreePort());
    writeFileSync(
      configPath,
      nginxStaticConfig({
        root: options.root,
        certPath: options.certPath,
        keyPath: options.keyPath,
        prefix,
        port,
        workerProcesses: options.workerProcesses ?? 1,
        http2: options.http2 ?? false,
        defaultType: options.defaultType ?? "text/plain",
        accessLog: options.accessLog ?? false,
        user,
      }),
    );
    rmSync(pidPath, { force: true });
    const started = spawnNginx(options.nginxBin ?? "nginx", prefix, configPath, errorLogPath, options.cpus);
    let stderrText = "";
    started.child.stderr?.on("data", (d: Buffer) => {
      if (stderrText.length < 16_000) stderrText += d.toString("utf8");
    });
    let state: "ready" | "exited";
    try {
      state = await waitForPidFile(started, pidPath, timeoutMs, () => stderrText + readTail(errorLogPath));
    } catch (e) {
      if (ownPrefix) rmSync(prefix, { recursive: true, force: true });
      throw e;
    }
    if (state === "ready") {
      const onExit = () => started.child.kill("SIGTERM");
      process.once("exit", onExit);
      let stopped: Promise<void> | undefined;
      return {
        url: `https://127.0.0.1:${port}`,
        port,
        pid: started.child.pid!,
        prefix,
        configPath,
        errorLogPath,
        stop: () => {
          stopped ??= (async () => {
            process.removeListener("exit", onExit);
            await stopChild(started);
            if (ownPrefix) rmSync(prefix, { recursive: true, force: true });
          })();
          return stopped;
        },
      };
    }
    await started.exited;
    lastError = `${stderrText}${readTail(errorLogPath)}`;
    // another process took the port between picking and binding: pick again
    if (!/Address already in use/.test(lastError)) break;
  }
  if (ownPrefix) rmSync(prefix, { recursive: true, force: true });
  throw new Error(`nginx failed to start:\n${lastError}`);
}
