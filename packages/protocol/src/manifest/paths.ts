/**
 * Lexical path helpers with cargo's semantics (`normalize_path`: `.` dropped, `..` pops a
 * component but is kept when nothing is left to pop), on POSIX paths. No file system access.
 */

export function normalizePath(path: string): string {
  const absolute = path.startsWith("/");
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (!absolute) out.push("..");
      continue;
    }
    out.push(part);
  }
  const joined = out.join("/");
  return absolute ? `/${joined}` : joined;
}

/** `Path::join`: an absolute second part replaces the first. */
export function joinPath(base: string, rel: string): string {
  if (rel.startsWith("/")) return rel;
  if (rel === "") return base;
  return base.endsWith("/") ? `${base}${rel}` : `${base}/${rel}`;
}

export function parentDir(path: string): string {
  const i = path.replace(/\/+$/, "").lastIndexOf("/");
  if (i <= 0) return "/";
  return path.slice(0, i);
}

export function baseName(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  return trimmed.slice(trimmed.lastIndexOf("/") + 1);
}

/** `Path::file_stem`: the file name without its last extension (a leading dot is not one). */
export function fileStem(path: string): string {
  const name = baseName(path);
  const dot = name.lastIndexOf(".");
  return dot <= 0 ? name : name.slice(0, dot);
}

export function extension(path: string): string | undefined {
  const name = baseName(path);
  const dot = name.lastIndexOf(".");
  return dot <= 0 ? undefined : name.slice(dot + 1);
}

/** `pathdiff::diff_paths` for two absolute, normalized paths. */
export function relativePath(from: string, to: string): string {
  const a = from.split("/").filter(Boolean);
  const b = to.split("/").filter(Boolean);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const up = a.slice(i).map(() => "..");
  return [...up, ...b.slice(i)].join("/");
}

/** Whether `path` is `dir` or lies below it (component-wise, like `Path::starts_with`). */
export function pathStartsWith(path: string, dir: string): boolean {
  const p = path.split("/").filter(Boolean);
  const d = dir.split("/").filter(Boolean);
  return d.length <= p.length && d.every((c, i) => p[i] === c);
}

/** A `file://` URL for an absolute path, percent-encoded as the `url` crate does it. */
export function fileUrl(path: string): string {
  const encoded = path
    .split("/")
    .map((segment) =>
      Array.from(new TextEncoder().encode(segment))
        .map((byte) => {
          const c = String.fromCharCode(byte);
          // the url crate's path-segment set: controls, space, " # < > ? ` { } % and non-ASCII
          if (byte < 0x21 || byte > 0x7e || `"#<>?\`{}%`.includes(c)) {
            return `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
          }
          return c;
        })
        .join(""),
    )
    .join("/");
  return `file://${encoded}`;
}
