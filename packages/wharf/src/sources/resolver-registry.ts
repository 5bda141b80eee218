/**
 * The resolver's Registry over the client's real sources: registry dependencies are looked
 * up through `[source] replace-with` (crates-io replaced by a private mirror keeps its
 * crates-io identity, as in cargo's lockfiles), fetched with the sparse client, and turned
 * into Summaries; path dependencies come from their manifests; git dependencies from a
 * checkout of their repository (git-source.ts).
 */
import { CRATES_IO_INDEX, type Package, type SourceId, WharfError } from "@wharf/protocol";
import type { WharfCache } from "../cache/index.js";
import { type CargoConfig, resolveSourceReplacement } from "../config/index.js";
import type { DependencySpec, Registry, Summary } from "../resolver/index.js";
import { summaryFromIndexLine, summaryFromPackage } from "../resolver/index.js";
import type { CredentialResolver } from "./credentials.js";
import { type DirectorySource, directorySourceFor } from "./directory-source.js";
import { type GitSourceSettings, GitSources } from "./git-source.js";
import type { HttpFetcherOptions } from "./http-fetcher.js";
import { SparseRegistryClient } from "./sparse-registry-client.js";

export interface ResolverRegistryOptions {
  config: CargoConfig;
  cache: WharfCache;
  /** PEM bundle for registries signed by a private CA (http.cainfo) */
  caFile?: string | undefined;
  /** transport settings every registry client shares (proxy, proxy CA) */
  http?: Pick<HttpFetcherOptions, "proxy" | "proxyCaFile"> | undefined;
  /** tokens for registries that require authentication */
  credentials?: CredentialResolver | undefined;
  /** loads the package at a path dependency's directory */
  loadPath: (dir: string) => Package;
  /**
   * `--offline`: index files from the cache only, and (as cargo does) only versions whose
   * .crate is already downloaded, unless none is, in which case every cached version
   */
  offline?: boolean | undefined;
  /** git sources (environment, policy, output); without it git dependencies are refused */
  git?: GitSourceSettings | undefined;
}

function stripSlash(url: string): string {
  return url.replace(/\/+$/, "");
}

export class ResolverRegistry implements Registry {
  private readonly options: ResolverRegistryOptions;
  private readonly clients = new Map<string, SparseRegistryClient>();
  private gitSources: GitSources | undefined;
  private readonly directories = new Map<string, DirectorySource>();

  constructor(options: ResolverRegistryOptions) {
    this.options = options;
  }

  /** The config name of a registry URL (`crates-io` for crates.io), if any. */
  registryNameOf(url: string): string | undefined {
    if (stripSlash(url) === stripSlash(CRATES_IO_INDEX)) return "crates-io";
    for (const [name, reg] of this.options.config.registries) {
      if (reg.index && stripSlash(reg.index.value) === stripSlash(url)) return name;
    }
    for (const [name, src] of this.options.config.source) {
      const loc = src.location;
      if (loc?.kind === "registry" && stripSlash(loc.url.value) === stripSlash(url)) return name;
    }
    return undefined;
  }

  /** The URL actually fetched for a registry source, after source replacement. */
  fetchUrlFor(url: string): string {
    const name = this.registryNameOf(url);
    if (name === undefined) return url;
    const { target } = resolveSourceReplacement(this.options.config, name);
    if (target.name === name && name === "crates-io") {
      throw new WharfError({
        code: "SOURCE_CRATES_IO_UNREACHABLE",
        message: "crates.io cannot be reached from this machine and no replacement is configured",
        hint: 'configure `[source.crates-io] replace-with = "<name>"` pointing at your registry',
      });
    }
    if (target.kind === "registry") {
      const index = this.options.config.registries.get(target.name)?.index?.value;
      if (index) return index;
    } else {
      const loc = this.options.config.source.get(target.name)?.location;
      if (loc?.kind === "registry") return loc.url.value;
      if (loc?.kind === "directory" || loc?.kind === "local-registry") {
        throw new WharfError({
          code: "SOURCE_UNSUPPORTED",
          message: `source \`${target.name}\` is a ${loc.kind} source, which wharf does not read yet`,
        });
      }
    }
    return url;
  }

  private client(url: string): SparseRegistryClient {
    let c = this.clients.get(url);
    if (!c) {
      c = new SparseRegistryClient({
        ...this.options.http,
        indexUrl: url,
        cache: this.options.cache,
        caFile: this.options.caFile,
        credentials: this.options.credentials?.forRegistry(url),
        offline: this.options.offline,
      });
      this.clients.set(url, c);
    }
    return c;
  }

  async query(dep: DependencySpec): Promise<readonly Summary[]> {
    const source = dep.source;
    if (source.kind === "path") return [summaryFromPackage(this.options.loadPath(source.path))];
    if (source.kind === "git" && this.options.git) return this.git.query(dep);
    if (source.kind === "git") {
      throw new WharfError({
        code: "SOURCE_GIT_UNSUPPORTED",
        message: `git dependency \`${dep.name}\` (${source.url}) cannot be resolved yet`,
        hint: "git sources come with a later release of wharf",
      });
    }
    // a registry replaced by `[source.X] directory = "..."` (a vendor dir) is read from there
    const directory = directorySourceFor(this.options.config, source, this.directories);
    if (directory) return directory.query(dep.name);
    const file = await this.client(this.fetchUrlFor(source.url)).indexFile(dep.name);
    if (!file) return [];
    const sourceForRegistry = (url: string): SourceId => ({ kind: "registry", url });
    let lines = file.lines;
    if (this.options.offline) {
      const store = this.options.cache.crates;
      const have = await Promise.all(lines.map((l) => store.has(l.cksum)));
      if (have.some(Boolean)) lines = lines.filter((_, i) => have[i]);
    }
    return lines.map((line) => summaryFromIndexLine(line, { source, sourceForRegistry }));
  }

  /** The git sources, for pinning the commits of a previous Cargo.lock and for checkouts. */
  get git(): GitSources {
    if (!this.options.git) {
      throw new WharfError({ code: "SOURCE_GIT_UNSUPPORTED", message: "git sources are not set up here" });
    }
    this.gitSources ??= new GitSources(this.options.git, this.options.cache.paths, this.options.loadPath);
    return this.gitSources;
  }

  /** The checksum the registry's index lists for one version, or undefined if it lists none. */
  async indexChecksum(source: SourceId, name: string, version: string): Promise<string | undefined> {
    if (source.kind !== "registry") return undefined;
    const file = await this.client(this.fetchUrlFor(source.url)).indexFile(name);
    return file?.lines.find((l) => l.vers === version)?.cksum;
  }

  /** Downloads a registry package (checked against `cksum` before it is cached) and returns the .crate path. */
  async download(source: SourceId, name: string, version: string, cksum: string) {
    if (source.kind !== "registry") {
      throw new WharfError({
        code: "SOURCE_NOT_REGISTRY",
        message: `\`${name} v${version}\` does not come from a registry`,
      });
    }
    return this.client(this.fetchUrlFor(source.url)).download(name, version, cksum);
  }

  describeSource(source: SourceId): string {
    if (source.kind === "registry")
      return source.url === CRATES_IO_INDEX ? "crates.io index" : `\`${source.url}\` index`;
    return source.kind === "path" ? source.path : source.url;
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map((c) => c.close()));
  }
}
