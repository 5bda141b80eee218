/**
 * Hostile build scripts and a hostile proc macro built by `wharf build` with the sandbox on
 * (the default, no flag): each attack is contained and reported. After each build: the
 * planted secrets (a fake ~/.ssh/id_rsa, WHARF_HOME and CARGO_HOME credentials, secret
 * environment variables) appear in no output and in no file under target/, nothing outside
 * the target dir changed (trees hashed before and after), no connection reached the TCP
 * listener on 127.0.0.1 or the unix socket, and no process the crate started is left.
 * Limits come from the trusted $WHARF_HOME/config.toml ([sandbox.limits]); a project's
 * `[sandbox] enabled = false` is ignored with a warning.
 */
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { writeTree } from "./project.js";
import { makeTempHome, type RunResult, WHARF_BIN } from "./run.js";
import { runAsync } from "./run-async.js";
import { type HostileTargets, hostileApp, hostileCrates } from "./sandbox-fixtures.js";
import { generatePrivateKeyPem, pemBody } from "./test-keys.js";

const home = makeTempHome("wharf-sbx-");
const tag = randomBytes(6).toString("hex");
// the planted ~/.ssh key is a real key generated now; its body is what must never leak
const SSH_KEY = generatePrivateKeyPem();
const SECRETS = {
  ssh: pemBody(SSH_KEY),
  wharf: `WHARF-TOKEN-SECRET-${tag}`,
  cargo: `CARGO-TOKEN-SECRET-${tag}`,
  env: `ENV-DEPLOY-SECRET-${tag}`,
  aws: `ENV-AWS-SECRET-${tag}`,
};
const crates = join(home.root, "crates");
const apps = join(home.root, "apps");
const targets: HostileTargets = {
  home: home.home,
  wharfHome: home.wharfHome,
  cargoHome: home.cargoHome,
  appDir: join(apps, "snoop-app"),
  victimDir: join(crates, "victim"),
  port: 0,
  socket: join(home.root, "sock", "s.sock"),
  marker: tag,
  leftoverSleep: 700000 + Math.floor(Math.random() * 99999),
  bombSleep: 800000 + Math.floor(Math.random() * 99999),
};
const received: string[] = [];
let tcp: Server;
let unix: Server;

function listen(server: Server, arg: number | string): Promise<void> {
  return new Promise((resolve) => server.listen(arg as number, "127.0.0.1", () => resolve()));
}

before(async () => {
  const sink = (s: import("node:net").Socket) => {
    received.push("connection");
    s.on("data", (d) => received.push(d.toString("utf8")));
    s.on("error", () => {});
  };
  tcp = createServer(sink);
  await listen(tcp, 0);
  targets.port = (tcp.address() as { port: number }).port;
  mkdirSync(join(home.root, "sock"));
  unix = createServer(sink);
  await new Promise<void>((resolve) => unix.listen(targets.socket, () => resolve()));
  writeTree(home.home, {
    ".ssh/id_rsa": SSH_KEY,
    ".cargo/credentials.toml": `[registry]\ntoken = "${SECRETS.cargo}"\n`,
    ".wharf/credentials.toml": `[registries.main]\ntoken = "${SECRETS.wharf}"\n`,
    ".bashrc": "# untouched\n",
  });
  writeTree(home.wharfHome, {
    "credentials.toml": `[registries.main]\ntoken = "${SECRETS.wharf}"\n`,
    // trusted limits, small so the resource attacks end fast
    "config.toml": `[sandbox.limits]\ntimeout = 15\ncpu = 10\nprocesses = 100\ndisk = "64MiB"\n`,
  });
  writeTree(home.cargoHome, { "credentials.toml": `[registry]\ntoken = "${SECRETS.cargo}"\n` });
  for (const [name, files] of Object.entries(hostileCrates(targets))) writeTree(join(crates, name), files);
});

after(async () => {
  tcp?.close();
  unix?.close();
  rmSync(`/tmp/wharf-hostile-${tag}`, { force: true });
  home.cleanup();
});

/** sha256 of every file under `dir`, skipping target dirs and the lock file wharf writes */
function hashTree(dir: string, out = new Map<string, string>()): Map<string, string> {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const st = lstatSync(p);
    if (name === "Cargo.lock") continue;
    if (st.isDirectory()) {
      if (name !== "target") hashTree(p, out);
    } else if (st.isFile())
      out.set(p, createHash("sha256").update(readFileSync(p)).update(String(st.mode)).digest("hex"));
    else out.set(p, st.isSocket() ? "socket" : "other");
  }
  return out;
}

function diffTrees(a: Map<string, string>, b: Map<string, string>): string[] {
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].filter((k) => a.get(k) !== b.get(k)).sort();
}

/** every file under a dir (the target dir), as text, to look for secrets */
function allText(dir: string): string {
  if (!existsSync(dir)) return "";
  const parts: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = lstatSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isFile() && st.size < 64 * 1024 * 1024) parts.push(readFileSync(p).toString("latin1"));
    }
  };
  walk(dir);
  return parts.join("\n");
}

function processesWith(arg: number): number[] {
  const found: number[] = [];
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      if (cmd.includes(String(arg))) found.push(Number(pid));
    } catch {
      // exited
    }
  }
  return found;
}

interface Built {
  r: RunResult;
  changed: string[];
  dir: string;
}

async function buildApp(
  name: string,
  deps: string[],
  main: string,
  extra: Record<string, string> = {},
): Promise<Built> {
  const dir = join(apps, name);
  writeTree(dir, { ...hostileApp(name, deps, main), ...extra });
  const before = hashTree(home.root);
  const r = await runAsync(process.execPath, [WHARF_BIN, "build"], {
    cwd: dir,
    env: {
      ...home.env,
      DEPLOY_TOKEN: SECRETS.env,
      AWS_SECRET_ACCESS_KEY: SECRETS.aws,
      RUST_BACKTRACE: "0",
    },
    timeoutMs: 240_000,
  });
  const changed = diffTrees(before, hashTree(home.root));
  return { r, changed, dir };
}

function assertNoSecrets(where: string, text: string): void {
  for (const [kind, secret] of Object.entries(SECRETS))
    assert.ok(!text.includes(secret), `the ${kind} secret appears in ${where}`);
}

function assertClean(b: Built): void {
  assertNoSecrets("wharf's output", b.r.stdout + b.r.stderr);
  assertNoSecrets("the target dir", allText(join(b.dir, "target")));
  assert.deepEqual(b.changed, [], "files outside the target dir changed");
  assert.equal(existsSync(`/tmp/wharf-hostile-${tag}`), false, "a file appeared in the host's /tmp");
  assert.deepEqual(received, [], "a connection reached the host's listeners");
  assert.deepEqual(processesWith(targets.leftoverSleep), [], "a process outlived the build");
  assert.deepEqual(processesWith(targets.bombSleep), [], "a fork-bomb process outlived the build");
}

function attempts(stderr: string): Map<string, string> {
  return new Map(
    [...stderr.matchAll(/ATTEMPT ([^:]+): (.*)$/gm)].map((m) => [m[1]!, m[2]!] as [string, string]),
  );
}

describe("hostile crates are contained by the default sandbox", () => {
  test("a snooping build script reads no secret, writes nothing outside OUT_DIR, reaches no listener, leaves no process", async (t) => {
    // the project tries to turn the sandbox off: only the user's config or --no-sandbox may
    const b = await buildApp(
      "snoop-app",
      ["snoop"],
      'fn main() {\n    println!("{}", snoop::LOOT.len());\n}\n',
      {
        "wharf.toml": "[sandbox]\nenabled = false\n",
      },
    );
    t.diagnostic(
      b.r.stderr
        .split("\n")
        .filter((l) => l.includes("ATTEMPT"))
        .join("\n"),
    );
    assert.equal(b.r.status, 0, b.r.stderr);
    assert.match(b.r.stderr, /ignoring `sandbox\.enabled = false`/);
    const seen = attempts(b.r.stderr);
    assert.ok(seen.size >= 15, `only ${seen.size} attempts reported`);
    for (const [name, outcome] of seen) {
      if (
        name.startsWith("read environment") ||
        name.startsWith("leave a process") ||
        name === "write host tmp"
      )
        continue;
      assert.match(outcome, /^refused /, `${name}: ${outcome}`);
    }
    assert.match(seen.get("write own sources") ?? "", /Read-only file system/);
    assert.match(seen.get("write project manifest") ?? "", /Permission denied/);
    assert.match(seen.get("write host sysctl") ?? "", /Read-only file system/);
    assert.match(seen.get("read ssh key") ?? "", /No such file or directory/);
    assertClean(b);
  });

  test("a snooping proc macro, run inside rustc, sees no secret and changes nothing", async () => {
    const b = await buildApp(
      "macro-app",
      ["snoop-macro"],
      'snoop_macro::snoop!();\nfn main() {\n    println!("{}", SNOOP);\n}\n',
    );
    assert.equal(b.r.status, 0, b.r.stderr);
    const out = await runAsync(join(b.dir, "target", "debug", "macro-app"), [], { cwd: b.dir, env: {} });
    assert.match(out.stdout, /MACRO read ssh key: refused/);
    assert.match(out.stdout, /MACRO write another crate's sources: refused /);
    assert.match(out.stdout, /MACRO connect tcp 127\.0\.0\.1: refused/);
    assertNoSecrets("the program built with the macro", out.stdout);
    assertClean(b);
  });

  test("a fork bomb is stopped by the process limit", async (t) => {
    const b = await buildApp("bomb-app", ["forkbomb"], "fn main() {}\n");
    t.diagnostic(b.r.stderr);
    assert.notEqual(b.r.status, 0);
    assert.match(b.r.stderr, /failed to run custom build command for `forkbomb v?0\.1\.0`|forkbomb@0\.1\.0/);
    assert.match(b.r.stderr, /fork bomb stopped after \d+ processes: Resource temporarily unavailable/);
    assertClean(b);
  });

  test("an endless loop is stopped by the time limits", async (t) => {
    const started = Date.now();
    const b = await buildApp("spin-app", ["spin"], "fn main() {}\n");
    t.diagnostic(b.r.stderr);
    assert.notEqual(b.r.status, 0);
    assert.ok(Date.now() - started < 100_000, "the loop ran far past the limits");
    assert.match(b.r.stderr, /spin/);
    assert.match(b.r.stderr, /ran longer than 15s|more CPU time than its limit/);
    assert.doesNotMatch(b.r.stderr, /spin was not stopped/);
    assertClean(b);
  });

  test("filling the disk is stopped by the OUT_DIR quota", async (t) => {
    const b = await buildApp("filler-app", ["filler"], "fn main() {}\n");
    t.diagnostic(b.r.stderr);
    assert.notEqual(b.r.status, 0);
    assert.match(b.r.stderr, /filler/);
    assert.match(b.r.stderr, /disk quota/);
    assert.doesNotMatch(b.r.stderr, /filler was not stopped/);
    const build = join(b.dir, "target", "debug", "build");
    const out = readdirSync(build)
      .filter((d) => d.startsWith("filler-"))
      .map((d) => join(build, d, "out"))
      .filter((d) => existsSync(d));
    const bytes = out
      .flatMap((d) => readdirSync(d).map((f) => lstatSync(join(d, f)).size))
      .reduce((x, y) => x + y, 0);
    t.diagnostic(`filler wrote ${(bytes / 1024 ** 2).toFixed(0)} MiB before it was stopped (quota 64 MiB)`);
    assert.ok(bytes < 2 * 1024 ** 3, "the quota did not stop the writer before its own 2 GiB bound");
    rmSync(join(b.dir, "target"), { recursive: true, force: true });
    assertClean(b);
  });

  test("a build script that needs the network fails with the crate, the step and the wharf.toml line; the exception lets it through", async (t) => {
    const b = await buildApp("net-app", ["netneed"], "fn main() {}\n");
    t.diagnostic(b.r.stderr);
    assert.notEqual(b.r.status, 0);
    assert.match(b.r.stderr, /`netneed`'s build script run/);
    assert.match(b.r.stderr, /\[sandbox\.allow\.netneed\]\s*\n\s*network = true/);
    assert.match(b.r.stderr, new RegExp(`${join(b.dir, "wharf.toml").replace(/[.]/g, "\\.")}`));
    assertClean(b);
    // the narrow exception, from the project's own wharf.toml, is honoured and announced
    writeFileSync(join(b.dir, "wharf.toml"), "[sandbox.allow.netneed]\nnetwork = true\n");
    const again = await runAsync(process.execPath, [WHARF_BIN, "build"], {
      cwd: b.dir,
      env: home.env,
      timeoutMs: 240_000,
    });
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stderr, /note: sandbox exception for `netneed`: network \(from .*wharf\.toml\)/);
    assert.ok(received.includes("netneed says hello"));
    received.length = 0;
  });
});
