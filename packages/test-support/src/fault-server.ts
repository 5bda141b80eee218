/**
 * A small HTTPS server on 127.0.0.1 that misbehaves on purpose, for the registry client's
 * tests: each route answers from a script of faults (drop the connection, answer a status
 * such as 500 or 429 with Retry-After, trickle the body, stall mid-body) and then serves
 * its real response. It also serves content a real registry never would (index lines
 * naming another crate, wrong checksums). Every loop and timer is bounded, and close()
 * ends every open connection, so a test can never hang on it.
 */
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo, Socket } from "node:net";

export type FaultStep =
  /** destroy the connection without an answer */
  | { kind: "drop" }
  /** answer this status (with headers and a short body) instead of the real response */
  | { kind: "status"; status: number; headers?: Record<string, string>; body?: string }
  /** send the real response, `chunkBytes` every `intervalMs` */
  | { kind: "slow"; chunkBytes: number; intervalMs: number }
  /** send the headers and half the body, then go silent until the client gives up (or `maxMs`) */
  | { kind: "stall"; maxMs?: number };

export interface FaultRoute {
  status?: number;
  headers?: Record<string, string>;
  body: string | Uint8Array;
  /** consumed one per request, in order; afterwards the real response is served */
  faults?: FaultStep[];
}

export interface RecordedRequest {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** the fault applied, or "ok" */
  outcome: string;
}

export interface FaultServer {
  /** https://127.0.0.1:PORT */
  url: string;
  requests: RecordedRequest[];
  /** the most requests this server had in flight at once (answered but not finished) */
  readonly maxInFlight: number;
  /** starts a new measurement of maxInFlight */
  resetMaxInFlight(): void;
  setRoute(path: string, route: FaultRoute): void;
  close(): Promise<void>;
}

export interface FaultServerOptions {
  certPath: string;
  keyPath: string;
  routes?: Record<string, FaultRoute>;
}

/** no fault lasts longer than this, whatever the script says */
const MAX_FAULT_MS = 60_000;
const MAX_CHUNKS = 10_000;

export async function startFaultServer(options: FaultServerOptions): Promise<FaultServer> {
  const routes = new Map<string, FaultRoute>(Object.entries(options.routes ?? {}));
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let inFlight = 0;
  let maxInFlight = 0;
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(
      () => {
        timers.delete(t);
        fn();
      },
      Math.min(ms, MAX_FAULT_MS),
    );
    timers.add(t);
  };

  const server: Server = createServer(
    { cert: readFileSync(options.certPath), key: readFileSync(options.keyPath) },
    (req, res) => {
      const path = new URL(req.url ?? "/", "https://x").pathname;
      const route = routes.get(path);
      const fault = route?.faults?.shift();
      requests.push({ path, headers: { ...req.headers }, outcome: fault?.kind ?? "ok" });
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      res.once("close", () => inFlight--);
      if (route === undefined) {
        res.writeHead(404, { "content-type": "text/plain" }).end("not found");
        return;
      }
      const body = typeof route.body === "string" ? Buffer.from(route.body) : Buffer.from(route.body);
      const headers = { "content-type": "application/octet-stream", ...route.headers };
      if (fault?.kind === "drop") {
        req.socket.destroy();
        return;
      }
      if (fault?.kind === "status") {
        res.writeHead(fault.status, { "content-type": "text/plain", ...fault.headers }).end(fault.body ?? "");
        return;
      }
      if (fault?.kind === "slow") {
        res.writeHead(route.status ?? 200, { ...headers, "content-length": String(body.length) });
        const size = Math.max(1, fault.chunkBytes);
        let offset = 0;
        let chunks = 0;
        const tick = () => {
          if (res.destroyed || offset >= body.length || ++chunks > MAX_CHUNKS) {
            res.end();
            return;
          }
          const chunk = body.subarray(offset, offset + size);
          offset += size;
          // end with the last chunk: the response is over when the client has it all
          if (offset >= body.length) res.end(chunk);
          else {
            res.write(chunk);
            later(fault.intervalMs, tick);
          }
        };
        tick();
        return;
      }
      if (fault?.kind === "stall") {
        res.writeHead(route.status ?? 200, { ...headers, "content-length": String(body.length) });
        res.write(body.subarray(0, Math.floor(body.length / 2)));
        later(fault.maxMs ?? MAX_FAULT_MS, () => req.socket.destroy());
        return;
      }
      res.writeHead(route.status ?? 200, { ...headers, "content-length": String(body.length) }).end(body);
    },
  );
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  // a client refusing our certificate shows up here; it is the expected outcome of some tests
  server.on("tlsClientError", () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    requests,
    get maxInFlight() {
      return maxInFlight;
    },
    resetMaxInFlight: () => {
      maxInFlight = inFlight;
    },
    setRoute: (path, route) => routes.set(path, route),
    close: async () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
