/**
 * Real git over real HTTPS on loopback for tests: a node https server (test CA) that runs
 * `git http-backend` as a CGI program for every request, serving the repositories under
 * one directory (smart HTTP, protocol v2 included). Requests are counted, so a test can
 * assert that a run did not touch the network.
 */
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import type { TestPki } from "./tls.js";

export interface GitHttpServer {
  /** https://127.0.0.1:PORT/ ; a repository `<root>/foo` is at `${baseUrl}foo` */
  baseUrl: string;
  /** how many requests were served so far */
  requests(): number;
  close(): Promise<void>;
}

export interface GitHttpServerOptions {
  /** the directory whose repositories are served (GIT_PROJECT_ROOT) */
  root: string;
  pki: TestPki;
}

/** Splits a CGI response into status, headers and the body that follows. */
function parseCgiHead(head: string): { status: number; headers: [string, string][] } {
  let status = 200;
  const headers: [string, string][] = [];
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === "status") status = Number.parseInt(value, 10) || 500;
    else headers.push([name, value]);
  }
  return { status, headers };
}

export async function startGitHttpServer(options: GitHttpServerOptions): Promise<GitHttpServer> {
  let count = 0;
  const server: Server = createServer(
    { key: options.pki.server.key, cert: options.pki.server.cert },
    (req, res) => {
      count++;
      const url = new URL(req.url ?? "/", "https://127.0.0.1");
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        GIT_PROJECT_ROOT: options.root,
        GIT_HTTP_EXPORT_ALL: "1",
        REQUEST_METHOD: req.method ?? "GET",
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        REMOTE_ADDR: req.socket.remoteAddress ?? "127.0.0.1",
        SERVER_PROTOCOL: "HTTP/1.1",
        GATEWAY_INTERFACE: "CGI/1.1",
      };
      const header = (name: string) => {
        const v = req.headers[name];
        return Array.isArray(v) ? v.join(", ") : v;
      };
      const contentType = header("content-type");
      if (contentType) env.CONTENT_TYPE = contentType;
      const contentLength = header("content-length");
      if (contentLength) env.CONTENT_LENGTH = contentLength;
      const encoding = header("content-encoding");
      if (encoding) env.HTTP_CONTENT_ENCODING = encoding;
      const protocol = header("git-protocol");
      if (protocol) env.GIT_PROTOCOL = protocol;
      const child = spawn("git", ["http-backend"], { env, stdio: ["pipe", "pipe", "pipe"] });
      req.pipe(child.stdin);
      let head = Buffer.alloc(0);
      let started = false;
      child.stdout.on("data", (chunk: Buffer) => {
        if (started) {
          res.write(chunk);
          return;
        }
        head = Buffer.concat([head, chunk]);
        const crlf = head.indexOf("\r\n\r\n");
        const lf = head.indexOf("\n\n");
        const end = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf + 4 : lf >= 0 ? lf + 2 : -1;
        if (end < 0) return;
        const { status, headers } = parseCgiHead(head.subarray(0, end).toString("latin1"));
        res.statusCode = status;
        for (const [k, v] of headers) res.setHeader(k, v);
        started = true;
        res.write(head.subarray(end));
      });
      child.on("close", () => {
        if (!started) res.statusCode = 500;
        res.end();
      });
      child.on("error", () => {
        res.statusCode = 500;
        res.end();
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `https://127.0.0.1:${port}/`,
    requests: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
