/**
 * cargo's dependency resolver (`activate_deps_loop`): depth-first activation, candidates
 * tried newest first (locked ones before them), at most one version per semver-compatible
 * range and source, at most one package per `links` value, optional dependencies only
 * through features, dev-dependencies only for roots. On failure it backjumps to the most
 * recent choice that could change the outcome and remembers the failure in a conflict
 * cache. Iterative throughout: the depth of the graph never touches the call stack.
 */
import { formatRequirement, WharfError } from "@wharf/protocol";
import { activationError } from "./activation-error.js";
import { CandidateQueryer, parseRustVersion } from "./candidates.js";
import type { ConflictMap } from "./conflict.js";
import { ConflictCache } from "./conflict-cache.js";
import type { Registry } from "./registry.js";
import { type RequirementsOptions, resolveRequirements } from "./requirements.js";
import type { ResolveOptions } from "./resolve-options.js";
import { buildResolve, checkCycles, type Resolve } from "./resolve-result.js";
import { type DepInfo, ResolverContext } from "./resolver-context.js";
import { type DependencySpec, formatPackageId, packageIdKey, type Summary, sourceKey } from "./summary.js";

/** cargo's `RemainingCandidates`: walks the list, skipping candidates the context rules out. */
class RemainingCandidates {
  private pos = 0;
  private lookahead: Summary | undefined;

  constructor(private readonly list: readonly Summary[]) {}

  clone(): RemainingCandidates {
    const copy = new RemainingCandidates(this.list);
    copy.pos = this.pos;
    copy.lookahead = this.lookahead;
    return copy;
  }

  /**
   * The next usable candidate and whether another usable one follows (so a backtrack frame
   * is only saved when there is something to come back to). Every skip records why.
   */
  next(
    conflicts: ConflictMap,
    ctx: ResolverContext,
  ): { candidate: Summary; hasAnother: boolean } | undefined {
    while (this.pos < this.list.length) {
      const b = this.list[this.pos++]!;
      const active = ctx.activeInSlot(b.id);
      if (active !== undefined && packageIdKey(active.id) !== packageIdKey(b.id)) {
        const key = packageIdKey(active.id);
        if (!conflicts.has(key)) conflicts.set(key, { id: active.id, reason: { kind: "semver" } });
        continue;
      }
      if (b.links !== undefined) {
        const holder = ctx.linksHolder(b.links);
        if (holder !== undefined && packageIdKey(holder) !== packageIdKey(b.id)) {
          const key = packageIdKey(holder);
          if (!conflicts.has(key))
            conflicts.set(key, { id: holder, reason: { kind: "links", links: b.links } });
          continue;
        }
      }
      const previous = this.lookahead;
      this.lookahead = b;
      if (previous !== undefined) return { candidate: previous, hasAnother: true };
    }
    const last = this.lookahead;
    this.lookahead = undefined;
    return last === undefined ? undefined : { candidate: last, hasAnother: false };
  }
}

interface BacktrackFrame {
  readonly mark: number;
  readonly age: number;
  readonly remaining: RemainingCandidates;
  readonly parent: Summary;
  readonly info: DepInfo;
  readonly conflicts: ConflictMap;
}

type ActivateOutcome =
  | { kind: "frame"; parent: Summary; deps: DepInfo[] }
  | { kind: "already-active" }
  | { kind: "conflict"; conflicts: ConflictMap };

function depKey(dep: DependencySpec, features: readonly string[]): string {
  return [
    dep.name,
    sourceKey(dep.source),
    formatRequirement(dep.req),
    dep.defaultFeatures ? "default" : "no-default",
    features.join(","),
  ].join("\u0000");
}

class Resolver {
  readonly ctx = new ResolverContext();
  readonly cache = new ConflictCache();
  readonly backtrackStack: BacktrackFrame[] = [];

  constructor(readonly queryer: CandidateQueryer) {}

  /** cargo's `activate`: link, flag active, and work out the new package's dependencies. */
  async activate(
    parent: { summary: Summary; dep: DependencySpec } | undefined,
    candidate: Summary,
    options: RequirementsOptions,
  ): Promise<ActivateOutcome> {
    const ctx = this.ctx;
    ctx.bumpAge();
    if (parent !== undefined) ctx.link(candidate.id, parent.summary.id, parent.dep);
    if (this.flagActivated(candidate, options)) return { kind: "already-active" };
    const reqs = resolveRequirements(candidate, parent === undefined, options);
    if (!reqs.ok) {
      if (reqs.kind === "fatal" || parent === undefined) {
        throw new WharfError({ code: "RESOLVE_FEATURE", message: reqs.kind === "fatal" ? reqs.message : "" });
      }
      const conflicts: ConflictMap = new Map();
      conflicts.set(packageIdKey(parent.summary.id), { id: parent.summary.id, reason: reqs.reason });
      return { kind: "conflict", conflicts };
    }
    const deps: DepInfo[] = [];
    for (const { dep, features } of reqs.deps) {
      const key = depKey(dep, features);
      deps.push({ dep, features, key, candidates: await this.queryer.candidates(dep, key) });
    }
    // Fewest candidates first: failures surface early and cheaply (cargo does the same).
    deps.sort((a, b) => a.candidates.length - b.candidates.length);
    ctx.addFeatures(candidate.id, reqs.features);
    return { kind: "frame", parent: candidate, deps };
  }

  /** cargo's `flag_activated`: true when the package is active with every requested feature. */
  private flagActivated(summary: Summary, options: RequirementsOptions): boolean {
    const ctx = this.ctx;
    const active = ctx.activeInSlot(summary.id);
    if (active === undefined) {
      if (summary.links !== undefined && ctx.linksHolder(summary.links) !== undefined) {
        // Only roots get here (candidates are filtered): two members with one links value.
        throw new WharfError({
          code: "RESOLVE_LINKS_DUPLICATE",
          message: `Attempting to resolve a dependency with more than one crate with links=${summary.links}.\nThis will not build as is. Consider rebuilding the .lock file.`,
        });
      }
      ctx.activate(summary);
      return false;
    }
    const requested = options.features;
    if (requested.kind === "cli") return false;
    const prev = ctx.featuresOf(summary.id);
    return (
      requested.features.every((f) => prev.has(f)) &&
      (!requested.defaultFeatures || prev.has("default") || !summary.features.has("default"))
    );
  }

  /** cargo's `find_candidate`: the frame to resume, popping the ones that cannot help. */
  findCandidate(
    parent: Summary,
    backtracked: boolean,
    conflicts: ConflictMap,
  ): { frame: BacktrackFrame; candidate: Summary; hasAnother: boolean } | undefined {
    const age = backtracked ? undefined : this.ctx.isConflicting(parent.id, conflicts);
    let frame: BacktrackFrame | undefined;
    if (age !== undefined) {
      for (;;) {
        frame = this.backtrackStack.pop();
        if (frame === undefined || frame.age < age) break;
      }
    } else {
      frame = this.backtrackStack.pop();
    }
    if (frame === undefined) return undefined;
    this.ctx.restore(frame.mark);
    const next = frame.remaining.next(frame.conflicts, this.ctx);
    if (next === undefined) throw new Error("resolver bug: a backtrack frame without another candidate");
    return { frame, ...next };
  }

  /** Whether findCandidate would find a frame, without popping anything. */
  canBacktrack(parent: Summary, backtracked: boolean, conflicts: ConflictMap): boolean {
    if (this.backtrackStack.length === 0) return false;
    const age = backtracked ? undefined : this.ctx.isConflicting(parent.id, conflicts);
    if (age === undefined) return true;
    return this.backtrackStack.some((f) => f.age < age);
  }

  async run(): Promise<void> {
    const ctx = this.ctx;
    for (;;) {
      const popped = ctx.popMostConstrained();
      if (popped === undefined) return;
      let { parent, info } = popped;
      const failing = { parent, info };
      let remaining = new RemainingCandidates(info.candidates);
      let conflicts: ConflictMap = new Map();
      let backtracked = false;
      for (;;) {
        let picked = remaining.next(conflicts, ctx);
        if (picked === undefined) {
          if (!backtracked) this.cache.insert(info.key, conflicts);
          const mark = ctx.mark();
          const found = this.findCandidate(parent, backtracked, conflicts);
          if (found === undefined) {
            ctx.restore(mark);
            throw await activationError({
              ctx,
              queryer: this.queryer,
              parent: failing.parent,
              dep: failing.info.dep,
              conflicts,
              candidates: failing.info.candidates,
            });
          }
          ({ parent, info, conflicts } = found.frame);
          remaining = found.frame.remaining;
          failing.parent = parent;
          failing.info = info;
          backtracked = true;
          picked = { candidate: found.candidate, hasAnother: found.hasAnother };
        }
        const { candidate, hasAnother } = picked;
        const mark = ctx.mark();
        const frame: BacktrackFrame | undefined = hasAnother
          ? { mark, age: ctx.age, remaining: remaining.clone(), parent, info, conflicts: new Map(conflicts) }
          : undefined;
        const outcome = await this.activate({ summary: parent, dep: info.dep }, candidate, {
          devDeps: false,
          features: { kind: "dep", features: info.features, defaultFeatures: info.dep.defaultFeatures },
        });
        let activated = false;
        if (outcome.kind === "already-active") {
          activated = true;
        } else if (outcome.kind === "conflict") {
          for (const [k, v] of outcome.conflicts) conflicts.set(k, v);
        } else {
          // Look ahead: a new dependency already known to fail with what is active now
          // condemns this candidate without descending into it.
          let known: ConflictMap | undefined;
          for (const dep of outcome.deps) {
            known = this.cache.conflicting(ctx, dep.key);
            if (known !== undefined) break;
          }
          const candidateKey = packageIdKey(candidate.id);
          if (known !== undefined) {
            for (const [k, v] of known) if (k !== candidateKey && !conflicts.has(k)) conflicts.set(k, v);
          }
          // With nowhere left to go, activate anyway so the real failure is reported.
          const forErrorMessage =
            known !== undefined && !hasAnother && !this.canBacktrack(parent, backtracked, conflicts);
          if (forErrorMessage) this.backtrackStack.length = 0;
          if (known === undefined || forErrorMessage) {
            ctx.pushDeps(outcome.parent, outcome.deps);
            activated = true;
          }
        }
        if (activated) {
          if (frame !== undefined) this.backtrackStack.push(frame);
          break;
        }
        ctx.restore(mark);
      }
    }
  }
}

/** Resolve the roots' dependency graph against `registry` (cargo's `resolve`). */
export async function resolve(registry: Registry, options: ResolveOptions): Promise<Resolve> {
  const rustVersions: number[][] = [];
  for (const text of options.rustVersions ?? []) {
    const parsed = parseRustVersion(text);
    if (parsed !== undefined) rustVersions.push(parsed);
  }
  const queryer = new CandidateQueryer(registry, {
    locked: new Set((options.locked ?? []).map(packageIdKey)),
    minimalVersions: options.minimalVersions ?? false,
    rustVersions,
    precise: options.precise,
    patches: options.patches,
  });
  const resolver = new Resolver(queryer);
  for (const root of options.roots) {
    const outcome = await resolver.activate(undefined, root.summary, {
      devDeps: root.devDeps ?? true,
      features: {
        kind: "cli",
        features: root.features ?? [],
        allFeatures: root.allFeatures ?? true,
        defaultFeatures: root.defaultFeatures ?? true,
      },
    });
    if (outcome.kind === "frame") resolver.ctx.pushDeps(outcome.parent, outcome.deps);
    else if (outcome.kind === "conflict") {
      throw new Error(`resolver bug: root ${formatPackageId(root.summary.id)} reported a conflict`);
    }
  }
  await resolver.run();
  const result = buildResolve(resolver.ctx);
  checkCycles(result);
  return result;
}
