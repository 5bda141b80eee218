/**
 * A tiny HTTP CONNECT proxy on 127.0.0.1 for tests: it opens byte tunnels (it never sees
 * inside the TLS), counts them and records their targets, and can refuse CONNECT or demand
 * Basic credentials. Bounded: only loopback targets, at most `maxTunnels` open at once,
 * every socket destroyed on close(). Plain requests (no CONNECT) are answered 405.
 */
import { createServer, type IncomingMessage } from "node:http";
import { connect, type Socket } from "node:net";
import type { Duplex } from "node:stream";

export interface ConnectProxyOptions {
  /** answer every CONNECT with this status instead of opening a tunnel */
  refuseWith?: number;
  /** `user:password` the client must send as Proxy-Authorization: Basic */
  requireAuth?: string;
  /** default 64 */
  maxTunnels?: number;
}

export interface ConnectProxy {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  /** tunnels opened so far */
  readonly tunnels: number;
  /** `host:port` of every CONNECT request, including refused ones */
  readonly targets: readonly string[];
  /** Proxy-Authorization values received */
  readonly authHeaders: readonly (string | undefined)[];
  close(): Promise<void>;
}

function isLoopbackTarget(host: string): boolean {
  return host === "localhost" || host === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export async function startConnectProxy(options: ConnectProxyOptions = {}): Promise<ConnectProxy> {
  const maxTunnels = options.maxTunnels ?? 64;
  const sockets = new Set<Duplex>();
  const targets: string[] = [];
  const authHeaders: (string | undefined)[] = [];
  let tunnels = 0;
  let open = 0;
  const server = createServer((_req, res) => {
    res.writeHead(405, { connection: "close" }).end("this test proxy only does CONNECT\n");
  });
  const track = (s: Duplex) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  };
  server.on("connection", track);
  server.on("connect", (req: IncomingMessage, client: Duplex, head: Buffer) => {
    const target = req.url ?? "";
    targets.push(target);
    authHeaders.push(req.headers["proxy-authorization"]);
    client.on("error", () => undefined);
    const answer = (status: number, text: string, extra = "") => {
      client.end(`HTTP/1.1 ${status} ${text}\r\n${extra}Connection: close\r\n\r\n`);
    };
    if (options.refuseWith !== undefined) return answer(options.refuseWith, "Refused by test proxy");
    if (options.requireAuth !== undefined) {
      const want = `Basic ${Buffer.from(options.requireAuth).toString("base64")}`;
      if (req.headers["proxy-authorization"] !== want) {
        return answer(407, "Proxy Authentication Required", 'Proxy-Authenticate: Basic realm="test"\r\n');
      }
    }
    const m = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(target);
    if (!m?.[1] || !isLoopbackTarget(m[1])) return answer(403, "Forbidden");
    if (open >= maxTunnels) return answer(503, "Too Many Tunnels");
    open++;
    tunnels++;
    const host = m[1].replace(/^\[|\]$/g, "");
    const upstream: Socket = connect({ host, port: Number(m[2]) });
    track(upstream);
    let closed = false;
    const done = () => {
      if (closed) return;
      closed = true;
      open--;
      upstream.destroy();
      client.destroy();
    };
    upstream.on("error", done);
    upstream.on("close", done);
    client.on("close", done);
    upstream.once("connect", () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("proxy did not get a TCP port");
  return {
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    get tunnels() {
      return tunnels;
    },
    targets,
    authHeaders,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
