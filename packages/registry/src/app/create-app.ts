/**
 * The registry's HTTP surface as a fastify app, separate from listen(): the sparse index
 * (config.json and index files with ETag/Last-Modified and 304s), downloads, and cargo's
 * web API (publish, yank, owners, search, tokens) with cargo's error JSON.
 */
import { randomUUID } from "node:crypto";
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from "fastify";
import type { Logger } from "pino";
import { ApiError, errorBody } from "./api-error.js";
import { readBody, readJsonBody } from "./read-body.js";
import type { RegistryService, RequestInfo } from "./service.js";

export interface AppLimits {
  /** whole publish request body */
  maxPublishBytes: number;
  /** small JSON bodies (owners, tokens) */
  maxJsonBytes: number;
}

export const DEFAULT_LIMITS: AppLimits = { maxPublishBytes: 12 * 1024 * 1024, maxJsonBytes: 64 * 1024 };

export interface CreateAppOptions {
  service: RegistryService;
  logger?: Logger | undefined;
  limits?: Partial<AppLimits> | undefined;
  /** for the `WWW-Authenticate: Cargo login_url=...` hint on 401s */
  loginUrl?: string | undefined;
  /** TLS key pair (PEM); without it the app speaks plain HTTP (loopback only, enforced by config) */
  https?: { cert: string | Buffer; key: string | Buffer } | undefined;
}

function info(request: FastifyRequest): RequestInfo {
  const auth = request.headers.authorization;
  return { authorization: auth, remoteAddr: request.ip, requestId: String(request.id) };
}

const INDEX_PATH = /^(?:1\/([^/]+)|2\/([^/]+)|3\/([^/])\/([^/]+)|([^/]{2})\/([^/]{2})\/([^/]+))$/;

/** The crate name an index path asks for, if the path is well formed for that name. */
export function nameFromIndexPath(path: string): string | undefined {
  const m = INDEX_PATH.exec(path);
  if (!m) return undefined;
  const name = m[1] ?? m[2] ?? m[4] ?? m[7];
  if (!name) return undefined;
  const lower = name.toLowerCase();
  if (m[1] !== undefined && lower.length !== 1) return undefined;
  if (m[2] !== undefined && lower.length !== 2) return undefined;
  if (m[4] !== undefined && (lower.length !== 3 || lower[0] !== m[3]!.toLowerCase())) return undefined;
  if (
    m[7] !== undefined &&
    (lower.length < 4 ||
      lower.slice(0, 2) !== m[5]!.toLowerCase() ||
      lower.slice(2, 4) !== m[6]!.toLowerCase())
  ) {
    return undefined;
  }
  return name;
}

export function createRegistryApp(options: CreateAppOptions): FastifyInstance {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger | undefined,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    trustProxy: false,
    return503OnClosing: true,
    // on close, drop idle keep-alive connections at once instead of waiting out their timeout
    forceCloseConnections: "idle",
    keepAliveTimeout: 5_000,
    ...(options.https
      ? { https: { cert: options.https.cert, key: options.https.key, minVersion: "TLSv1.2" as const } }
      : {}),
  });
  const service = options.service;

  // bodies are read by the handlers themselves (readBody), never by a framework parser
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", (_req, _payload, done) => done(null, undefined));

  app.setErrorHandler((error: unknown, request, reply) => {
    if (error instanceof ApiError) {
      if (error.status === 401) {
        reply.header("www-authenticate", `Cargo login_url="${options.loginUrl ?? ""}"`);
      }
      if (error.retryAfter !== undefined) reply.header("retry-after", String(error.retryAfter));
      request.log.info({ code: error.code, status: error.status }, error.message);
      return reply.code(error.status).send(errorBody(error.message));
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (typeof status === "number" && status >= 400 && status < 500) {
      return reply.code(status).send(errorBody((error as Error).message));
    }
    request.log.error({ err: error }, "internal error");
    return reply.code(500).send(errorBody("internal server error"));
  });
  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send(errorBody(`not found: ${request.method} ${request.url.split("?")[0]}`));
  });

  app.get("/health", async () => ({ status: "ok" }));

  app.get("/index/config.json", async (_request, reply) => {
    reply.header("cache-control", "no-cache");
    return service.indexConfig();
  });

  app.get("/index/*", async (request: FastifyRequest<{ Params: { "*": string } }>, reply: FastifyReply) => {
    const name = nameFromIndexPath(request.params["*"]);
    if (name === undefined) throw new ApiError(404, "NOT_FOUND", "no such index file");
    const file = await service.indexFile(name, info(request));
    if (!file) throw new ApiError(404, "NOT_FOUND", `crate \`${name}\` does not exist`);
    reply.header("etag", file.etag);
    reply.header("last-modified", file.lastModified.toUTCString());
    reply.header("cache-control", "no-cache");
    const inm = request.headers["if-none-match"];
    const ims = request.headers["if-modified-since"];
    const notModified =
      inm !== undefined
        ? inm.split(",").some((t) => t.trim() === file.etag)
        : ims !== undefined &&
          Math.floor(file.lastModified.getTime() / 1000) <= Math.floor(Date.parse(ims) / 1000);
    if (notModified) return reply.code(304).send();
    reply.type("text/plain; charset=utf-8");
    return file.body;
  });

  app.get(
    "/api/v1/crates/:name/:version/download",
    async (request: FastifyRequest<{ Params: { name: string; version: string } }>, reply) => {
      const dl = await service.download(request.params.name, request.params.version, info(request));
      if (!dl)
        throw new ApiError(
          404,
          "NOT_FOUND",
          `crate \`${request.params.name}\` version \`${request.params.version}\` does not exist`,
        );
      reply.header("content-type", "application/gzip");
      reply.header("content-length", String(dl.size));
      reply.header("cache-control", "public, max-age=31536000, immutable");
      reply.header("etag", `"${dl.cksum}"`);
      return reply.send(dl.stream);
    },
  );

  app.put("/api/v1/crates/new", async (request) => {
    const body = await readBody(request.raw, limits.maxPublishBytes);
    return service.publish(body, info(request));
  });

  app.delete(
    "/api/v1/crates/:name/:version/yank",
    async (request: FastifyRequest<{ Params: { name: string; version: string } }>) => {
      await service.setYanked(request.params.name, request.params.version, true, info(request));
      return { ok: true };
    },
  );
  app.put(
    "/api/v1/crates/:name/:version/unyank",
    async (request: FastifyRequest<{ Params: { name: string; version: string } }>) => {
      await service.setYanked(request.params.name, request.params.version, false, info(request));
      return { ok: true };
    },
  );

  app.get("/api/v1/crates/:name/owners", async (request: FastifyRequest<{ Params: { name: string } }>) =>
    service.listOwners(request.params.name, info(request)),
  );
  const ownersChange = (add: boolean) => async (request: FastifyRequest<{ Params: { name: string } }>) => {
    const body = (await readJsonBody(request.raw, limits.maxJsonBytes)) as { users?: unknown };
    if (
      !Array.isArray(body.users) ||
      !body.users.every((u) => typeof u === "string") ||
      body.users.length === 0
    ) {
      throw new ApiError(400, "BAD_OWNERS", 'expected a JSON body like {"users": ["login"]}');
    }
    const msg = await service.changeOwners(request.params.name, body.users as string[], add, info(request));
    return { ok: true, msg };
  };
  app.put("/api/v1/crates/:name/owners", ownersChange(true));
  app.delete("/api/v1/crates/:name/owners", ownersChange(false));

  app.get(
    "/api/v1/crates",
    async (request: FastifyRequest<{ Querystring: { q?: string; per_page?: string } }>) => {
      const perPage = Math.min(Math.max(Number(request.query.per_page ?? 10) || 10, 1), 100);
      return service.search(String(request.query.q ?? ""), perPage, info(request));
    },
  );
  app.get("/api/v1/crates/:name", async (request: FastifyRequest<{ Params: { name: string } }>) => {
    const crate = await service.crateInfo(request.params.name, info(request));
    if (!crate) throw new ApiError(404, "NOT_FOUND", `crate \`${request.params.name}\` does not exist`);
    return crate;
  });
  app.get(
    "/api/v1/crates/:name/:version",
    async (request: FastifyRequest<{ Params: { name: string; version: string } }>) => {
      const v = await service.versionInfo(request.params.name, request.params.version, info(request));
      if (!v)
        throw new ApiError(
          404,
          "NOT_FOUND",
          `crate \`${request.params.name}\` version \`${request.params.version}\` does not exist`,
        );
      return v;
    },
  );

  app.get("/api/v1/me/tokens", async (request) => ({ api_tokens: await service.listTokens(info(request)) }));
  app.put("/api/v1/me/tokens", async (request) => {
    const body = (await readJsonBody(request.raw, limits.maxJsonBytes)) as { api_token?: unknown };
    if (typeof body.api_token !== "object" || body.api_token === null) {
      throw new ApiError(400, "BAD_TOKEN_SPEC", 'expected a JSON body like {"api_token": {"name": "ci"}}');
    }
    return { api_token: await service.createToken(body.api_token as Record<string, unknown>, info(request)) };
  });
  app.delete("/api/v1/me/tokens/:id", async (request: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const id = Number(request.params.id);
    if (!Number.isSafeInteger(id)) throw new ApiError(400, "BAD_TOKEN_ID", "token id must be a number");
    await service.revokeToken(id, info(request));
    return reply.code(204).send();
  });

  return app;
}
