/**
 * File writes with cargo's failure behaviour and wording: Rust's `fs::create_dir_all`
 * (which, unlike Node's recursive mkdir, cannot create a path ending in `/.`), and errors
 * phrased as cargo-util's `failed to write `…``, caused by the OS error as Rust prints it.
 */
import { appendFileSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { constants } from "node:os";
import { dirname } from "node:path";
import { WharfError } from "@wharf/protocol";

// strerror texts (glibc) for the errors a package creation can run into.
const OS_ERROR_TEXT: Record<string, string> = {
  ENOENT: "No such file or directory",
  EACCES: "Permission denied",
  EPERM: "Operation not permitted",
  EEXIST: "File exists",
  ENOTDIR: "Not a directory",
  EISDIR: "Is a directory",
  EROFS: "Read-only file system",
  ENOSPC: "No space left on device",
  ENAMETOOLONG: "File name too long",
  ELOOP: "Too many levels of symbolic links",
};

/** `Display` of a Rust `io::Error` from the OS: `No such file or directory (os error 2)`. */
export function osErrorText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code && OS_ERROR_TEXT[code]) {
    const errno = (constants.errno as Record<string, number | undefined>)[code];
    return errno === undefined ? OS_ERROR_TEXT[code] : `${OS_ERROR_TEXT[code]} (os error ${errno})`;
  }
  return error instanceof Error ? error.message : String(error);
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Rust's parent: lexical, after dropping trailing `/` and `.` components. */
function rustParent(path: string): string | undefined {
  const trimmed = path.replace(/(\/\.?)+$/, "");
  if (trimmed === "" || !trimmed.includes("/")) return trimmed === "" ? undefined : "";
  const parent = dirname(trimmed);
  return parent === trimmed ? undefined : parent;
}

function createDirAllRaw(path: string): void {
  if (path === "") return;
  try {
    mkdirSync(path);
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ENOENT") {
      if (isDir(path)) return;
      throw error;
    }
  }
  const parent = rustParent(path);
  if (parent === undefined) throw Object.assign(new Error("failed to create whole tree"), { code: "EOTHER" });
  createDirAllRaw(parent);
  try {
    mkdirSync(path);
  } catch (error) {
    if (!isDir(path)) throw error;
  }
}

function wrap(message: string, error: unknown): WharfError {
  return new WharfError({ code: "IO", message, cause: new Error(osErrorText(error)) });
}

export function createDirAll(path: string): void {
  try {
    createDirAllRaw(path);
  } catch (error) {
    throw wrap(`failed to create directory \`${path}\``, error);
  }
}

export function writeFile(path: string, contents: string): void {
  try {
    writeFileSync(path, contents);
  } catch (error) {
    throw wrap(`failed to write \`${path}\``, error);
  }
}

export function appendFile(path: string, contents: string): void {
  try {
    appendFileSync(path, contents);
  } catch (error) {
    throw wrap(`failed to write \`${path}\``, error);
  }
}
