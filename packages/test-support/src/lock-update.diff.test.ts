/**
 * The oracle for everything that starts from an existing Cargo.lock: `update` (all, -p,
 * --precise, --recursive, --workspace, --dry-run), the conservative sync every other command
 * does (tree, fetch) after a manifest change, yanked versions that stay locked, --locked,
 * lock encodings that are kept, and a tampered checksum. A real Wharf registry serves tiny
 * crates; cargo writes the baseline lock, then newer versions are published, and from copies
 * of the same project + lock real cargo and wharf must end with the same Cargo.lock bytes
 * (or both fail), and print the same Locking / Updating / Adding / Removing lines. cargo's
 * "(available: vX)" notes after those lines are not printed by wharf and are cut before the
 * comparison.
 */
import assert from "node:assert/strict";
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type CargoRegistryClient, cargoRegistryEnv } from "./cargo-client.js";
import { writeTree } from "./project.js";
import { publishRaw, registryRequest, tinyDependency, tinyPublishBody } from "./registry-http.js";
import { makeTempHome, WHARF_BIN } from "./run.js";
import { mapPool, runAsync } from "./run-async.js";
import { startTestRegistry, type TestRegistry } from "./test-registry.js";

const home = makeTempHome("wharf-lock-update-");
let registry: TestRegistry;
let client: CargoRegistryClient;
let token: string;

type Dep = [name: string, req: string];

async function publish(name: string, version: string, deps: Dep[] = []): Promise<void> {
  const body = tinyPublishBody(name, version, {
    deps: deps.map(([n, req]) => tinyDependency(n, { version_req: req })),
  });
  const r = await publishRaw(registry, token, body);
  assert.equal(r.status, 200, `publish ${name} ${version}: ${r.text}`);
}

async function setYanked(name: string, version: string, yanked: boolean): Promise<void> {
  const r = await registryRequest(
    registry,
    yanked ? "DELETE" : "PUT",
    `/api/v1/crates/${name}/${version}/${yanked ? "yank" : "unyank"}`,
    { token },
  );
  assert.equal(r.status, 200, r.text);
}

function manifest(name: string, deps: Dep[], extra = ""): string {
  const lines = deps.map(([n, req]) => `${n} = { version = "${req}", registry = "wharf" }`);
  return `[package]\nname = "${name}"\nversion = "0.1.0"\nedition = "2021"\n${extra}\n[dependencies]\n${lines.join("\n")}\n`;
}

const APP_DEPS: Dep[] = [
  ["alpha", "1"],
  ["gamma", "1"],
];

interface Scenario {
  name: string;
  args: string[];
  /** changes to the copied project before the command runs */
  edit?: (dir: string) => void;
  /** which baseline: the plain app, or the one pinned to the v3 encoding */
  base?: "app" | "v3";
}

const baselines: Record<string, string> = {};

async function run(tool: "cargo" | "wharf", dir: string, args: string[]) {
  const env = { ...client.env, WHARF_HOME: home.wharfHome };
  return tool === "cargo"
    ? runAsync("cargo", args, { cwd: dir, env, timeoutMs: 120_000 })
    : runAsync(process.execPath, [WHARF_BIN, ...args], { cwd: dir, env, timeoutMs: 120_000 });
}

/** Locking / Adding / Updating / Downgrading / Removing lines, without cargo's notes. */
function changeLines(stderr: string): string[] {
  return stderr
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => /^(Locking|Adding|Updating|Downgrading|Removing) /.test(l) && !/ index$/.test(l))
    .map((l) => l.replace(/ \(available: [^)]*\)$/, "").replace(/\s+/g, " "));
}

interface Outcome {
  name: string;
  equal: boolean;
  detail?: string;
}

async function compare(s: Scenario): Promise<Outcome> {
  const dirs = {
    cargo: join(home.root, "runs", s.name, "cargo"),
    wharf: join(home.root, "runs", s.name, "wharf"),
  };
  for (const d of Object.values(dirs)) {
    cpSync(baselines[s.base ?? "app"]!, d, { recursive: true });
    s.edit?.(d);
  }
  const cargo = await run("cargo", dirs.cargo, s.args);
  const wharf = await run("wharf", dirs.wharf, s.args);
  if (cargo.status !== 0 || wharf.status !== 0) {
    const both = cargo.status !== 0 && wharf.status !== 0;
    return {
      name: s.name,
      equal: both,
      detail: `cargo ${cargo.status}: ${cargo.stderr.slice(-300)} | wharf ${wharf.status}: ${wharf.stderr.slice(-400)}`,
    };
  }
  const expected = readFileSync(join(dirs.cargo, "Cargo.lock"), "utf8");
  const actual = readFileSync(join(dirs.wharf, "Cargo.lock"), "utf8");
  if (expected !== actual) {
    return {
      name: s.name,
      equal: false,
      detail: `lock differs:\n--- cargo\n${expected}\n--- wharf\n${actual}`,
    };
  }
  const cl = changeLines(cargo.stderr);
  const wl = changeLines(wharf.stderr);
  if (JSON.stringify(cl) !== JSON.stringify(wl)) {
    return {
      name: s.name,
      equal: false,
      detail: `status lines: cargo ${JSON.stringify(cl)} wharf ${JSON.stringify(wl)}`,
    };
  }
  return { name: s.name, equal: true };
}

before(async () => {
  registry = await startTestRegistry({ dir: join(home.root, "registry") });
  ({ token } = await registry.addUser("publisher"));
  client = cargoRegistryEnv({
    home,
    caCertPath: registry.pki.ca.caCertPath,
    registryName: "wharf",
    indexUrl: registry.indexUrl,
  });
  await publish("beta", "1.0.0");
  await publish("delta", "0.1.0");
  await publish("alpha", "1.0.0", [["beta", "^1"]]);
  await publish("gamma", "1.0.0", [
    ["beta", "^1"],
    ["delta", "^0.1"],
  ]);
  // baselines: cargo locks the old world
  for (const [name, extra] of [
    ["app", ""],
    ["v3", 'rust-version = "1.70"'],
  ] as const) {
    const dir = join(home.root, "baseline", name);
    mkdirSync(dir, { recursive: true });
    writeTree(dir, { "Cargo.toml": manifest("app", APP_DEPS, extra), "src/lib.rs": "" });
    const r = await run("cargo", dir, ["generate-lockfile"]);
    assert.equal(r.status, 0, r.stderr);
    baselines[name] = dir;
  }
  // the v3 baseline loses its rust-version: cargo keeps an unchanged v3 lock as it is
  writeFileSync(join(baselines.v3!, "Cargo.toml"), manifest("app", APP_DEPS));
  // then the world moves on
  await publish("beta", "1.0.1");
  await publish("beta", "1.1.0");
  await publish("beta", "2.0.0");
  await publish("alpha", "1.1.0", [["beta", "^1.1"]]);
  await publish("gamma", "1.0.1", [
    ["beta", "^1"],
    ["delta", "^0.1"],
  ]);
  await publish("delta", "0.1.1");
  await publish("delta", "0.2.0");
  await publish("epsilon", "1.0.0", [["beta", "^1"]]);
});

after(async () => {
  await registry?.close();
  home.cleanup();
});

const addDep =
  (dep: Dep) =>
  (dir: string): void => {
    writeFileSync(join(dir, "Cargo.toml"), manifest("app", [...APP_DEPS, dep]));
  };

const SCENARIOS: Scenario[] = [
  { name: "update-all", args: ["update"] },
  { name: "update-p-beta", args: ["update", "-p", "beta"] },
  { name: "update-p-alpha", args: ["update", "-p", "alpha"] },
  { name: "update-p-delta", args: ["update", "-p", "delta"] },
  { name: "update-two-specs", args: ["update", "-p", "delta", "-p", "gamma"] },
  { name: "update-precise", args: ["update", "-p", "beta", "--precise", "1.0.1"] },
  { name: "update-precise-spec-version", args: ["update", "beta@1.0.0", "--precise", "1.1.0"] },
  { name: "update-recursive", args: ["update", "-p", "gamma", "--recursive"] },
  { name: "update-workspace", args: ["update", "--workspace"] },
  { name: "update-dry-run", args: ["update", "--dry-run"] },
  { name: "update-unknown-spec", args: ["update", "-p", "nonesuch"] },
  { name: "update-precise-missing-version", args: ["update", "-p", "beta", "--precise", "1.9.9"] },
  { name: "update-keeps-v3", args: ["update", "-p", "delta"], base: "v3" },
  { name: "sync-unchanged-stays", args: ["tree"] },
  { name: "sync-unchanged-v3-stays", args: ["tree"], base: "v3" },
  { name: "sync-new-dep-shares-lock", args: ["tree"], edit: addDep(["epsilon", "1"]) },
  { name: "sync-new-direct-beta-1-1", args: ["tree"], edit: addDep(["beta", "1.1"]) },
  { name: "sync-new-incompatible-beta-2", args: ["tree"], edit: addDep(["beta", "2"]) },
  { name: "fetch-sync-new-dep", args: ["fetch"], edit: addDep(["delta", "0.2"]) },
  { name: "locked-unchanged-ok", args: ["tree", "--locked"] },
  { name: "locked-refuses-change", args: ["tree", "--locked"], edit: addDep(["epsilon", "1"]) },
  {
    name: "sync-dropped-dep",
    args: ["tree"],
    edit: (dir) => writeFileSync(join(dir, "Cargo.toml"), manifest("app", [["alpha", "1"]])),
  },
  {
    name: "tampered-checksum",
    args: ["tree"],
    edit: (dir) => {
      const path = join(dir, "Cargo.lock");
      const lock = readFileSync(path, "utf8");
      writeFileSync(
        path,
        lock.replace(/checksum = "(.)/, (_m, c: string) => `checksum = "${c === "0" ? "1" : "0"}`),
      );
    },
  },
];

/** A local stand-in for a registry crate, and a manifest that patches it in. */
function patched(opts: {
  key: string;
  version: string;
  deps?: Dep[];
  args?: string[];
  appDeps?: Dep[];
}): (dir: string) => void {
  return (dir) => {
    const local = (opts.deps ?? []).map(([n, req]) => `${n} = { version = "${req}", registry = "wharf" }`);
    writeTree(dir, {
      "beta-local/Cargo.toml": `[package]\nname = "beta"\nversion = "${opts.version}"\nedition = "2021"\n[dependencies]\n${local.join("\n")}\n`,
      "beta-local/src/lib.rs": "",
    });
    const key = /^[a-z-]+$/.test(opts.key) ? opts.key : JSON.stringify(opts.key);
    writeFileSync(
      join(dir, "Cargo.toml"),
      `${manifest("app", opts.appDeps ?? APP_DEPS)}\n[patch.${key}]\nbeta = { path = "beta-local" }\n`,
    );
  };
}

const PATCH_SCENARIOS = (): Scenario[] => [
  { name: "patch-by-name", args: ["generate-lockfile"], edit: patched({ key: "wharf", version: "1.0.5" }) },
  {
    name: "patch-by-url",
    args: ["generate-lockfile"],
    edit: patched({ key: client.indexUrl, version: "1.0.5" }),
  },
  {
    name: "patch-with-own-deps",
    args: ["generate-lockfile"],
    edit: patched({ key: "wharf", version: "1.2.0", deps: [["delta", "0.1"]] }),
  },
  { name: "patch-unused", args: ["generate-lockfile"], edit: patched({ key: "wharf", version: "3.0.0" }) },
  { name: "patch-sync-from-lock", args: ["tree"], edit: patched({ key: "wharf", version: "1.0.5" }) },
  { name: "patch-unused-sync", args: ["tree"], edit: patched({ key: "wharf", version: "3.0.0" }) },
  {
    name: "patch-direct-dep",
    args: ["generate-lockfile"],
    edit: patched({ key: "wharf", version: "2.5.0", appDeps: [...APP_DEPS, ["beta", "2"]] }),
  },
];

describe("commands that start from an existing Cargo.lock do what cargo does", () => {
  test("[patch] with path packages: used, unused ([[patch.unused]]), by registry name and URL", async (t) => {
    const outcomes = await mapPool(PATCH_SCENARIOS(), 2, compare);
    const bad = outcomes.filter((o) => !o.equal);
    t.diagnostic(`patch scenarios: ${outcomes.length - bad.length} equal of ${outcomes.length}`);
    assert.deepEqual(bad, []);
  });

  test("update, sync after manifest edits, --locked, encodings, tampered checksums", async (t) => {
    const outcomes = await mapPool(SCENARIOS, 2, compare);
    const bad = outcomes.filter((o) => !o.equal);
    t.diagnostic(`lock scenarios: ${outcomes.length - bad.length} equal of ${outcomes.length}`);
    assert.deepEqual(bad, []);
  });

  test("a yanked version stays locked until it is updated away, and --precise may select it", async (t) => {
    await setYanked("beta", "1.0.0", true);
    try {
      const outcomes = [];
      for (const s of [
        { name: "yanked-stays", args: ["tree"] },
        { name: "yanked-update-moves-off", args: ["update", "-p", "beta"] },
        {
          name: "yanked-precise-back",
          args: ["update", "-p", "beta", "--precise", "1.0.0"],
          base: "app" as const,
        },
      ]) {
        outcomes.push(await compare(s));
      }
      const bad = outcomes.filter((o) => !o.equal);
      t.diagnostic(`yanked scenarios: ${outcomes.length - bad.length} equal of ${outcomes.length}`);
      assert.deepEqual(bad, []);
    } finally {
      await setYanked("beta", "1.0.0", false);
    }
  });
});
