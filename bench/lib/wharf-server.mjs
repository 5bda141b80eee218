// Child process for the Wharf target: starts the registry server (pinned by the parent's
// taskset), prints "READY <origin> <index-prefix>" and runs until SIGTERM.
// ADAPTER: this is the one place that knows startRegistryServer's signature; see the
// contract in targets.mjs and change this file when the real one differs.
import { startRegistryServer } from "@wharf/registry";

const { indexDir, dataDir, certPath, keyPath } = JSON.parse(process.argv[2] ?? "{}");
const server = await startRegistryServer({
  host: "127.0.0.1",
  port: 0,
  tls: { certPath, keyPath },
  indexDir,
  dataDir,
});
const url = String(server.url).replace(/\/+$/, "");
if (!/^https:\/\/127\.0\.0\.1:\d+$/.test(url)) {
  console.error(`wharf-server: expected https://127.0.0.1:PORT, got ${url}`);
  process.exit(2);
}
process.stdout.write(`READY ${url} /index/\n`);

let stopping = false;
process.on("SIGTERM", async () => {
  if (stopping) return;
  stopping = true;
  await server.stop();
  process.exit(0);
});
