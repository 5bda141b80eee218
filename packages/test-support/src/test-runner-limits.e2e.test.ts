/**
 * Limits on test binaries: an endless loop, a fork bomb and an unbounded allocator (each
 * bounded by itself) are each stopped by their limit with a message naming the binary and
 * the limit, while a well-behaved test binary in the same run still passes; with cgroups,
 * with only rlimits and the process-group watchdog, and through `--sandbox`. Fail-fast
 * stops the run at a runaway with exit 101. `--sandbox` gives the binary no HOME, no
 * credential-like variables and a writable temp dir.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { writeTree } from "./project.js";
import { makeTempHome, WHARF_BIN } from "./run.js";
import { runAsync } from "./run-async.js";
import { RUNAWAYS } from "./test-runner-fixtures.js";

const home = makeTempHome("wharf-limits-");
const dir = join(home.root, "runaways");
writeTree(dir, RUNAWAYS);
after(() => home.cleanup());

const LIMITS = ["--timeout", "3", "--memory-limit", "512MiB", "--process-limit", "64"];

function wharf(args: string[], extraEnv: Record<string, string> = {}) {
  return runAsync(process.execPath, [WHARF_BIN, "test", ...args], {
    cwd: dir,
    env: { ...home.env, RUST_BACKTRACE: "0", WHARF_PROBE_TOKEN: "s3cret", ...extraEnv },
    timeoutMs: 300_000,
  });
}

function stoppedMessages(stderr: string): string[] {
  return stderr
    .split("\n")
    .filter((l) => l.includes("was stopped:"))
    .map((l) => l.trim().replace(/^`[^`]*\/deps\/([a-z]+)-[0-9a-f]{16}`/, "$1"));
}

const EXPECTED = [
  "forks was stopped: it started more than the process limit of 64 processes and threads (--process-limit)",
  "hog was stopped: it used more than the memory limit of 512 MiB (--memory-limit)",
  "spin was stopped: it ran longer than the time limit of 3s (--timeout)",
];

async function runawaysStopped(extraArgs: string[], env: Record<string, string> = {}) {
  const r = await wharf(
    [
      "--no-fail-fast",
      ...LIMITS,
      "--test",
      "fine",
      "--test",
      "forks",
      "--test",
      "hog",
      "--test",
      "spin",
      ...extraArgs,
    ],
    env,
  );
  assert.equal(r.status, 101, r.stderr.slice(-2000));
  assert.deepEqual(stoppedMessages(r.stderr), EXPECTED, r.stderr.slice(-3000));
  // the well-behaved binary ran and passed alongside
  assert.match(r.stderr, /Running tests\/fine\.rs/);
  assert.match(r.stdout, /test fine \.\.\. ok/);
  assert.match(r.stderr, /error: 3 targets failed:\n {4}`--test forks`\n {4}`--test hog`\n {4}`--test spin`/);
}

describe("runaway test binaries are stopped by their limits", () => {
  test("with cgroups (pids and memory controllers)", async () => {
    await runawaysStopped([]);
  });

  test("with rlimits and the process-group watchdog only", async () => {
    await runawaysStopped([], { WHARF_TEST_NO_CGROUPS: "1" });
  });

  test("through --sandbox", async () => {
    await runawaysStopped(["--sandbox"]);
  });

  test("fail-fast stops the run at the first runaway, exit 101", async () => {
    // cargo runs targets in name order: fine, then spin; hog (after fine) is not selected
    const r = await wharf([...LIMITS, "--test", "spin", "--test", "fine"]);
    assert.equal(r.status, 101);
    assert.match(r.stdout, /test fine \.\.\. ok/);
    assert.match(r.stderr, /error: test failed, to rerun pass `--test spin`/);
    assert.deepEqual(stoppedMessages(r.stderr), [EXPECTED[2]]);
  });
});

describe("--sandbox runs the test binary with its own policy", () => {
  test("no HOME, no credential-like variables, a writable temp dir", async () => {
    const inside = await wharf(["--sandbox", "--test", "sandboxed"]);
    assert.equal(inside.status, 0, inside.stdout + inside.stderr.slice(-2000));
    assert.match(inside.stdout, /test result: ok\. 1 passed/);
    // the same test outside the sandbox sees the user's environment
    const outside = await wharf(["--test", "sandboxed"]);
    assert.equal(outside.status, 101);
    assert.match(outside.stdout, /test result: FAILED\. 0 passed; 1 failed/);
  });

  test("wharf run --sandbox: same policy, the program's exit status", async () => {
    const r = await runAsync(process.execPath, [WHARF_BIN, "run", "-q", "--sandbox"], {
      cwd: dir,
      env: home.env,
      timeoutMs: 300_000,
    });
    assert.equal(r.status, 3, r.stderr);
    assert.equal(r.stdout, "HOME=/nonexistent\n");
    const plain = await runAsync(process.execPath, [WHARF_BIN, "run", "-q"], { cwd: dir, env: home.env });
    assert.equal(plain.status, 3);
    assert.equal(plain.stdout, `HOME=${home.env.HOME}\n`);
  });
});
