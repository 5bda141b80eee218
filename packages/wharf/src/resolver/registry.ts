/**
 * The resolver's only window on the world (cargo's `Registry` trait, `QueryKind::Exact`
 * without the poll loop): sources/cache implement it; tests use MemoryRegistry.
 */
import type { SourceId } from "@wharf/protocol";
import type { DependencySpec, Summary } from "./summary.js";

export interface Registry {
  /**
   * Every version of `dep.name` that `dep.source` knows, whether or not it matches
   * `dep.req`, yanked ones included (marked `yanked`). The resolver does the matching, the
   * yank filtering (a yanked version is used only when locked) and the ordering itself,
   * and uses the non-matching versions to explain failures. Return [] for an unknown
   * package; reject (with a WharfError) only for real failures such as a network error.
   * Called at most once per (name, source) per resolve.
   */
  query(dep: DependencySpec): Promise<readonly Summary[]>;
  /** How a source is named in "location searched:" (cargo: `crates.io index`). */
  describeSource?(source: SourceId): string;
}
