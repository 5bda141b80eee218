/**
 * The resolver's mutable state (cargo's `ResolverContext` plus `RemainingDeps`). cargo
 * clones persistent maps for every backtrack frame; here every change goes through a
 * method that records its undo on a trail, so a frame is just a trail length and
 * backtracking is undoing to it: O(changes) memory instead of O(frames x graph).
 */
import type { ConflictMap } from "./conflict.js";
import {
  activationsKey,
  type DependencySpec,
  type PackageId,
  packageIdKey,
  type Summary,
} from "./summary.js";

/** One pending dependency of an activated package (cargo's `DepInfo`). */
export interface DepInfo {
  readonly dep: DependencySpec;
  /** matching, allowed candidates in the order they are tried */
  readonly candidates: readonly Summary[];
  /** features requested on the dependency: its own list plus `dep/feat` from the parent */
  readonly features: readonly string[];
  /** identity for the conflict cache: the dependency plus the requested features */
  readonly key: string;
}

/** The not yet visited dependencies of one activation (cargo's `DepsFrame`). */
interface DepsFrame {
  readonly parent: Summary;
  readonly deps: readonly DepInfo[];
  pos: number;
  readonly time: number;
}

export interface ParentEdge {
  readonly id: PackageId;
  readonly deps: DependencySpec[];
}

interface Activation {
  readonly summary: Summary;
  readonly age: number;
}

export class ResolverContext {
  /** grows with every activation attempt; used to order frames for backjumping */
  age = 0;
  private readonly activations = new Map<string, Activation>();
  private readonly links = new Map<string, PackageId>();
  private readonly features = new Map<string, Set<string>>();
  /** child key -> parent key -> the parent and its dependencies that the child satisfies */
  private readonly parents = new Map<string, Map<string, ParentEdge>>();
  private readonly pending: DepsFrame[] = [];
  private time = 0;
  private readonly trail: (() => void)[] = [];

  mark(): number {
    return this.trail.length;
  }

  /** Undo every change made since `mark`. */
  restore(mark: number): void {
    while (this.trail.length > mark) this.trail.pop()!();
  }

  bumpAge(): void {
    this.age += 1;
    this.trail.push(() => {
      this.age -= 1;
    });
  }

  /** The active summary occupying `id`'s semver-compatible slot, if any. */
  activeInSlot(id: PackageId): Summary | undefined {
    return this.activations.get(activationsKey(id))?.summary;
  }

  /** The age at which `id` itself was activated, if it is active. */
  isActive(id: PackageId): number | undefined {
    const found = this.activations.get(activationsKey(id));
    if (found === undefined || packageIdKey(found.summary.id) !== packageIdKey(id)) return undefined;
    return found.age;
  }

  /** cargo's `is_conflicting`: the newest age among parent and conflicts, if all are active. */
  isConflicting(parent: PackageId | undefined, conflicts: ConflictMap): number | undefined {
    let max = 0;
    if (parent !== undefined) {
      const age = this.isActive(parent);
      if (age === undefined) return undefined;
      max = Math.max(max, age);
    }
    for (const { id } of conflicts.values()) {
      const age = this.isActive(id);
      if (age === undefined) return undefined;
      max = Math.max(max, age);
    }
    return max;
  }

  linksHolder(links: string): PackageId | undefined {
    return this.links.get(links);
  }

  activate(summary: Summary): void {
    const key = activationsKey(summary.id);
    this.activations.set(key, { summary, age: this.age });
    this.trail.push(() => this.activations.delete(key));
    const links = summary.links;
    if (links !== undefined) {
      this.links.set(links, summary.id);
      this.trail.push(() => this.links.delete(links));
    }
  }

  featuresOf(id: PackageId): ReadonlySet<string> {
    return this.features.get(packageIdKey(id)) ?? new Set();
  }

  addFeatures(id: PackageId, features: Iterable<string>): void {
    const key = packageIdKey(id);
    let set = this.features.get(key);
    if (set === undefined) {
      const created = new Set<string>();
      set = created;
      this.features.set(key, created);
      this.trail.push(() => this.features.delete(key));
    }
    const target = set;
    for (const feature of features) {
      if (target.has(feature)) continue;
      target.add(feature);
      this.trail.push(() => target.delete(feature));
    }
  }

  link(child: PackageId, parent: PackageId, dep: DependencySpec): void {
    const childKey = packageIdKey(child);
    const parentKey = packageIdKey(parent);
    let byParent = this.parents.get(childKey);
    if (byParent === undefined) {
      const created = new Map<string, ParentEdge>();
      byParent = created;
      this.parents.set(childKey, created);
      this.trail.push(() => this.parents.delete(childKey));
    }
    const edges = byParent;
    let edge = edges.get(parentKey);
    if (edge === undefined) {
      const created: ParentEdge = { id: parent, deps: [] };
      edge = created;
      edges.set(parentKey, created);
      this.trail.push(() => edges.delete(parentKey));
    }
    if (edge.deps.includes(dep)) return;
    const list = edge.deps;
    list.push(dep);
    this.trail.push(() => list.pop());
  }

  /** Parents of `child` with the dependencies linking them, by parent key. */
  parentsOf(child: PackageId): ReadonlyMap<string, ParentEdge> {
    return this.parents.get(packageIdKey(child)) ?? new Map();
  }

  /** Every child -> parent edge, for building the Resolve. */
  allParentEdges(): Iterable<[string, ReadonlyMap<string, ParentEdge>]> {
    return this.parents.entries();
  }

  activeSummaries(): Summary[] {
    return [...this.activations.values()].map((a) => a.summary);
  }

  pushDeps(parent: Summary, deps: readonly DepInfo[]): void {
    if (deps.length === 0) return;
    this.pending.push({ parent, deps, pos: 0, time: this.time });
    this.time += 1;
    this.trail.push(() => {
      this.pending.pop();
      this.time -= 1;
    });
  }

  /** Every dependency still to visit, with its parent. */
  *pendingDeps(): Generator<{ parent: Summary; info: DepInfo }> {
    for (const frame of this.pending) {
      for (let i = frame.pos; i < frame.deps.length; i++)
        yield { parent: frame.parent, info: frame.deps[i]! };
    }
  }

  /**
   * cargo's `pop_most_constrained`: the next dependency of the frame whose next dependency
   * has the fewest candidates, oldest frame first on ties.
   */
  popMostConstrained(): { parent: Summary; info: DepInfo } | undefined {
    let best = -1;
    for (let i = 0; i < this.pending.length; i++) {
      const frame = this.pending[i]!;
      const chosen = best < 0 ? undefined : this.pending[best]!;
      if (chosen === undefined) {
        best = i;
        continue;
      }
      const a = frame.deps[frame.pos]!.candidates.length;
      const b = chosen.deps[chosen.pos]!.candidates.length;
      if (a < b || (a === b && frame.time < chosen.time)) best = i;
    }
    if (best < 0) return undefined;
    const frame = this.pending[best]!;
    const info = frame.deps[frame.pos]!;
    frame.pos += 1;
    this.trail.push(() => {
      frame.pos -= 1;
    });
    if (frame.pos === frame.deps.length) this.removePending(best);
    return { parent: frame.parent, info };
  }

  /** Swap-remove, so exhausted frames do not slow the scan; order is by key, not index. */
  private removePending(index: number): void {
    const last = this.pending.length - 1;
    const removed = this.pending[index]!;
    const moved = this.pending[last]!;
    this.pending[index] = moved;
    this.pending.pop();
    this.trail.push(() => {
      this.pending.push(moved);
      this.pending[index] = removed;
    });
  }
}
