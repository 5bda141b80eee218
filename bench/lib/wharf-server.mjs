// Child process for the Wharf target: starts the registry server on a data dir the parent
// has already loaded (see wharf-load.mjs), pinned by the parent's taskset, prints
// "READY <origin> <index-prefix>" and runs until SIGTERM.
// ADAPTER: this is the one place that knows startRegistryServer's signature.
import { resolveRegistryConfig, startRegistryServer } from "@wharf/registry";

const { dataDir, certPath, keyPath, logLevel = "warn" } = JSON.parse(process.argv[2] ?? "{}");
const config = resolveRegistryConfig(
  [
    {
      dataDir,
      host: "127.0.0.1",
      port: 0,
      tlsCert: certPath,
      tlsKey: keyPath,
      authRequired: false,
      logLevel,
      // the publish-latency run makes 50 sequential publishes as one user: above the
      // crates.io-like defaults, which would answer 429 and measure the limiter instead
      rateLimits: {
        newCrate: { burst: 10_000, perHour: 10_000 },
        newVersion: { burst: 10_000, perHour: 10_000 },
      },
    },
  ],
  process.cwd(),
);
const server = await startRegistryServer(config);
const url = String(server.url).replace(/\/+$/, "");
if (!/^https:\/\/127\.0\.0\.1:\d+$/.test(url)) {
  console.error(`wharf-server: expected https://127.0.0.1:PORT, got ${url}`);
  await server.close();
  process.exit(2);
}
process.stdout.write(`READY ${url} /index/\n`);

let stopping = false;
process.on("SIGTERM", async () => {
  if (stopping) return;
  stopping = true;
  await server.close();
  process.exit(0);
});
