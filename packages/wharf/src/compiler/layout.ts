/**
 * Where things live under target/ (pure path arithmetic). The public layout is cargo's
 * (`<profile>/deps`, `<profile>/build/<pkg>-<hash>`, `<profile>/<bin>`, `examples/`);
 * Wharf's own bookkeeping is kept apart (`.wharf-fingerprint/`, `.wharf-work/`) and its
 * hashes differ from cargo's, so the two tools never take each other's artifacts.
 */
import { join } from "node:path";
import { crateNameOf, crateTypesOf, isProcMacroUnit, type Unit } from "./unit.js";

export class Layout {
  /** target/<dirName> */
  readonly dest: string;
  readonly deps: string;
  readonly build: string;
  readonly examples: string;
  readonly fingerprints: string;
  readonly work: string;

  constructor(
    readonly targetDir: string,
    dirName: string,
  ) {
    this.dest = join(targetDir, dirName);
    this.deps = join(this.dest, "deps");
    this.build = join(this.dest, "build");
    this.examples = join(this.dest, "examples");
    this.fingerprints = join(this.dest, ".wharf-fingerprint");
    this.work = join(this.dest, ".wharf-work");
  }

  /** `<pkg>-<hash>`: the per-unit directory name */
  unitDirName(unit: Unit): string {
    return `${unit.pkg.name}-${unit.hash}`;
  }

  fingerprintFile(unit: Unit): string {
    const what =
      unit.mode === "run-custom-build"
        ? "run-build-script"
        : `${unit.mode}-${unit.target.kind}-${unit.target.name}`;
    return join(this.fingerprints, this.unitDirName(unit), `${what}.json`);
  }

  /** the one directory a compile job writes: staging output, incremental state, TMPDIR */
  workDir(unit: Unit): string {
    return join(this.work, `${this.unitDirName(unit)}-${unit.mode}`);
  }

  /** where a compile unit's artifacts end up */
  outDir(unit: Unit): string {
    if (unit.target.kind === "custom-build") return join(this.build, this.unitDirName(unit));
    if (unit.target.kind === "example") return this.examples;
    return this.deps;
  }

  /** a build-script run's directory: out/ (OUT_DIR), output, stderr, root-output */
  runDir(unit: Unit): string {
    return join(this.build, this.unitDirName(unit));
  }

  /** the compiled build script executable of a compile unit */
  buildScriptExe(unit: Unit): string {
    return join(this.outDir(unit), "build-script-build");
  }
}

export interface UnitOutputs {
  /** file names (not paths) rustc writes */
  files: string[];
  /** what a dependent passes to `--extern` when it links / when metadata is enough */
  rlib?: string | undefined;
  rmeta?: string | undefined;
  dylib?: string | undefined;
  /** the executable, for bins, examples and build scripts */
  exe?: string | undefined;
}

/** What rustc produces for a compile unit (cargo's `outputs` for Linux targets). */
export function unitOutputs(unit: Unit): UnitOutputs {
  const crate = crateNameOf(unit.target);
  const suffix = `-${unit.hash}`;
  if (unit.mode === "check")
    return { files: [`lib${crate}${suffix}.rmeta`], rmeta: `lib${crate}${suffix}.rmeta` };
  if (unit.target.kind !== "lib" || unit.mode === "test")
    return { files: [`${crate}${suffix}`], exe: `${crate}${suffix}` };
  if (isProcMacroUnit(unit)) return { files: [`lib${crate}${suffix}.so`], dylib: `lib${crate}${suffix}.so` };
  const out: UnitOutputs = { files: [] };
  for (const t of crateTypesOf(unit.target)) {
    if (t === "lib" || t === "rlib") {
      out.rlib = `lib${crate}${suffix}.rlib`;
      out.rmeta = `lib${crate}${suffix}.rmeta`;
      out.files.push(out.rlib, out.rmeta);
    } else if (t === "dylib" || t === "cdylib") {
      out.files.push(`lib${crate}${suffix}.so`);
      if (t === "dylib") out.dylib = `lib${crate}${suffix}.so`;
    } else if (t === "staticlib") out.files.push(`lib${crate}${suffix}.a`);
  }
  // rustc writes the .rmeta only when asked for metadata (libs with rlib output)
  return out;
}

/** The file a dependent `--extern`s: the .so of a proc macro, the rlib when linking, else the rmeta. */
export function externFile(dep: Unit, dependentLinks: boolean): string | undefined {
  const o = unitOutputs(dep);
  if (o.dylib !== undefined && isProcMacroUnit(dep)) return o.dylib;
  if (dep.mode === "check") return o.rmeta;
  return dependentLinks ? (o.rlib ?? o.dylib) : (o.rmeta ?? o.rlib ?? o.dylib);
}

/** Files copied (hard-linked) to target/<profile>/ for requested units (cargo's uplift). */
export function upliftedNames(unit: Unit): { from: string; to: string }[] {
  if (!unit.isRoot || unit.mode !== "build") return [];
  const o = unitOutputs(unit);
  const crate = crateNameOf(unit.target);
  if (unit.target.kind === "bin")
    return o.exe ? [{ from: o.exe, to: unit.target.binName ?? unit.target.name }] : [];
  if (unit.target.kind === "example") return o.exe ? [{ from: o.exe, to: unit.target.name }] : [];
  if (unit.target.kind === "lib") {
    return o.files
      .filter((f) => !f.endsWith(".rmeta"))
      .map((f) => ({ from: f, to: f.replace(`-${unit.hash}`, "") }))
      .filter((x) => x.to !== `lib${crate}`);
  }
  return [];
}
