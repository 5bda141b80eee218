/**
 * Finding the packages of a git checkout as cargo's recursive path source does: walk the
 * tree in file-name order, skipping dot directories (below the top), nested git
 * repositories and `target` next to a Cargo.toml; read every Cargo.toml, ignoring virtual
 * and broken manifests (a repository may hold anything), and follow path dependencies.
 * The first package with a given name and version wins. Unlike cargo, symlinked
 * directories and path dependencies that leave the checkout are never followed.
 */
import { existsSync, lstatSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { type Package, pathStartsWith } from "@wharf/protocol";

export interface DiscoveredPackages {
  packages: Package[];
  /** `skipping duplicate package` messages, cargo-style */
  duplicates: string[];
  /** why manifests could not be read, for the error when nothing was found */
  errors: unknown[];
}

function hasManifest(dir: string): boolean {
  return existsSync(join(dir, "Cargo.toml"));
}

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

/** `load(dir)` reads the package at `dir` and throws for virtual or broken manifests. */
export function discoverPackages(root: string, load: (dir: string) => Package): DiscoveredPackages {
  const found = new Map<string, Package[]>();
  const visited = new Set<string>();
  const errors: unknown[] = [];

  const readNested = (dir: string): void => {
    if (visited.has(dir)) return;
    visited.add(dir);
    if (!hasManifest(dir)) {
      errors.push(new Error(`no Cargo.toml in \`${dir}\``));
      return;
    }
    let pkg: Package;
    try {
      pkg = load(dir);
    } catch (error) {
      errors.push(error);
      return;
    }
    const key = `${pkg.name}@${pkg.version}`;
    const list = found.get(key) ?? [];
    list.push(pkg);
    found.set(key, list);
    for (const dep of pkg.dependencies) {
      if (dep.source.kind !== "path") continue;
      if (!pathStartsWith(dep.source.path, root)) continue;
      readNested(dep.source.path);
    }
  };

  const walk = (dir: string): void => {
    if (dir !== root) {
      const name = dir.slice(dir.lastIndexOf("/") + 1);
      if (name.startsWith(".")) return;
      if (existsSync(join(dir, ".git"))) return;
    }
    const name = dir.slice(dir.lastIndexOf("/") + 1);
    if (name === "target" && hasManifest(join(dir, ".."))) return;
    if (hasManifest(dir)) readNested(dir);
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const entry of entries.sort(byteOrder)) {
      const child = join(dir, entry);
      if (lstatSync(child, { throwIfNoEntry: false })?.isDirectory()) walk(child);
    }
  };

  walk(root);
  const packages: Package[] = [];
  const duplicates: string[] = [];
  for (const [key, list] of found) {
    packages.push(list[0]!);
    const ignored = list.slice(1).filter((p) => p.publish === null);
    if (ignored.length > 0) {
      duplicates.push(
        `skipping duplicate package${ignored.length === 1 ? "" : "s"} \`${key}\`:\n${ignored
          .map((p) => `  ${p.manifestPath}`)
          .join("\n")}\nin favor of ${list[0]!.manifestPath}`,
      );
    }
  }
  return { packages, duplicates, errors };
}
