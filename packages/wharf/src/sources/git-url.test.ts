/**
 * The git URL and reference policy (what may reach the system `git`), the lock file's git
 * source strings read back, and the cache naming and fetch refspecs.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { WharfError } from "@wharf/protocol";
import { gitIdent, refspecsFor } from "./git-database.js";
import { parseLockedGitSource } from "./git-lock.js";
import { checkGitReference, checkGitUrl, redactGitUrl } from "./git-url.js";

function refusedCode(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof WharfError, String(e));
    return e.code;
  }
  return "accepted";
}

describe("checkGitUrl", () => {
  const strict = { allowFile: false };
  test("accepts https, ssh and scp-like ssh", () => {
    assert.equal(checkGitUrl("https://github.com/rust-lang/cargo", strict), "https");
    assert.equal(checkGitUrl("https://git.example.com:8443/a/b.git", strict), "https");
    assert.equal(checkGitUrl("ssh://git@example.com/a/b.git", strict), "ssh");
    assert.equal(checkGitUrl("git@example.com:a/b.git", strict), "ssh");
    assert.equal(checkGitUrl("example.com:a/b", strict), "ssh");
  });

  test("refuses transports that are cleartext, run commands or read as options", () => {
    for (const url of [
      "http://example.com/a",
      "git://example.com/a",
      "ext::sh -c touch% /tmp/pwned",
      "ext::sh",
      "fd::17",
      "-uploadpack=touch /tmp/pwned",
      "--upload-pack=touch",
      "ssh://-oProxyCommand=touch%20pwned/a",
      "ssh://-oProxyCommand=x@example.com/a",
      "-oProxyCommand=x:a/b",
      "git@-oProxyCommand=x:a",
      "ftp://example.com/a",
      "https://exa mple.com/a",
      "https://example.com/a\n-c",
      "C:\\repo",
      "/local/path",
      "relative/path",
    ]) {
      assert.equal(
        refusedCode(() => checkGitUrl(url, strict)),
        "GIT_URL_REFUSED",
        url,
      );
    }
  });

  test("file:// only with the opt-in, and only local paths", () => {
    assert.equal(
      refusedCode(() => checkGitUrl("file:///srv/repo", strict)),
      "GIT_URL_REFUSED",
    );
    assert.equal(checkGitUrl("file:///srv/repo", { allowFile: true }), "file");
    assert.equal(
      refusedCode(() => checkGitUrl("file://host/srv/repo", { allowFile: true })),
      "GIT_URL_REFUSED",
    );
    // the opt-in is for file:// only
    assert.equal(
      refusedCode(() => checkGitUrl("http://example.com/a", { allowFile: true })),
      "GIT_URL_REFUSED",
    );
  });

  test("refuses credentials in the URL and never prints them", () => {
    try {
      checkGitUrl("https://user:s3cret-token@example.com/a", strict);
      assert.fail("accepted a password");
    } catch (e) {
      assert.ok(e instanceof WharfError);
      assert.ok(!e.message.includes("s3cret-token"), e.message);
      assert.match(e.message, /user:\*\*\*@example\.com/);
    }
    assert.equal(
      redactGitUrl("fatal: unable to access 'https://u:tok@h/r': x"),
      "fatal: unable to access 'https://u:***@h/r': x",
    );
  });
});

describe("checkGitReference", () => {
  const url = "https://example.com/a";
  test("accepts plain names, slashes, hex and refs/ revisions", () => {
    for (const reference of [
      { kind: "branch", name: "main" },
      { kind: "branch", name: "feature/x-1.2" },
      { kind: "tag", name: "v1.0.0" },
      { kind: "rev", rev: "0a1b2c3" },
      { kind: "rev", rev: "refs/pull/1/head" },
      { kind: "default-branch" },
    ] as const) {
      checkGitReference(reference, url);
    }
  });
  test("refuses options, refspecs and revision expressions", () => {
    for (const reference of [
      { kind: "branch", name: "--upload-pack=touch x" },
      { kind: "branch", name: "-x" },
      { kind: "branch", name: "main:refs/heads/evil" },
      { kind: "branch", name: "a b" },
      { kind: "branch", name: "a..b" },
      { kind: "branch", name: "refs/*" },
      { kind: "tag", name: "v1^{tree}" },
      { kind: "tag", name: "" },
      { kind: "rev", rev: "HEAD@{1}" },
      { kind: "rev", rev: ":/message" },
      { kind: "rev", rev: "main~1" },
      { kind: "branch", name: "x.lock" },
      { kind: "branch", name: ".hidden" },
    ] as const) {
      assert.equal(
        refusedCode(() => checkGitReference(reference, url)),
        "GIT_REFERENCE_REFUSED",
        JSON.stringify(reference),
      );
    }
  });
});

describe("lock file git sources", () => {
  test("parse back to the source and the locked commit", () => {
    const commit = "b63b3d18a5dcc8f2114f8b25b4424d0a4a7eab1e";
    assert.deepEqual(parseLockedGitSource(`git+https://h/r?branch=feature%2Fx#${commit}`), {
      source: { kind: "git", url: "https://h/r", reference: { kind: "branch", name: "feature/x" } },
      commit,
    });
    assert.deepEqual(parseLockedGitSource(`git+https://h/r#${commit}`), {
      source: { kind: "git", url: "https://h/r", reference: { kind: "default-branch" } },
      commit,
    });
    assert.deepEqual(parseLockedGitSource("git+https://h/r?rev=abc1234"), {
      source: { kind: "git", url: "https://h/r", reference: { kind: "rev", rev: "abc1234" } },
      commit: undefined,
    });
    assert.equal(parseLockedGitSource("registry+https://h/index"), undefined);
  });
});

describe("git cache naming and refspecs", () => {
  test("one database per canonical URL", () => {
    assert.equal(gitIdent("https://github.com/Foo/Bar.git"), gitIdent("https://github.com/foo/bar"));
    assert.notEqual(gitIdent("https://a.example/x"), gitIdent("https://b.example/x"));
    assert.match(gitIdent("https://h/some/repo.git/"), /^repo-[0-9a-f]{16}$/);
    assert.match(gitIdent("https://h/"), /^_empty-[0-9a-f]{16}$/);
  });
  test("refspecs as cargo fetches them", () => {
    assert.deepEqual(refspecsFor({ kind: "branch", name: "dev" }), {
      refspecs: ["+refs/heads/dev:refs/remotes/origin/dev"],
      tags: false,
    });
    assert.deepEqual(refspecsFor({ kind: "tag", name: "v1" }), {
      refspecs: ["+refs/tags/v1:refs/remotes/origin/tags/v1"],
      tags: false,
    });
    assert.deepEqual(refspecsFor({ kind: "default-branch" }), {
      refspecs: ["+HEAD:refs/remotes/origin/HEAD"],
      tags: false,
    });
    assert.deepEqual(refspecsFor({ kind: "rev", rev: "abc1234" }), {
      refspecs: ["+refs/heads/*:refs/remotes/origin/*", "+HEAD:refs/remotes/origin/HEAD"],
      tags: true,
    });
  });
});
