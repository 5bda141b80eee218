/**
 * Profiles (pure): what `[profile.*]` in the workspace root's Cargo.toml and in cargo
 * config mean for one unit. Built-in defaults for dev and release, custom profiles through
 * `inherits`, config over manifest, `[profile.X.package.<name>]` / `"*"` overrides for
 * non-members, and `build-override` for build scripts, proc macros and their dependencies
 * (cargo's dev and release default build-override: opt-level 0, no debuginfo).
 */
import { type TomlProfile, WharfError } from "@wharf/protocol";

export interface Profile {
  name: string;
  /** target/<dirName>: "debug" for dev, else the profile name (or its dir-name) */
  dirName: string;
  optLevel: string;
  /** 0 means none; otherwise the value rustc's `-C debuginfo=` takes */
  debuginfo: string;
  debugAssertions: boolean;
  overflowChecks: boolean;
  /** "false" (off, no bitcode), "off", "true"/"fat", "thin" */
  lto: string;
  codegenUnits?: number | undefined;
  panic: string;
  incremental: boolean;
  strip: string;
  rpath: boolean;
  rustflags: string[];
}

export interface ProfileSources {
  /** `[profile.*]` of the workspace root manifest */
  manifest: ReadonlyMap<string, TomlProfile> | undefined;
  /** `[profile.*]` from cargo config (already converted), which wins over the manifest */
  config: ReadonlyMap<string, TomlProfile>;
}

function defaults(root: "dev" | "release"): Profile {
  return root === "dev"
    ? {
        name: "dev",
        dirName: "debug",
        optLevel: "0",
        debuginfo: "2",
        debugAssertions: true,
        overflowChecks: true,
        lto: "false",
        panic: "unwind",
        incremental: true,
        strip: "none",
        rpath: false,
        rustflags: [],
      }
    : {
        name: "release",
        dirName: "release",
        optLevel: "3",
        debuginfo: "0",
        debugAssertions: false,
        overflowChecks: false,
        lto: "false",
        panic: "unwind",
        incremental: false,
        strip: "none",
        rpath: false,
        rustflags: [],
      };
}

function debugValue(v: boolean | number | string): string {
  if (v === true) return "2";
  if (v === false) return "0";
  if (typeof v === "number") return String(v);
  switch (v) {
    case "none":
      return "0";
    case "limited":
      return "1";
    case "full":
      return "2";
    default:
      return v;
  }
}

function stripValue(v: boolean | string): string {
  if (v === true) return "symbols";
  if (v === false) return "none";
  return v;
}

/** Applies one table's settings on top of `p`; `strip` is tracked so release can default it. */
function apply(p: Profile, t: TomlProfile | undefined, explicit: Set<string>): Profile {
  if (t === undefined) return p;
  const out = { ...p };
  if (t.optLevel !== undefined) out.optLevel = String(t.optLevel);
  if (t.debug !== undefined) {
    out.debuginfo = debugValue(t.debug);
    explicit.add("debug");
  }
  if (t.debugAssertions !== undefined) out.debugAssertions = t.debugAssertions;
  if (t.overflowChecks !== undefined) out.overflowChecks = t.overflowChecks;
  if (t.lto !== undefined) out.lto = t.lto === true ? "true" : t.lto === false ? "false" : t.lto;
  if (t.codegenUnits !== undefined) out.codegenUnits = t.codegenUnits;
  if (t.panic !== undefined) out.panic = t.panic;
  if (t.incremental !== undefined) out.incremental = t.incremental;
  if (t.strip !== undefined) {
    out.strip = stripValue(t.strip);
    explicit.add("strip");
  }
  if (t.rpath !== undefined) out.rpath = t.rpath;
  if (t.rustflags !== undefined) out.rustflags = [...t.rustflags];
  if (t.dirName !== undefined) out.dirName = t.dirName;
  return out;
}

function tableOf(sources: ProfileSources, name: string): TomlProfile[] {
  return [sources.manifest?.get(name), sources.config.get(name)].filter(
    (t): t is TomlProfile => t !== undefined,
  );
}

function inheritsOf(sources: ProfileSources, name: string): string | undefined {
  return sources.config.get(name)?.inherits ?? sources.manifest?.get(name)?.inherits;
}

/** The chain from a built-in root to `name` (cargo's `inherits` walk), checked for cycles. */
function chain(sources: ProfileSources, name: string): { root: "dev" | "release"; names: string[] } {
  const names: string[] = [];
  let current = name;
  for (;;) {
    if (names.includes(current)) {
      throw new WharfError({
        code: "BUILD_PROFILE_CYCLE",
        message: `profile inheritance loop detected with profile \`${current}\` inheriting \`${names[names.length - 1]}\``,
        hint: "fix the `inherits` keys of the profiles",
      });
    }
    names.unshift(current);
    if (current === "dev" || current === "release") return { root: current, names };
    const parent =
      current === "test" ? "dev" : current === "bench" ? "release" : inheritsOf(sources, current);
    if (parent === undefined) {
      const defined = sources.manifest?.has(current) || sources.config.has(current);
      throw new WharfError({
        code: defined ? "BUILD_PROFILE_INHERITS" : "BUILD_PROFILE_UNKNOWN",
        message: defined
          ? `profile \`${current}\` is missing an \`inherits\` directive (\`inherits\` is required for all profiles except \`dev\` or \`release\`)`
          : `profile \`${current}\` is not defined`,
        hint: defined
          ? 'add `inherits = "dev"` or `inherits = "release"`'
          : "define it under [profile] in Cargo.toml",
      });
    }
    current = parent;
  }
}

export interface ProfileFor {
  /** the package's name, for `[profile.X.package.<name>]` */
  packageName: string;
  /** workspace members take no `package."*"` overrides */
  isMember: boolean;
  /** build scripts, proc macros and what they depend on (build-override) */
  forHost: boolean;
}

export interface ResolvedProfiles {
  /** the profile as named on the command line (for "Finished `name` profile") */
  readonly name: string;
  readonly dirName: string;
  readonly base: Profile;
  profileFor(unit: ProfileFor): Profile;
}

export function resolveProfiles(sources: ProfileSources, name: string): ResolvedProfiles {
  const { root, names } = chain(sources, name);
  const explicit = new Set<string>();
  let base = defaults(root);
  const tables: TomlProfile[] = [];
  for (const n of names) {
    for (const t of tableOf(sources, n)) {
      base = apply(base, t, explicit);
      tables.push(t);
    }
  }
  base = { ...base, name };
  // cargo's built-in test and bench profiles share dev's and release's directories
  const builtinDir = name === "test" || name === "bench";
  if (name !== root && !builtinDir && !tables.some((t) => t.dirName !== undefined)) base.dirName = name;
  // cargo strips debuginfo from a profile with no debuginfo unless strip was set
  if (!explicit.has("strip") && base.debuginfo === "0") base = { ...base, strip: "debuginfo" };
  const baseExplicit = new Set(explicit);
  return {
    name,
    dirName: base.dirName,
    base,
    profileFor(unit) {
      let p = base;
      const seen = new Set(baseExplicit);
      if (unit.forHost) {
        // the default build-override: fast builds of build-time code
        p = { ...p, optLevel: "0", debuginfo: "0" };
        for (const t of tables) p = apply(p, t.buildOverride, seen);
      }
      for (const t of tables) {
        const pkg = t.package;
        if (pkg === undefined) continue;
        if (!unit.isMember) p = apply(p, pkg.get("*"), seen);
        p = apply(p, pkg.get(unit.packageName), seen);
      }
      return p;
    },
  };
}

/** The words in "Finished `dev` profile [unoptimized + debuginfo]". */
export function profileDescription(p: Profile): string {
  const words = [p.optLevel === "0" ? "unoptimized" : "optimized"];
  if (p.debuginfo !== "0") words.push("debuginfo");
  return words.join(" + ");
}
