/**
 * Starting and stopping the registry server: open the data directory, build the service
 * and the HTTP app, listen, and on close stop accepting, let in-flight publishes finish,
 * then close the database.
 */
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { maxPublishBodyLength } from "@wharf/protocol";
import { type Logger, pino } from "pino";
import { openRegistryData, type RegistryData } from "../admin/registry-data.js";
import { createRegistryApp } from "../app/create-app.js";
import type { RegistryConfig } from "../config/index.js";
import { DefaultRegistryService } from "../service/registry-service.js";
import type { Clock } from "../storage/index.js";

export interface RunningRegistry {
  /** the base URL; the sparse index is at `${url}/index/` */
  url: string;
  port: number;
  data: RegistryData;
  close(): Promise<void>;
}

export interface StartRegistryOptions {
  logger?: Logger | undefined;
  now?: Clock | undefined;
}

export async function startRegistryServer(
  config: RegistryConfig,
  options: StartRegistryOptions = {},
): Promise<RunningRegistry> {
  const now = options.now ?? (() => new Date());
  const logger = options.logger ?? pino({ level: config.logLevel });
  const data = await openRegistryData(config.dataDir, now);
  const live: RegistryConfig = { ...config };
  const service = new DefaultRegistryService({ config: live, store: data.store, blobs: data.blobs, now });
  const https =
    config.tlsCert && config.tlsKey
      ? { cert: readFileSync(config.tlsCert), key: readFileSync(config.tlsKey) }
      : undefined;
  // the body limit follows max-crate-bytes: without it the app's 12 MiB default both buffered
  // bodies far over a small limit and refused crates under a limit raised above 12 MiB
  const app = createRegistryApp({
    service,
    logger,
    https,
    loginUrl: `${config.publicUrl}/me`,
    limits: { maxPublishBytes: maxPublishBodyLength(config) },
  });
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await data.close();
    throw error;
  }
  const port = (app.server.address() as AddressInfo).port;
  if (config.port === 0) live.publicUrl = config.publicUrl.replace(/:0$/, `:${port}`);
  let closing: Promise<void> | undefined;
  return {
    url: live.publicUrl,
    port,
    data,
    close: () => {
      closing ??= (async () => {
        await app.close();
        await service.drain();
        await data.close();
      })();
      return closing;
    },
  };
}
