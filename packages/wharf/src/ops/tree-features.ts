/**
 * The feature pass cargo tree runs over a resolve (cargo's feature resolver): the resolve
 * Wharf builds for the lock file has every feature of every member on, but the tree shows
 * what a build with the requested member features would compile. With resolver "2" host
 * dependencies (build scripts' deps, proc-macros) keep features of their own, dependencies
 * for other platforms contribute nothing, and dev-dependencies only count when shown.
 */
import { compareStrings, type Platform } from "@wharf/protocol";
import {
  type DependencySpec,
  type FeatureValue,
  type PackageId,
  packageIdKey,
  parseFeatureValue,
  type Resolve,
  type ResolvedPackage,
} from "../resolver/index.js";
import { platformActiveOnHost } from "./tree-cfg.js";

export interface FeatureOptions {
  /** resolver "2" (or "3"): host/target and dev decoupling, inactive platforms ignored */
  v2: boolean;
  /** dev-dependency edges are part of the output (cargo's HasDevUnits) */
  hasDev: boolean;
  /** `--target all` */
  allTargets: boolean;
  isProcMacro: (id: PackageId) => boolean;
  /** whether a `[target.'…'.dependencies]` entry applies; default: the x86_64 Linux host */
  platformActive?: ((platform: Platform | undefined) => boolean) | undefined;
}

export interface MemberRequest {
  pkg: ResolvedPackage;
  features: readonly string[];
  allFeatures: boolean;
  defaultFeatures: boolean;
}

interface DepEdge {
  pkg: ResolvedPackage;
  dep: DependencySpec;
  forHost: boolean;
}

export class ResolvedFeatures {
  private readonly byKey: Map<string, ResolvedPackage>;
  private readonly features = new Map<string, Set<string>>();
  private readonly activeDeps = new Map<string, Set<string>>();
  private readonly deferredWeak = new Map<string, Set<string>>();
  private readonly processed = new Set<string>();

  constructor(
    resolve: Resolve,
    private readonly options: FeatureOptions,
  ) {
    this.byKey = new Map(resolve.packages.map((p) => [packageIdKey(p.id), p]));
  }

  /** resolver 1 keeps one feature set per package, whatever it is built for */
  private key(pkg: ResolvedPackage, forHost: boolean): string {
    return `${packageIdKey(pkg.id)}|${this.options.v2 && forHost ? "host" : "target"}`;
  }

  activateMembers(members: readonly MemberRequest[]): void {
    for (const m of members) {
      const values: FeatureValue[] = [];
      if (m.allFeatures) {
        for (const name of m.pkg.summary.features.keys()) values.push({ kind: "feature", name });
      } else {
        if (m.defaultFeatures && m.pkg.summary.features.has("default"))
          values.push({ kind: "feature", name: "default" });
        for (const f of m.features) values.push(parseFeatureValue(f));
      }
      this.activatePkg(m.pkg, this.options.isProcMacro(m.pkg.id), values);
    }
  }

  /** sorted as cargo sorts them (byte order) */
  activatedFeatures(pkg: ResolvedPackage, forHost: boolean): string[] {
    return [...(this.features.get(this.key(pkg, forHost)) ?? [])].sort(compareStrings);
  }

  isDepActivated(pkg: ResolvedPackage, forHost: boolean, nameInToml: string): boolean {
    return this.activeDeps.get(this.key(pkg, forHost))?.has(nameInToml) ?? false;
  }

  private deps(pkg: ResolvedPackage, forHost: boolean): DepEdge[] {
    const out: DepEdge[] = [];
    for (const d of pkg.dependencies) {
      const child = this.byKey.get(packageIdKey(d.id));
      if (child === undefined) continue;
      for (const dep of d.deps) {
        const active = this.options.platformActive ?? platformActiveOnHost;
        if (this.options.v2 && !this.options.allTargets && !active(dep.platform)) continue;
        if (this.options.v2 && !this.options.hasDev && dep.kind === "dev") continue;
        const host =
          forHost || (this.options.v2 && (dep.kind === "build" || this.options.isProcMacro(child.id)));
        out.push({ pkg: child, dep, forHost: host });
      }
    }
    return out;
  }

  private activatePkg(pkg: ResolvedPackage, forHost: boolean, values: readonly FeatureValue[]): void {
    const key = this.key(pkg, forHost);
    if (!this.features.has(key)) this.features.set(key, new Set());
    for (const v of values) this.activateValue(pkg, forHost, v);
    if (this.processed.has(key)) return;
    this.processed.add(key);
    for (const e of this.deps(pkg, forHost)) {
      if (e.dep.optional) continue;
      this.activatePkg(e.pkg, e.forHost, this.valuesFromDependency(e.pkg, e.dep));
    }
  }

  private activateValue(pkg: ResolvedPackage, forHost: boolean, v: FeatureValue): void {
    if (v.kind === "feature") this.activateFeature(pkg, forHost, v.name);
    else if (v.kind === "dep") this.activateDependency(pkg, forHost, v.depName);
    else this.activateDepFeature(pkg, forHost, v.depName, v.depFeature, v.weak);
  }

  private activateFeature(pkg: ResolvedPackage, forHost: boolean, name: string): void {
    const key = this.key(pkg, forHost);
    let set = this.features.get(key);
    if (set === undefined) {
      set = new Set();
      this.features.set(key, set);
    }
    if (set.has(name)) return;
    set.add(name);
    for (const value of pkg.summary.features.get(name) ?? []) {
      this.activateValue(pkg, forHost, parseFeatureValue(value));
    }
  }

  private activateDependency(pkg: ResolvedPackage, forHost: boolean, depName: string): void {
    const key = this.key(pkg, forHost);
    let set = this.activeDeps.get(key);
    if (set === undefined) {
      set = new Set();
      this.activeDeps.set(key, set);
    }
    set.add(depName);
    const weakKey = `${key}|${depName}`;
    const deferred = this.deferredWeak.get(weakKey);
    this.deferredWeak.delete(weakKey);
    for (const e of this.deps(pkg, forHost)) {
      if (e.dep.nameInToml !== depName) continue;
      for (const f of deferred ?? []) this.activatePkg(e.pkg, e.forHost, [{ kind: "feature", name: f }]);
      this.activatePkg(e.pkg, e.forHost, this.valuesFromDependency(e.pkg, e.dep));
    }
  }

  private activateDepFeature(
    pkg: ResolvedPackage,
    forHost: boolean,
    depName: string,
    depFeature: string,
    weak: boolean,
  ): void {
    const key = this.key(pkg, forHost);
    for (const e of this.deps(pkg, forHost)) {
      if (e.dep.nameInToml !== depName) continue;
      if (e.dep.optional) {
        if (weak && !(this.activeDeps.get(key)?.has(depName) ?? false)) {
          // `x?/f` waits until something else turns `x` on
          const weakKey = `${key}|${depName}`;
          let set = this.deferredWeak.get(weakKey);
          if (set === undefined) {
            set = new Set();
            this.deferredWeak.set(weakKey, set);
          }
          set.add(depFeature);
          continue;
        }
        this.activateDependency(pkg, forHost, depName);
        // without `?` the old rule applies: a feature named like the dependency turns on too
        if (!weak) this.activateFeature(pkg, forHost, depName);
      }
      this.activatePkg(e.pkg, e.forHost, [{ kind: "feature", name: depFeature }]);
    }
  }

  private valuesFromDependency(child: ResolvedPackage, dep: DependencySpec): FeatureValue[] {
    const values = dep.features.map(parseFeatureValue);
    if (dep.defaultFeatures && child.summary.features.has("default"))
      values.push({ kind: "feature", name: "default" });
    return values;
  }
}
