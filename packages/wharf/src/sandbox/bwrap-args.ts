/**
 * The bubblewrap command line for one job (pure: the host facts come in as data). An
 * allow-list filesystem: /usr and the top-level /bin, /lib* symlinks (or read-only binds where
 * they are real directories), the few /etc files compilers and linkers read, the toolchain,
 * then the job's declared reads at the same paths, and last its one writable directory; all
 * namespaces new (no network unless granted), user namespaces disabled inside, every
 * capability dropped (root would otherwise remount / writable), /proc/sys read-only, a
 * size-limited /tmp, a cleared environment and a HOME that does not exist.
 */
import { resolve } from "node:path";
import type { SandboxJob } from "./sandbox.js";

export interface BwrapHost {
  /** top-level entries like /bin: "symlink" with its target, "dir", or absent */
  topLevel: ReadonlyMap<string, { kind: "symlink"; target: string } | { kind: "dir" }>;
  /** system paths that exist on this host (from SYSTEM_READS / NETWORK_READS) */
  existing: ReadonlySet<string>;
  /** bwrap supports --disable-userns (0.8+) */
  disableUserns: boolean;
}

/** Top-level directories that hold programs and libraries on Linux distributions. */
export const TOP_LEVEL = ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"] as const;

/** What a compiler, a linker and a typical build script read in /etc. */
export const SYSTEM_READS = [
  "/etc/alternatives",
  "/etc/ld.so.cache",
  "/etc/ld.so.conf",
  "/etc/ld.so.conf.d",
  "/etc/passwd",
  "/etc/group",
  "/etc/localtime",
  "/etc/pkg-config",
] as const;

/** Added only for a crate granted network access: name resolution and CA certificates. */
export const NETWORK_READS = [
  "/etc/resolv.conf",
  "/etc/hosts",
  "/etc/nsswitch.conf",
  "/etc/host.conf",
  "/etc/gai.conf",
  "/etc/ssl",
  "/etc/ca-certificates",
  "/etc/pki",
] as const;

/** HOME inside the sandbox: a path that does not exist, so ~ expands to nothing readable. */
export const SANDBOX_HOME = "/nonexistent/wharf-sandbox-home";

export const DEFAULT_TMP_BYTES = 512 * 1024 * 1024;

function covered(path: string, by: readonly string[]): boolean {
  return by.some((b) => path === b || path.startsWith(b.endsWith("/") ? b : `${b}/`));
}

/** Paths to bind read-only: de-duplicated, nested ones dropped, parents first. */
export function readBinds(paths: readonly string[], writeDir: string): string[] {
  const abs = [...new Set(paths.map((p) => resolve(p)))].sort(
    (a, b) => a.length - b.length || (a < b ? -1 : 1),
  );
  const out: string[] = [];
  for (const p of abs) {
    if (p === "/" || covered(p, out)) continue;
    // the writable dir is bound last; a read path inside it adds nothing
    if (covered(p, [writeDir])) continue;
    out.push(p);
  }
  return out;
}

/** The directories between `root` and each bind target, parents first, not inside a bind. */
export function skeleton(binds: readonly string[], root: string): string[] {
  const out = new Set<string>();
  for (const b of binds) {
    if (!covered(b, [root]) || b === root) continue;
    const parts = b.slice(root.length + 1).split("/");
    for (let i = 1; i < parts.length; i++) {
      const d = `${root}/${parts.slice(0, i).join("/")}`;
      if (binds.some((o) => o !== b && covered(d, [o]))) break;
      out.add(d);
    }
  }
  return [...out].sort((x, y) => x.split("/").length - y.split("/").length || (x < y ? -1 : 1));
}

export interface BwrapArgsInput {
  job: SandboxJob;
  host: BwrapHost;
  /** where the toolchain lives (sysroot), always readable */
  toolchain: readonly string[];
  tmpBytes?: number | undefined;
}

export function bwrapArgs(input: BwrapArgsInput): string[] {
  const { job, host } = input;
  const network = job.grants?.network === true;
  const a: string[] = ["--unshare-all", "--unshare-user"];
  if (host.disableUserns) a.push("--disable-userns");
  if (network) a.push("--share-net");
  a.push("--die-with-parent", "--new-session", "--cap-drop", "ALL");
  a.push("--ro-bind", "/usr", "/usr");
  for (const top of TOP_LEVEL) {
    const t = host.topLevel.get(top);
    if (t === undefined) continue;
    if (t.kind === "symlink") a.push("--symlink", t.target, top);
    else a.push("--ro-bind", top, top);
  }
  const system = [...SYSTEM_READS, ...(network ? NETWORK_READS : [])].filter((p) => host.existing.has(p));
  for (const p of system) a.push("--ro-bind", p, p);
  a.push("--proc", "/proc", "--ro-bind", "/proc/sys", "/proc/sys", "--dev", "/dev");
  a.push("--size", String(input.tmpBytes ?? DEFAULT_TMP_BYTES), "--tmpfs", "/tmp");
  const writeDir = resolve(job.writeDir);
  const reads = readBinds(
    [...input.toolchain, job.program, ...job.reads, ...(job.grants?.read ?? [])].filter(
      (p) => !covered(resolve(p), ["/usr"]),
    ),
    writeDir,
  );
  // bind targets under the writable /tmp get read-only parents, so nothing can be written
  // next to them (the sandbox's root is remounted read-only; /tmp is not)
  for (const d of skeleton([...reads, writeDir], "/tmp")) a.push("--perms", "0555", "--dir", d);
  // a path that vanished between planning and running is skipped, not fatal
  for (const p of reads) a.push("--ro-bind-try", p, p);
  a.push("--bind", writeDir, writeDir);
  a.push("--remount-ro", "/");
  a.push("--clearenv");
  const env: Record<string, string> = { HOME: SANDBOX_HOME, ...job.env };
  for (const k of Object.keys(env).sort()) a.push("--setenv", k, env[k]!);
  a.push("--chdir", job.cwd);
  a.push("--", job.program, ...job.args);
  return a;
}
