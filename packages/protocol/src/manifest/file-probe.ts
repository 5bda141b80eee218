/**
 * What normalization may ask of the file system, passed in by the caller so this module stays
 * pure: target auto-discovery looks for src/lib.rs, src/bin/*, tests/*, and the readme and
 * build script are found by name.
 */

export interface DirEntry {
  name: string;
  isDir: boolean;
}

export interface FileProbe {
  /** true for an existing regular file (following symlinks), absolute path */
  isFile(path: string): boolean;
  /** true for an existing directory, absolute path */
  isDir(path: string): boolean;
  /** true if anything exists at the path */
  exists(path: string): boolean;
  /** entries of a directory, or undefined when it cannot be read */
  readDir(path: string): DirEntry[] | undefined;
}
