/**
 * Git sources as Cargo.lock writes them (`git+https://host/repo?branch=main#<commit>`) back
 * to a SourceId and its locked commit, so a run can reuse the commits of the previous lock
 * file (GitSources.pin) and `wharf fetch` can check out exactly what the lock names.
 */
import type { GitReference } from "@wharf/protocol";
import type { GitSourceId, GitSources } from "./git-source.js";

export interface LockedGitSource {
  source: GitSourceId;
  /** the `#commit` fragment, if the lock has one */
  commit?: string | undefined;
}

/** Parses a lock file `source` value; undefined for anything but `git+...`. */
export function parseLockedGitSource(text: string): LockedGitSource | undefined {
  if (!text.startsWith("git+")) return undefined;
  const rest = text.slice("git+".length);
  const hash = rest.indexOf("#");
  const beforeHash = hash < 0 ? rest : rest.slice(0, hash);
  const commit = hash < 0 ? undefined : rest.slice(hash + 1);
  const q = beforeHash.indexOf("?");
  const url = q < 0 ? beforeHash : beforeHash.slice(0, q);
  let reference: GitReference = { kind: "default-branch" };
  // the last of branch/ref, rev and tag wins, as in cargo's GitReference::from_query
  for (const [key, value] of new URLSearchParams(q < 0 ? "" : beforeHash.slice(q + 1))) {
    if (key === "branch" || key === "ref") reference = { kind: "branch", name: value };
    else if (key === "rev") reference = { kind: "rev", rev: value };
    else if (key === "tag") reference = { kind: "tag", name: value };
  }
  return { source: { kind: "git", url, reference }, commit: commit || undefined };
}

/**
 * Pins every git source of a previous lock file to its locked commit. Call it before
 * resolving when the lock file should be kept (every command but generate-lockfile/update).
 */
export function pinLockedGitCommits(
  git: GitSources,
  packages: readonly { source?: string | undefined }[],
): number {
  let pinned = 0;
  for (const pkg of packages) {
    const locked = pkg.source === undefined ? undefined : parseLockedGitSource(pkg.source);
    if (locked?.commit === undefined) continue;
    git.pin(locked.source, locked.commit);
    pinned++;
  }
  return pinned;
}
