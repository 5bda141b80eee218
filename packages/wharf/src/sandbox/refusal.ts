/**
 * Reading a failed job's output for signs that the sandbox refused something (a write to a
 * read-only path, a path that is not bound, no network) and saying, in the user's words,
 * which crate and step hit it and the wharf.toml lines that would allow it. Pure: the
 * caller says which absolute paths exist on the host.
 */
import type { SandboxJob, SandboxResult } from "./sandbox.js";

export type RefusalKind = "write" | "read" | "network";

export interface Refusal {
  kind: RefusalKind;
  /** the output line that shows it */
  line: string;
  /** an absolute path named on that line, if any */
  path?: string | undefined;
}

const WRITE = /Read-only file system|os error 30\b|\bEROFS\b/;
const DENIED = /Permission denied|os error 13\b|\bEACCES\b|Operation not permitted|os error 1\b|\bEPERM\b/;
const NETWORK =
  /Network is unreachable|os error 101\b|\bENETUNREACH\b|Temporary failure in name resolution|failed to lookup address|Name or service not known|Could not resolve host|Connection refused|os error 111\b|\bECONNREFUSED\b/;
const MISSING = /No such file or directory|os error 2\b|\bENOENT\b/;
const PATH = /(\/[A-Za-z0-9._+@%~-][^\s'"`:,;()[\]{}<>]*)/g;

function pathsOn(line: string): string[] {
  return [...line.matchAll(PATH)].map((m) => m[1]!.replace(/[.]+$/, ""));
}

/**
 * Refusals visible in the output. `outsideOnHost(path)` says whether a path exists on the
 * host but was not given to the job (so a "No such file" about it is the sandbox's doing).
 */
export function findRefusals(text: string, outsideOnHost: (path: string) => boolean): Refusal[] {
  const out: Refusal[] = [];
  const seen = new Set<string>();
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.length > 2000) continue;
    let kind: RefusalKind | undefined;
    const paths = pathsOn(line);
    const hidden = paths.find((p) => outsideOnHost(p));
    if (WRITE.test(line)) kind = "write";
    else if (NETWORK.test(line)) kind = "network";
    else if (DENIED.test(line)) kind = hidden !== undefined ? "read" : "write";
    else if (MISSING.test(line) && hidden !== undefined) kind = "read";
    if (kind === undefined) continue;
    const key = `${kind}:${hidden ?? line}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ kind, line, path: kind === "write" ? paths[0] : hidden });
    if (out.length >= 5) break;
  }
  return out;
}

const SIGNALS: Record<number, string> = {
  6: "SIGABRT",
  9: "SIGKILL",
  11: "SIGSEGV",
  24: "SIGXCPU",
  25: "SIGXFSZ",
};

function tomlString(s: string): string {
  return JSON.stringify(s);
}

/** The notes a build error carries for each refusal. */
export function refusalNotes(
  job: SandboxJob,
  result: SandboxResult,
  refusals: readonly Refusal[],
  policyFile: string,
): string[] {
  const crate = job.label?.crate ?? "<crate>";
  const step = job.label?.step ?? "process";
  const notes: string[] = [];
  if (result.timedOut && job.limits.timeoutMs !== undefined)
    notes.push(
      `the sandbox stopped \`${crate}\`'s ${step}: it ran longer than ${Math.round(job.limits.timeoutMs / 1000)}s (wall-clock limit; raise \`[sandbox.limits] timeout\` in $WHARF_HOME/config.toml)`,
    );
  if (result.overQuota && job.limits.diskBytes !== undefined)
    notes.push(
      `the sandbox stopped \`${crate}\`'s ${step}: it wrote more than ${job.limits.diskBytes} bytes into ${job.writeDir} (the disk quota; raise \`[sandbox.limits] disk\` in $WHARF_HOME/config.toml)`,
    );
  // bwrap's init reports a job killed by a signal as exit status 128 + signal
  const sig =
    result.signal ?? (result.code !== null && result.code > 128 ? SIGNALS[result.code - 128] : undefined);
  if (sig === "SIGXFSZ")
    notes.push(`the sandbox stopped \`${crate}\`'s ${step}: it wrote a file larger than the disk quota`);
  if (sig === "SIGXCPU")
    notes.push(
      `the sandbox stopped \`${crate}\`'s ${step}: it used more CPU time than its limit${job.limits.cpuSeconds === undefined ? "" : ` (${job.limits.cpuSeconds}s; raise \`[sandbox.limits] cpu\` in $WHARF_HOME/config.toml)`}`,
    );
  for (const r of refusals) {
    const head = `the sandbox may have refused \`${crate}\`'s ${step}: \`${r.line.slice(0, 300)}\``;
    if (r.kind === "network")
      notes.push(
        `${head}\nthe sandbox has no network; to let this one crate use it, add to ${policyFile}:\n[sandbox.allow.${crate}]\nnetwork = true`,
      );
    else if (r.kind === "read" && r.path !== undefined)
      notes.push(
        `${head}\n${r.path} is not visible in the sandbox; to let this one crate read it, add to ${policyFile}:\n[sandbox.allow.${crate}]\nread = [${tomlString(r.path)}]`,
      );
    else
      notes.push(
        `${head}\na sandboxed ${step} may write only into ${job.writeDir}${job.env.OUT_DIR ? ` (OUT_DIR)` : ""}; no policy line allows writes elsewhere: write into OUT_DIR instead`,
      );
  }
  if (notes.length > 0)
    notes.push("to check whether the sandbox is the cause, run once with `--no-sandbox` (no confinement)");
  return notes;
}
