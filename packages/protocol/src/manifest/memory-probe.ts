/**
 * A FileProbe over a list of file paths held in memory (a .crate's entries), so a manifest
 * inside an archive can be normalized with the same target discovery as one on disk.
 */
import type { DirEntry, FileProbe } from "./file-probe.js";
import { joinPath, normalizePath } from "./paths.js";

export function memoryProbe(root: string, relativeFiles: readonly string[]): FileProbe {
  const files = new Set(relativeFiles.map((f) => normalizePath(joinPath(root, f))));
  const dirs = new Map<string, Map<string, boolean>>();
  const addEntry = (dir: string, name: string, isDir: boolean) => {
    let m = dirs.get(dir);
    if (!m) {
      m = new Map();
      dirs.set(dir, m);
    }
    if (!m.has(name) || isDir) m.set(name, isDir);
  };
  for (const f of files) {
    let child = f;
    let isDir = false;
    while (child.length > root.length) {
      const slash = child.lastIndexOf("/");
      const parent = slash <= 0 ? "/" : child.slice(0, slash);
      addEntry(parent, child.slice(slash + 1), isDir);
      child = parent;
      isDir = true;
    }
  }
  return {
    isFile: (path) => files.has(normalizePath(path)),
    isDir: (path) => dirs.has(normalizePath(path)),
    exists: (path) => files.has(normalizePath(path)) || dirs.has(normalizePath(path)),
    readDir: (path): DirEntry[] | undefined => {
      const m = dirs.get(normalizePath(path));
      return m ? [...m].map(([name, isDir]) => ({ name, isDir })) : undefined;
    },
  };
}
