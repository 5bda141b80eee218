/**
 * cargo's package file filter (`PathSource::list_files`): `package.include` and
 * `package.exclude` are gitignore-style patterns relative to the package root; with an
 * include list only matching files are packaged, otherwise everything but excluded paths,
 * and outside a git work tree hidden files and directories (`.*`) are excluded too.
 * Cargo.toml and Cargo.lock at the root always pass. Pure.
 */
import ignore from "ignore";

export interface FileFilterRules {
  include: readonly string[];
  exclude: readonly string[];
  /** the file list comes from git (which already applied .gitignore) */
  fromGit: boolean;
}

/** (path relative to the package root, `/`-separated; whether it is a directory) -> package it? */
export type FileFilter = (relPath: string, isDir: boolean) => boolean;

export function packageFileFilter(rules: FileFilterRules): FileFilter {
  const hasInclude = rules.include.length > 0;
  const exclude = ignore({ allowRelativePaths: true });
  // cargo adds `.*` when it walks the file system itself (rust-lang/cargo#7183)
  if (!hasInclude && !rules.fromGit) exclude.add(".*");
  exclude.add([...rules.exclude]);
  const include = ignore({ allowRelativePaths: true }).add([...rules.include]);
  return (relPath, isDir) => {
    if (relPath === "Cargo.toml" || relPath === "Cargo.lock") return true;
    if (relPath === "") return true;
    if (!hasInclude) return !exclude.ignores(isDir ? `${relPath}/` : relPath);
    // include patterns rarely list directories, so every directory is walked
    if (isDir) return true;
    return include.ignores(relPath);
  };
}
