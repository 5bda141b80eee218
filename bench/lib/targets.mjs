// The servers the index benchmark measures. Each target:
//   name, description,
//   available(): Promise<{ ok: true } | { ok: false, reason }>,
//   start({ indexDir, server: { certPath, keyPath }, caCert, cpu }): Promise<{ url, prefix, pid, version, stop() }>
// `url` is the origin (https://127.0.0.1:PORT), `prefix` the URL path the index is under.
// Every target must serve the files in indexDir byte for byte (run.mjs checks a sample),
// over HTTPS with the same certificate, bound to 127.0.0.1, pinned to `cpu`.
import { spawn, spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startNginxStaticServer } from "@wharf/test-support";

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

// ---------------------------------------------------------------------------------------
// SLOT: the Wharf registry server. Skipped until @wharf/registry exports startRegistryServer.
// The contract this harness assumes (adapt bench/lib/wharf-server.mjs, not the harness, if
// the real signature differs):
//   startRegistryServer({ host: "127.0.0.1", port: 0, tls: { certPath, keyPath },
//                         indexDir, dataDir }) -> Promise<{ url, stop() }>
// where the server serves the sparse index files of `indexDir` under `${url}/index/`.
// If the registry can only serve what is in its own database, wharf-server.mjs must seed
// that database from indexDir first; run.mjs refuses to measure a target whose bytes
// differ from the files on disk, so a wrong adapter fails loudly instead of lying.
// ---------------------------------------------------------------------------------------
export const wharfTarget = {
  name: "wharf",
  description: "Wharf registry server (node, one process)",
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
    if (typeof mod.startRegistryServer !== "function") {
      return { ok: false, reason: "@wharf/registry does not export startRegistryServer yet" };
    }
    return { ok: true };
  },
  start({ indexDir, server, cpu, dataDir }) {
    const config = JSON.stringify({ indexDir, dataDir, certPath: server.certPath, keyPath: server.keyPath });
    const child = spawn(
      "taskset",
      ["-c", String(cpu), process.execPath, join(here, "wharf-server.mjs"), config],
      {
        stdio: ["ignore", "pipe", "inherit"],
        env: { PATH: process.env.PATH, NODE_ENV: "production" },
      },
    );
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
            child.kill("SIGTERM");
            const t = setTimeout(() => child.kill("SIGKILL"), 5000);
            await exited;
            clearTimeout(t);
          },
        });
      });
    });
  },
};

/** In report order: the baseline first. */
export const targets = [nginxTarget, wharfTarget];
