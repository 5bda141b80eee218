import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { findRefusals, refusalNotes } from "./refusal.js";
import type { SandboxJob, SandboxResult } from "./sandbox.js";

const job: SandboxJob = {
  program: "/t/build-script-build",
  args: [],
  cwd: "/src/foo",
  env: { OUT_DIR: "/t/out" },
  reads: [],
  writeDir: "/t",
  limits: { timeoutMs: 5000 },
  label: { crate: "foo-sys", step: "build script run" },
};
const failed: SandboxResult = { code: 101, signal: null, timedOut: false, stdout: "", stderr: "" };

describe("sandbox refusals", () => {
  test("a missing path that exists on the host is a read refusal naming the path", () => {
    const r = findRefusals(
      "thread 'main' panicked: could not open /opt/sdk/include/foo.h: No such file or directory (os error 2)",
      (p) => p === "/opt/sdk/include/foo.h",
    );
    assert.deepEqual(
      r.map((x) => [x.kind, x.path]),
      [["read", "/opt/sdk/include/foo.h"]],
    );
    const notes = refusalNotes(job, failed, r, "/ws/wharf.toml");
    assert.match(notes[0]!, /`foo-sys`'s build script run/);
    assert.match(
      notes[0]!,
      /add to \/ws\/wharf\.toml:\n\[sandbox\.allow\.foo-sys\]\nread = \["\/opt\/sdk\/include\/foo\.h"\]/,
    );
  });

  test("a missing path that is missing on the host too is not blamed on the sandbox", () => {
    assert.deepEqual(
      findRefusals("error: /nope: No such file or directory", () => false),
      [],
    );
  });

  test("read-only file system is a write refusal; no policy line allows writes", () => {
    const r = findRefusals(
      'Error: Os { code: 30, kind: ReadOnlyFilesystem, message: "Read-only file system" }',
      () => false,
    );
    assert.equal(r[0]?.kind, "write");
    assert.match(refusalNotes(job, failed, r, "w.toml")[0]!, /may write only into \/t \(OUT_DIR\)/);
  });

  test("network errors point at `network = true`", () => {
    const r = findRefusals("curl: (6) Could not resolve host: example.com", () => false);
    assert.equal(r[0]?.kind, "network");
    assert.match(refusalNotes(job, failed, r, "w.toml")[0]!, /\[sandbox\.allow\.foo-sys\]\nnetwork = true/);
  });

  test("limits: timeout, quota, CPU (bwrap reports 128 + signal)", () => {
    const notes = refusalNotes(
      { ...job, limits: { timeoutMs: 5000, diskBytes: 10, cpuSeconds: 3 } },
      { ...failed, code: 152, timedOut: true, overQuota: true },
      [],
      "w.toml",
    );
    assert.match(notes.join("\n"), /longer than 5s/);
    assert.match(notes.join("\n"), /more than 10 bytes/);
    assert.match(notes.join("\n"), /more CPU time than its limit \(3s/);
  });
});
