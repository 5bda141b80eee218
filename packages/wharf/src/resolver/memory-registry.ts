/**
 * An in-memory Registry: tests, and callers that already hold every summary (path
 * dependencies, a fully cached index). Answers by package name and source.
 */
import type { SourceId } from "@wharf/protocol";
import type { Registry } from "./registry.js";
import { type DependencySpec, type Summary, sourceKey } from "./summary.js";

export class MemoryRegistry implements Registry {
  private readonly byName = new Map<string, Summary[]>();
  /** how many queries were made, by `name source`: lets tests check the caching */
  readonly queries = new Map<string, number>();

  constructor(summaries: Iterable<Summary> = []) {
    for (const s of summaries) this.add(s);
  }

  add(summary: Summary): void {
    const key = `${summary.id.name} ${sourceKey(summary.id.source)}`;
    let list = this.byName.get(key);
    if (list === undefined) {
      list = [];
      this.byName.set(key, list);
    }
    list.push(summary);
  }

  async query(dep: DependencySpec): Promise<readonly Summary[]> {
    const key = `${dep.name} ${sourceKey(dep.source)}`;
    this.queries.set(key, (this.queries.get(key) ?? 0) + 1);
    return this.byName.get(key) ?? [];
  }

  describeSource(source: SourceId): string {
    return source.kind === "registry" ? `registry \`${source.url}\`` : sourceKey(source);
  }
}
