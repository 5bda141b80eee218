/**
 * A real Wharf registry for tests: its own test CA and certificate, a data directory in a
 * temp dir, a listening HTTPS server on 127.0.0.1, an admin user with an all-scopes token,
 * and helpers to make more users and tokens. Nothing is mocked.
 */
import { join } from "node:path";
import {
  createApiToken,
  type RegistryConfig,
  type RunningRegistry,
  resolveRegistryConfig,
  startRegistryServer,
} from "@wharf/registry";
import { pino } from "pino";
import { makeTestPki, type TestPki } from "./tls.js";

export const ALL_SCOPES = ["publish-new", "publish-update", "yank", "change-owners"] as const;

export interface TestRegistry {
  running: RunningRegistry;
  config: RegistryConfig;
  pki: TestPki;
  /** https://127.0.0.1:PORT */
  url: string;
  /** sparse+https://127.0.0.1:PORT/index/ */
  indexUrl: string;
  adminToken: string;
  /** adds a user and returns an API token for it */
  addUser(
    login: string,
    options?: { scopes?: readonly string[]; cratePatterns?: string[] | null; admin?: boolean },
  ): Promise<{ userId: number; token: string }>;
  tokenFor(
    userId: number,
    options: {
      scopes: readonly string[];
      cratePatterns?: string[] | null;
      expires?: number | "never";
      name?: string;
    },
  ): Promise<string>;
  close(): Promise<void>;
}

export interface TestRegistryOptions {
  dir: string;
  authRequired?: boolean;
  overrides?: Partial<RegistryConfig>;
}

export async function startTestRegistry(options: TestRegistryOptions): Promise<TestRegistry> {
  const pki = makeTestPki(join(options.dir, "pki"));
  const config = {
    ...resolveRegistryConfig(
      [
        {
          dataDir: join(options.dir, "data"),
          host: "127.0.0.1",
          port: 0,
          tlsCert: pki.server.certPath,
          tlsKey: pki.server.keyPath,
          authRequired: options.authRequired ?? false,
          logLevel: "warn",
        },
      ],
      options.dir,
    ),
    ...options.overrides,
  };
  const running = await startRegistryServer(config, { logger: pino({ level: "warn" }) });
  const store = running.data.store;
  const now = () => new Date();
  const tokenFor: TestRegistry["tokenFor"] = async (userId, o) => {
    const created = await createApiToken({
      store,
      userId,
      name: o.name ?? `t${Math.random().toString(36).slice(2, 8)}`,
      scopes: o.scopes,
      cratePatterns: o.cratePatterns ?? null,
      expires: o.expires,
      actor: { kind: "admin-cli" },
      now,
    });
    return created.token;
  };
  const addUser: TestRegistry["addUser"] = async (login, o = {}) => {
    const user = await store.addUser({ login, isAdmin: o.admin ?? false, actor: { kind: "admin-cli" } });
    const token = await tokenFor(user.id, {
      scopes: o.scopes ?? ALL_SCOPES,
      cratePatterns: o.cratePatterns ?? null,
    });
    return { userId: user.id, token };
  };
  const admin = await addUser("admin", { admin: true });
  return {
    running,
    config,
    pki,
    url: running.url,
    indexUrl: `sparse+${running.url}/index/`,
    adminToken: admin.token,
    addUser,
    tokenFor,
    close: () => running.close(),
  };
}
