/**
 * The real-file-system FileProbe handed to the pure manifest normalizer.
 */
import { readdirSync, statSync } from "node:fs";
import type { DirEntry, FileProbe } from "@wharf/protocol";

export const fsProbe: FileProbe = {
  isFile(path: string): boolean {
    return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
  },
  isDir(path: string): boolean {
    return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
  },
  exists(path: string): boolean {
    return statSync(path, { throwIfNoEntry: false }) !== undefined;
  },
  readDir(path: string): DirEntry[] | undefined {
    try {
      return readdirSync(path, { withFileTypes: true }).map((e) => {
        let isDir = e.isDirectory();
        if (e.isSymbolicLink())
          isDir = statSync(`${path}/${e.name}`, { throwIfNoEntry: false })?.isDirectory() ?? false;
        return { name: e.name, isDir };
      });
    } catch {
      return undefined;
    }
  },
};
