/**
 * Which git URLs and references wharf hands to the system `git`. Everything here comes
 * from a Cargo.toml or Cargo.lock someone else wrote, and git reads some URL shapes as
 * commands (`ext::sh -c ...`), options (`-uploadpack=...`, `ssh://-oProxyCommand=...`) or
 * plain-text transports (`http://`, `git://`): only https and ssh pass, file only when the
 * user opted in; a reference must be a plain ref name or a hex commit, never a refspec.
 */
import { type GitReference, WharfError } from "@wharf/protocol";

export type GitTransport = "https" | "ssh" | "file";

export interface GitUrlPolicy {
  /** file:// URLs (and only those) are allowed: WHARF_ALLOW_FILE_GIT=1 */
  allowFile: boolean;
}

/** The text with the password of every URL in it replaced, fit for messages. */
export function redactGitUrl(text: string): string {
  return text.replace(/(:\/\/[^/@:\s]*):[^/@\s]*@/g, "$1:***@");
}

function refused(url: string, reason: string, hint: string): WharfError {
  return new WharfError({
    code: "GIT_URL_REFUSED",
    message: `git URL \`${redactGitUrl(url)}\` is refused: ${reason}`,
    hint,
  });
}

const SAFE_HOST = /^[A-Za-z0-9._~%-]+$|^\[[0-9A-Fa-f:.]+\]$/;
const SAFE_USER = /^[A-Za-z0-9._~%+-]*$/;
/** scp-like `user@host:path` (git's own shorthand for ssh) */
const SCP_LIKE = /^(?:([^@/:]+)@)?([^@/:[\]]+|\[[^\]]+\]):(?!\/\/)(.+)$/;

/** Checks `url` against the transport policy and returns the transport it uses. */
export function checkGitUrl(url: string, policy: GitUrlPolicy): GitTransport {
  const https = "use an `https://` URL (or `ssh://`) for git dependencies";
  if (url.startsWith("-")) throw refused(url, "it starts with `-` and git would read it as an option", https);
  if (/^ext::/i.test(url) || /^[a-z0-9+.-]+::/i.test(url)) {
    throw refused(url, "remote helpers (`<transport>::<address>`) run arbitrary commands", https);
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u0020\u007f\\]/.test(url)) {
    throw refused(url, "it contains whitespace, control characters or backslashes", https);
  }
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    const scp = SCP_LIKE.exec(url);
    if (!scp) throw refused(url, "it is not an https, ssh or file URL", https);
    const [, user = "", host = "", path = ""] = scp;
    if (host.startsWith("-") || user.startsWith("-") || path.startsWith("-")) {
      throw refused(url, "a part of it starts with `-` and ssh would read it as an option", https);
    }
    if (!SAFE_HOST.test(host) || !SAFE_USER.test(user)) {
      throw refused(url, "its host or user name has characters a host name cannot have", https);
    }
    return "ssh";
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new WharfError({
      code: "GIT_URL_REFUSED",
      message: `git URL \`${redactGitUrl(url)}\` is not a valid URL`,
      cause,
    });
  }
  switch (scheme) {
    case "https":
    case "ssh":
    case "git+ssh":
    case "ssh+git": {
      const host = parsed.hostname;
      if (host === "" || host.startsWith("-") || parsed.username.startsWith("-")) {
        throw refused(url, "its host or user name is empty or starts with `-`", https);
      }
      if (!SAFE_HOST.test(host)) throw refused(url, "its host has characters a host name cannot have", https);
      if (parsed.password !== "") {
        throw refused(
          url,
          "it carries a password or token, which would be written into Cargo.lock",
          "remove the credentials from the URL and use a git credential helper or an ssh key",
        );
      }
      return scheme === "https" ? "https" : "ssh";
    }
    case "file":
      if (!policy.allowFile) {
        throw refused(
          url,
          "file:// git sources are disabled",
          "set WHARF_ALLOW_FILE_GIT=1 to allow git dependencies from local repositories",
        );
      }
      if (parsed.host !== "" && parsed.host !== "localhost") {
        throw refused(url, "a file URL must name a local path (`file:///path`)", https);
      }
      return "file";
    case "http":
      throw refused(url, "plain http is readable and writable by anyone on the network path", https);
    case "git":
      throw refused(url, "the git:// protocol is unauthenticated and unencrypted", https);
    default:
      throw refused(url, `the \`${scheme}\` scheme is not allowed (only https and ssh)`, https);
  }
}

/** `git check-ref-format` rules for one branch or tag name, plus no leading `-`. */
function refNameProblem(name: string): string | undefined {
  if (name === "") return "it is empty";
  if (name.startsWith("-")) return "it starts with `-`";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u0020\u007f~^:?*[\\]/.test(name))
    return "it contains a space, control character or one of ~^:?*[\\";
  if (name.includes("..") || name.includes("@{") || name.includes("//"))
    return "it contains `..`, `@{` or `//`";
  if (name === "@" || name.endsWith("/") || name.endsWith(".") || name.endsWith(".lock")) {
    return "it ends with `/`, `.` or `.lock` (or is `@`)";
  }
  if (name.startsWith("/") || name.split("/").some((part) => part.startsWith("."))) {
    return "a component starts with `.` or `/`";
  }
  return undefined;
}

const HEX_REV = /^[0-9a-fA-F]{4,40}$/;

export function isFullCommit(rev: string): boolean {
  return /^[0-9a-f]{40}$/.test(rev);
}

/** Refuses references git could read as options, refspecs or revision expressions. */
export function checkGitReference(reference: GitReference, url: string): void {
  let kind: string;
  let value: string;
  switch (reference.kind) {
    case "default-branch":
      return;
    case "branch":
      kind = "branch";
      value = reference.name;
      break;
    case "tag":
      kind = "tag";
      value = reference.name;
      break;
    case "rev":
      kind = "rev";
      value = reference.rev;
      if (HEX_REV.test(value)) return;
      break;
  }
  const problem = refNameProblem(value);
  if (problem !== undefined) {
    throw new WharfError({
      code: "GIT_REFERENCE_REFUSED",
      message: `git ${kind} \`${value}\` of \`${redactGitUrl(url)}\` is refused: ${problem}`,
      hint: "use a plain branch or tag name, or a commit hash for `rev`",
    });
  }
}
