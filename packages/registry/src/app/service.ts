/**
 * What the HTTP layer needs from the registry, as one interface: the routes translate
 * HTTP to these calls and back, and know nothing of storage, formats or authorization.
 */
import type { Readable } from "node:stream";

export interface RequestInfo {
  /** raw `Authorization` header value (cargo sends the token without a scheme) */
  authorization: string | undefined;
  remoteAddr: string;
  requestId: string;
}

export interface IndexFile {
  body: string;
  etag: string;
  lastModified: Date;
}

export interface Download {
  stream: Readable;
  size: number;
  cksum: string;
}

export interface PublishResult {
  warnings: { invalid_categories: string[]; invalid_badges: string[]; other: string[] };
}

export interface SearchResult {
  crates: { name: string; max_version: string; description: string | null }[];
  meta: { total: number };
}

export interface OwnerList {
  users: { id: number; login: string; name: string | null }[];
}

export interface RegistryService {
  readonly authRequired: boolean;
  /** `config.json` of the sparse index */
  indexConfig(): Record<string, unknown>;
  /** contents of an index file, or undefined for an unknown crate; checks read auth */
  indexFile(name: string, req: RequestInfo): Promise<IndexFile | undefined>;
  download(name: string, version: string, req: RequestInfo): Promise<Download | undefined>;
  publish(body: Uint8Array, req: RequestInfo): Promise<PublishResult>;
  setYanked(name: string, version: string, yanked: boolean, req: RequestInfo): Promise<void>;
  listOwners(name: string, req: RequestInfo): Promise<OwnerList>;
  changeOwners(name: string, logins: string[], add: boolean, req: RequestInfo): Promise<string>;
  search(query: string, perPage: number, req: RequestInfo): Promise<SearchResult>;
  crateInfo(name: string, req: RequestInfo): Promise<Record<string, unknown> | undefined>;
  versionInfo(name: string, version: string, req: RequestInfo): Promise<Record<string, unknown> | undefined>;
  /** token management for the signed-in user (crates.io's /api/v1/me/tokens) */
  listTokens(req: RequestInfo): Promise<Record<string, unknown>[]>;
  createToken(spec: Record<string, unknown>, req: RequestInfo): Promise<Record<string, unknown>>;
  revokeToken(id: number, req: RequestInfo): Promise<void>;
  /** resolves when in-flight mutations have finished */
  drain(): Promise<void>;
}
