/**
 * `wharf clean`: remove the whole target directory, one profile's directory, or with `-p`
 * only the named packages' artifacts (their deps/ files, build/ directories, Wharf
 * fingerprints and work directories), as cargo clean does.
 */
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { CliContext } from "../cli/context.js";
import { resolveProfiles } from "../compiler/index.js";
import { profileFromConfig } from "./build-settings.js";
import { loadConfigFor, loadWorkspaceFor, targetDirOf } from "./load.js";

export interface CleanOptions {
  manifestPath?: string | undefined;
  packages: readonly string[];
  profile?: string | undefined;
  targetDir?: string | undefined;
  dryRun: boolean;
}

function countFiles(path: string): number {
  if (!existsSync(path)) return 0;
  let n = 0;
  const stack = [path];
  while (stack.length > 0) {
    const p = stack.pop()!;
    try {
      for (const e of readdirSync(p, { withFileTypes: true })) {
        if (e.isDirectory()) stack.push(join(p, e.name));
        else n++;
      }
    } catch {
      n++;
    }
  }
  return n;
}

export async function clean(ctx: CliContext, options: CleanOptions): Promise<void> {
  const config = loadConfigFor(ctx);
  const ws = loadWorkspaceFor(ctx, config, options.manifestPath);
  const targetDir = options.targetDir ?? targetDirOf(ws, config);
  const remove: string[] = [];
  const rootPkg = ws.members.find((m) => m.manifestPath === ws.rootManifest);
  const dirOf = (profile: string) =>
    resolveProfiles(
      {
        manifest: rootPkg?.profiles,
        config: new Map([...config.config.profile].map(([name, p]) => [name, profileFromConfig(p.table)])),
      },
      profile,
    ).dirName;
  if (options.packages.length === 0) {
    remove.push(options.profile === undefined ? targetDir : join(targetDir, dirOf(options.profile)));
  } else {
    const dirs = options.profile === undefined ? ["debug", "release"] : [dirOf(options.profile)];
    for (const spec of options.packages) {
      const name = spec.split("@")[0]!;
      const crate = name.replace(/-/g, "_");
      for (const d of dirs) {
        const dest = join(targetDir, d);
        for (const sub of ["build", ".wharf-fingerprint", ".wharf-work", ".fingerprint"]) {
          const dir = join(dest, sub);
          if (!existsSync(dir)) continue;
          for (const e of readdirSync(dir)) if (e.startsWith(`${name}-`)) remove.push(join(dir, e));
        }
        const deps = join(dest, "deps");
        if (existsSync(deps)) {
          for (const e of readdirSync(deps)) {
            if (e.startsWith(`lib${crate}-`) || e.startsWith(`${crate}-`)) remove.push(join(deps, e));
          }
        }
        for (const e of existsSync(dest) ? readdirSync(dest) : []) {
          if (e === name || e === `${name}.d` || e === `lib${crate}.rlib` || e === `lib${crate}.d`)
            remove.push(join(dest, e));
        }
      }
    }
  }
  const files = remove.reduce((n, p) => n + countFiles(p), 0);
  if (!options.dryRun) for (const p of remove) rmSync(p, { recursive: true, force: true });
  if (files > 0 || options.dryRun) {
    ctx.shell.status(options.dryRun ? "Summary" : "Removed", `${files} file${files === 1 ? "" : "s"}`);
  }
}
