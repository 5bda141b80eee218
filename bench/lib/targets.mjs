// The servers the index benchmark measures. Each target:
//   name, description,
//   available(): Promise<{ ok: true } | { ok: false, reason }>,
//   start({ indexDir, paths, dataDir, server: { certPath, keyPath }, caCert, cpu }):
//     Promise<{ url, prefix, pid, version, stop(), setup?, publishToken? }>
// `url` is the origin (https://127.0.0.1:PORT), `prefix` the URL path the index is under.
// Every target must serve the files in indexDir byte for byte (run.mjs checks a sample),
// over HTTPS with the same certificate, bound to 127.0.0.1, pinned to `cpu`.
import { spawn, spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startNginxStaticServer } from "@wharf/test-support";
import { loadIndexIntoRegistry } from "./wharf-load.mjs";

const here = dirname(fileURLToPath(import.meta.url));

export const nginxTarget = {
  name: "nginx",
  description: "nginx static files (1 worker, sendfile, open_file_cache, keepalive_requests 1e6)",
  async available() {
    const r = spawnSync("nginx", ["-v"], { encoding: "utf8" });
    if (r.error || r.status !== 0)
      return { ok: false, reason: "nginx is not installed (Debian package nginx)" };
    return { ok: true };
  },
  async start({ indexDir, server, cpu }) {
    const s = await startNginxStaticServer({
      root: indexDir,
      certPath: server.certPath,
      keyPath: server.keyPath,
      workerProcesses: 1,
      cpus: String(cpu),
    });
    const v = spawnSync("nginx", ["-v"], { encoding: "utf8" });
    return {
      url: s.url,
      prefix: "/",
      pid: s.pid,
      version: (v.stderr || v.stdout).trim(),
      stop: () => s.stop(),
    };
  },
};

// The Wharf registry serves index files from its SQLite store, not from a directory: start()
// first loads the generated index into a fresh data dir through the store's publishVersion
// (wharf-load.mjs; timed and reported as `setup`), then runs the server in a child process
// (wharf-server.mjs) pinned like nginx. It also returns an API token for the publish-latency
// measurement, which only this target has.
export const wharfTarget = {
  name: "wharf",
  description: "Wharf registry server (node, one process, SQLite store)",
  async available() {
    let mod;
    try {
      mod = await import("@wharf/registry");
    } catch (e) {
      return {
        ok: false,
        reason: `@wharf/registry is not built or failed to load (${e.message.split("\n")[0]})`,
      };
    }
    for (const fn of ["startRegistryServer", "resolveRegistryConfig", "openRegistryData", "createApiToken"]) {
      if (typeof mod[fn] !== "function")
        return { ok: false, reason: `@wharf/registry does not export ${fn}` };
    }
    return { ok: true };
  },
  async start({ indexDir, paths, server, cpu, dataDir }) {
    console.log(`bench: wharf: loading ${paths.length} index files into ${dataDir} via publishVersion`);
    const load = await loadIndexIntoRegistry({
      indexDir,
      paths,
      dataDir,
      onProgress: (s, ms) =>
        console.log(
          `bench: wharf: loaded ${s.crates} crates, ${s.versions} versions (${(ms / 1000).toFixed(1)} s)`,
        ),
    });
    console.log(
      `bench: wharf: load took ${(load.stats.totalMs / 1000).toFixed(1)} s for ${load.stats.versions} versions ` +
        `(blob puts ${(load.stats.blobPutMs / 1000).toFixed(1)} s, publishVersion ${(load.stats.publishVersionMs / 1000).toFixed(1)} s ` +
        `= ${load.stats.publishVersionMeanMs} ms each, setYanked ${(load.stats.setYankedMs / 1000).toFixed(1)} s)`,
    );
    const running = await spawnWharfServer({ dataDir, server, cpu });
    return { ...running, setup: { load: load.stats }, publishToken: load.token };
  },
};

function spawnWharfServer({ server, cpu, dataDir }) {
  const config = JSON.stringify({
    dataDir,
    certPath: server.certPath,
    keyPath: server.keyPath,
    logLevel: "warn",
  });
  const child = spawn(
    "taskset",
    ["-c", String(cpu), process.execPath, join(here, "wharf-server.mjs"), config],
    {
      stdio: ["ignore", "pipe", "inherit"],
      env: { PATH: process.env.PATH, NODE_ENV: "production" },
    },
  );
  // a crashed or interrupted bench must not leave the server running
  const onExit = () => child.kill("SIGKILL");
  process.once("exit", onExit);
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error("wharf registry did not report READY within 60 s"));
    }, 60_000);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`wharf registry exited early with ${code}: ${out}`));
    });
    child.stdout.on("data", (d) => {
      out += d;
      const m = /^READY (\S+) (\S+)$/m.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.removeAllListeners("exit");
      const exited = new Promise((r) => child.once("exit", r));
      resolve({
        url: m[1],
        prefix: m[2],
        pid: child.pid,
        version: "wharf (this checkout)",
        stop: async () => {
          process.removeListener("exit", onExit);
          child.kill("SIGTERM");
          const t = setTimeout(() => child.kill("SIGKILL"), 5000);
          await exited;
          clearTimeout(t);
        },
      });
    });
  });
}

/** In report order: the baseline first. */
export const targets = [nginxTarget, wharfTarget];
