/**
 * The few pieces of Rust's `std::path` semantics that `cargo new`/`init` show to users:
 * cargo joins the argument onto the cwd without normalising it and prints that path
 * verbatim, takes the package name from `Path::file_name`, and compares paths by
 * components. Reproducing them keeps our messages byte-identical to cargo's.
 */

/** `PathBuf::join`: an absolute operand replaces the base; otherwise one `/` between them. */
export function rustJoin(base: string, operand: string): string {
  if (operand.startsWith("/")) return operand;
  return base.endsWith("/") ? `${base}${operand}` : `${base}/${operand}`;
}

/** `Path::components` for absolute or relative Unix paths: empty and `.` parts dropped except a leading `.`. */
export function rustComponents(path: string): string[] {
  const parts = path.split("/");
  const out: string[] = [];
  if (path.startsWith("/")) out.push("/");
  parts.forEach((part, index) => {
    if (part === "") return;
    if (part === "." && !(index === 0 && !path.startsWith("/"))) return;
    out.push(part);
  });
  return out;
}

/** `Path::file_name`: the last normal component; none for `/`, `..`-terminated or empty paths. */
export function rustFileName(path: string): string | undefined {
  const last = rustComponents(path).at(-1);
  if (last === undefined || last === "/" || last === ".." || last === ".") return undefined;
  return last;
}

/** `Path == Path`: equal component lists, so `/home/u/.` equals `/home/u/`. */
export function rustPathEq(a: string, b: string): boolean {
  const ca = rustComponents(a);
  const cb = rustComponents(b);
  return ca.length === cb.length && ca.every((c, i) => c === cb[i]);
}

/** `{:?}` of a path string: quoted, with Rust's escapes for quotes, backslashes and controls. */
export function rustDebugString(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\0") out += "\\0";
    else if (code < 0x20 || code === 0x7f) out += `\\u{${code.toString(16)}}`;
    else out += ch;
  }
  return `${out}"`;
}
