/**
 * The resolver's Registry over the client's real sources: registry dependencies are looked
 * up through `[source] replace-with` (crates-io replaced by a private mirror keeps its
 * crates-io identity, as in cargo's lockfiles), fetched with the sparse client, and turned
 * into Summaries; path dependencies come from their manifests; git dependencies from a
 * checkout of their repository (git-source.ts).
 *
 * The resolver asks for one dependency at a time and waits for each answer, so fetching
 * only what it asks for costs one round trip per index file, in series. Cargo instead
 * fetches every pending file of a resolver pass at once. Here, each answered query also
 * starts fetching (without waiting) the index files of the dependencies the resolver will
 * most likely ask for next: the non-optional, non-dev dependencies of the newest
 * non-yanked version that matches the requirement. A prefetched file waits in a per-run
 * map until its query takes it (the map then forgets the file, as the resolver keeps the
 * summaries, and only remembers not to prefetch that name again); a failed prefetch is
 * forgotten and the real query fetches again and reports the error.
 */
import {
  CRATES_IO_INDEX,
  compareVersions,
  matches,
  type Package,
  type SourceId,
  WharfError,
} from "@wharf/protocol";
import type { WharfCache } from "../cache/index.js";
import { type CargoConfig, resolveSourceReplacement } from "../config/index.js";
import type { DependencySpec, Registry, Summary } from "../resolver/index.js";
import { summaryFromIndexLine, summaryFromPackage } from "../resolver/index.js";
import type { CredentialResolver } from "./credentials.js";
import { type DirectorySource, directorySourceFor } from "./directory-source.js";
import { type GitSourceSettings, GitSources } from "./git-source.js";
import type { HttpFetcherOptions } from "./http-fetcher.js";
import { type IndexFileResult, SparseRegistryClient } from "./sparse-registry-client.js";

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
  /**
   * name -> versions the previous Cargo.lock keeps: their cached index files are used without
   * revalidation when they list one of those versions
   */
  lockedVersions?: ReadonlyMap<string, ReadonlySet<string>> | undefined;
}

const fileKey = (fetchUrl: string, name: string): string => `${fetchUrl}\n${name}`;

function stripSlash(url: string): string {
  return url.replace(/\/+$/, "");
}

export class ResolverRegistry implements Registry {
  private readonly options: ResolverRegistryOptions;
  private readonly clients = new Map<string, SparseRegistryClient>();
  private gitSources: GitSources | undefined;
  private readonly directories = new Map<string, DirectorySource>();
  /** index files fetched (or being fetched) and not yet taken by a query, by fetch URL and name */
  private readonly files = new Map<string, Promise<IndexFileResult | null>>();
  /** keys a query has taken: never prefetched again */
  private readonly taken = new Set<string>();

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
    const fetchUrl = this.fetchUrlFor(source.url);
    const key = fileKey(fetchUrl, dep.name);
    const file = await this.indexFile(fetchUrl, dep.name);
    // the resolver caches what a query returns: do not hold a second copy of the file
    this.files.delete(key);
    this.taken.add(key);
    if (!file) return [];
    const sourceForRegistry = (url: string): SourceId => ({ kind: "registry", url });
    let lines = file.lines;
    if (this.options.offline) {
      const store = this.options.cache.crates;
      const have = await Promise.all(lines.map((l) => store.has(l.cksum)));
      if (have.some(Boolean)) lines = lines.filter((_, i) => have[i]);
    }
    const summaries = lines.map((line) => summaryFromIndexLine(line, { source, sourceForRegistry }));
    if (!this.options.offline) this.prefetchDependenciesOf(summaries, dep);
    return summaries;
  }

  /** The pending or fetched file, or a new fetch; a failure is not remembered. */
  private indexFile(fetchUrl: string, name: string): Promise<IndexFileResult | null> {
    const key = fileKey(fetchUrl, name);
    let file = this.files.get(key);
    if (file === undefined) {
      file = this.client(fetchUrl).indexFile(name, {
        cachedIfListed: this.options.lockedVersions?.get(name),
      });
      this.files.set(key, file);
      file.catch(() => this.files.delete(key));
    }
    return file;
  }

  /** Starts fetching what the resolver will most likely query after `dep` (see the header). */
  private prefetchDependenciesOf(summaries: readonly Summary[], dep: DependencySpec): void {
    let newest: Summary | undefined;
    for (const s of summaries) {
      if (s.yanked || !matches(dep.req, s.id.version)) continue;
      if (newest === undefined || compareVersions(s.id.version, newest.id.version) > 0) newest = s;
    }
    for (const d of newest?.dependencies ?? []) {
      if (d.optional || d.kind === "dev" || d.source.kind !== "registry") continue;
      try {
        if (directorySourceFor(this.options.config, d.source, this.directories)) continue;
        const fetchUrl = this.fetchUrlFor(d.source.url);
        if (this.taken.has(fileKey(fetchUrl, d.name))) continue;
        // the real query reports any error; a prefetch only fills the per-run map
        this.indexFile(fetchUrl, d.name).catch(() => {});
      } catch {
        // fetchUrlFor refused the source: the real query will say why
      }
    }
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
    const file = await this.indexFile(this.fetchUrlFor(source.url), name);
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
