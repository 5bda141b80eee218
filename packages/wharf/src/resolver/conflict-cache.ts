/**
 * Learned failures (cargo's `ConflictCache`): "dependency D (with these requested
 * features) had no usable candidate while all of these packages were active". Sound
 * because every rejection reason names an active package (or the parent, for a missing
 * feature), so the same set being active again means the same failure.
 */
import type { ConflictMap } from "./conflict.js";
import type { ResolverContext } from "./resolver-context.js";

export class ConflictCache {
  private readonly byDep = new Map<string, ConflictMap[]>();

  insert(depKey: string, conflicts: ConflictMap): void {
    let list = this.byDep.get(depKey);
    if (list === undefined) {
      list = [];
      this.byDep.set(depKey, list);
    }
    const keys = [...conflicts.keys()].sort().join("\n");
    if (list.some((c) => [...c.keys()].sort().join("\n") === keys)) return;
    list.push(new Map(conflicts));
  }

  /**
   * A recorded conflict for the dependency whose packages are all active now, preferring
   * the one whose newest member is oldest (the longest jump back).
   */
  conflicting(ctx: ResolverContext, depKey: string): ConflictMap | undefined {
    const list = this.byDep.get(depKey);
    if (list === undefined) return undefined;
    let best: ConflictMap | undefined;
    let bestAge = Number.POSITIVE_INFINITY;
    for (const conflicts of list) {
      const age = ctx.isConflicting(undefined, conflicts);
      if (age !== undefined && age < bestAge) {
        best = conflicts;
        bestAge = age;
      }
    }
    return best;
  }
}
