/**
 * Cargo.lock differential test: real cargo 1.95 writes a lock file for each project
 * (resolving against the Debian corpus served by a Wharf registry that replaces crates-io),
 * then `formatLockfile(parseLockfile(text))` and `formatLockfile(encodeResolve(...))` must
 * give back the same bytes. Encodings: v4 (default), v3 (`rust-version = "1.70"`), and v2/v1
 * (`rust-version` 1.45 / 1.40). Projects cargo itself cannot lock are reported, not compared.
 * WHARF_DIFF_FULL=1 locks every corpus crate on its own instead of a fixed sample.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { SourceId } from "@wharf/protocol";
import { importCrates } from "@wharf/registry";
import {
  type EncodeResolveInput,
  encodeResolve,
  formatLockfile,
  type Lockfile,
  lockfileVersionFor,
  parseLockfile,
  type ResolvedPackageId,
} from "../../wharf/dist/lockfile/index.js";
import { type CargoRegistryClient, cargoRegistryEnv } from "./cargo-client.js";
import {
  corpusCrates,
  type LockfileProject,
  multiDependencyProjects,
  singleDependencyProject,
  workspaceProjects,
} from "./lockfile-projects.js";
import { writeTree } from "./project.js";
import { makeTempHome } from "./run.js";
import { mapPool, runAsync } from "./run-async.js";
import { startTestRegistry, type TestRegistry } from "./test-registry.js";

const CORPUS = "/usr/share/cargo/registry";
const FULL = process.env["WHARF_DIFF_FULL"] === "1";
/** a fixed sample: small leaves, crates with many dependencies, proc macros, old majors */
const SAMPLE = [
  "anyhow",
  "clap@2.34.0",
  "clap@4.0.32",
  "env_logger",
  "futures",
  "nom@4.2.3",
  "rayon",
  "regex",
  "rkyv",
  "serde_json",
  "syn",
  "tokio",
  "tracing",
  "url",
  "uuid",
];

const home = makeTempHome("wharf-lockfile-diff-");
let registry: TestRegistry;
let client: CargoRegistryClient;

before(async () => {
  assert.ok(existsSync(CORPUS), `${CORPUS} is missing: run scripts/setup.sh to install the crate corpus`);
  registry = await startTestRegistry({ dir: join(home.root, "registry") });
  const report = await importCrates({ data: registry.running.data, paths: [CORPUS], now: () => new Date() });
  assert.deepEqual(
    report.outcomes.filter((o) => o.result === "refused"),
    [],
  );
  client = cargoRegistryEnv({
    home: join(home.root, "client"),
    caCertPath: registry.pki.ca.caCertPath,
    registryName: "wharf",
    indexUrl: registry.indexUrl,
    replaceCratesIo: true,
  });
});
after(async () => {
  await registry?.close();
  home.cleanup();
});

type Outcome =
  | { project: string; kind: "equal" }
  | { project: string; kind: "cargo-failed"; detail: string }
  | { project: string; kind: "different"; detail: string };

/** The first line where two texts part, for a readable failure. */
function firstDifference(expected: string, actual: string): string {
  const e = expected.split("\n");
  const a = actual.split("\n");
  for (let i = 0; i < Math.max(e.length, a.length); i++) {
    if (e[i] !== a[i]) return `line ${i + 1}: cargo ${JSON.stringify(e[i])}, wharf ${JSON.stringify(a[i])}`;
  }
  return "same lines, different bytes";
}

/** What the resolver would hand over for this lock file, rebuilt from the model. */
function sourceIdOf(
  p: { name: string; version: string; source?: string | undefined },
  lockVersion: number,
): { source: SourceId; precise?: string } {
  const source = p.source;
  if (source === undefined) return { source: { kind: "path", path: `/work/${p.name}-${p.version}` } };
  if (source.startsWith("sparse+")) return { source: { kind: "registry", url: source } };
  if (source.startsWith("registry+"))
    return { source: { kind: "registry", url: source.slice("registry+".length) } };
  if (source.startsWith("git+")) {
    const [rest, precise] = source.slice("git+".length).split("#");
    const [url, query] = rest!.split("?");
    // v4 form-encodes the reference; v3 wrote it raw
    const branch =
      query === undefined
        ? undefined
        : lockVersion >= 4
          ? new URLSearchParams(query).get("branch")
          : query.slice("branch=".length);
    return {
      source: {
        kind: "git",
        url: url!,
        reference: branch ? { kind: "branch", name: branch } : { kind: "default-branch" },
      },
      ...(precise ? { precise } : {}),
    };
  }
  throw new Error(`no SourceId for ${source} in this test`);
}

function resolveInputOf(lock: Lockfile): EncodeResolveInput {
  const id = (p: { name: string; version: string; source?: string | undefined }): ResolvedPackageId => ({
    name: p.name,
    version: p.version,
    source: sourceIdOf(p, lock.version).source,
  });
  return {
    version: lock.version,
    // reversed, so the encoder's own sorting is what puts them in order
    packages: [...lock.packages].reverse().map((p) => ({
      ...id(p),
      precise: sourceIdOf(p, lock.version).precise,
      checksum: p.checksum,
      dependencies: [...p.dependencies].reverse().map(id),
    })),
    unusedPatches: lock.patchUnused?.map((p) => ({
      ...id(p),
      ...(p.checksum ? { checksum: p.checksum } : {}),
      ...(sourceIdOf(p, lock.version).precise ? { precise: sourceIdOf(p, lock.version).precise! } : {}),
    })),
    metadata: lock.metadata,
    extraComments: lock.extraComments,
  };
}

function compare(project: string, text: string, file: string, expectVersion?: number): Outcome {
  let viaParse: string;
  let viaEncode: string;
  try {
    const lock = parseLockfile(text, file);
    if (expectVersion !== undefined && lock.version !== expectVersion) {
      return {
        project,
        kind: "different",
        detail: `read as v${lock.version}, cargo wrote v${expectVersion}`,
      };
    }
    viaParse = formatLockfile(lock);
    viaEncode = formatLockfile(encodeResolve(resolveInputOf(lock)));
  } catch (error) {
    return { project, kind: "different", detail: `wharf failed: ${(error as Error).message}` };
  }
  if (viaParse !== text)
    return { project, kind: "different", detail: `parse+format ${firstDifference(text, viaParse)}` };
  if (viaEncode !== text) {
    return { project, kind: "different", detail: `encodeResolve ${firstDifference(text, viaEncode)}` };
  }
  return { project, kind: "equal" };
}

async function cargoLock(
  project: LockfileProject,
  tag: string,
): Promise<{ text?: string; outcome?: Outcome }> {
  const dir = join(home.root, "projects", `${project.name}-${tag}`);
  rmSync(dir, { recursive: true, force: true });
  writeTree(dir, project.files);
  const r = await runAsync("cargo", ["generate-lockfile", "--quiet"], {
    cwd: dir,
    env: client.env,
    timeoutMs: 300_000,
  });
  const label = `${project.name} (${tag})`;
  if (r.status !== 0) {
    const why =
      r.stderr
        .trim()
        .split("\n")
        .find((l) => l.startsWith("error")) ?? r.stderr.trim().slice(0, 200);
    return { outcome: { project: label, kind: "cargo-failed", detail: why } };
  }
  return { text: readFileSync(join(dir, "Cargo.lock"), "utf8") };
}

async function runAll(projects: readonly LockfileProject[], tag: string): Promise<Outcome[]> {
  return mapPool(projects, 4, async (project) => {
    const got = await cargoLock(project, tag);
    if (got.outcome) return got.outcome;
    return compare(`${project.name} (${tag})`, got.text!, `${project.name}/Cargo.lock`, Number(tag.slice(1)));
  });
}

function summarize(t: { diagnostic: (m: string) => void }, outcomes: Outcome[]): void {
  const equal = outcomes.filter((o) => o.kind === "equal").length;
  const failed = outcomes.filter((o) => o.kind === "cargo-failed");
  const different = outcomes.filter((o) => o.kind === "different");
  const line = `equal ${equal}/${outcomes.length - failed.length} (cargo could not lock ${failed.length}: ${failed
    .map((f) => f.project)
    .join(", ")})`;
  t.diagnostic(line);
  console.log(`[lockfile diff] ${line}`);
  for (const f of failed) console.log(`[lockfile diff]   cargo failed: ${f.project}: ${f.detail}`);
  assert.deepEqual(
    different.map((d) => `${d.project}: ${"detail" in d ? d.detail : ""}`),
    [],
  );
  assert.ok(equal > 0, "at least one project must have been compared");
}

describe("Cargo.lock bytes: wharf's writer against cargo 1.95", () => {
  test("(a) every corpus crate (or a fixed sample) as the only dependency", async (t) => {
    const all = corpusCrates(CORPUS);
    const picked = FULL
      ? all
      : SAMPLE.map((s) => {
          const [name, version] = s.split("@");
          const found = all.filter((c) => c.name === name && (!version || c.version === version));
          assert.ok(found.length > 0, `sample crate ${s} is not in the corpus`);
          return found[found.length - 1]!;
        });
    const outcomes = await runAll(
      picked.map((c) => singleDependencyProject(c)),
      "v4",
    );
    summarize(t, outcomes);
  });

  test("(b) projects with several dependencies and features, v4 and v3", async (t) => {
    const outcomes = [
      ...(await runAll(multiDependencyProjects(), "v4")),
      ...(await runAll(multiDependencyProjects("1.70"), "v3")),
    ];
    summarize(t, outcomes);
  });

  test("(c) workspaces: path members, renames, two majors of one crate, target-specific deps; v4 and v3", async (t) => {
    const v4 = await runAll(workspaceProjects(), "v4");
    const v3 = await runAll(workspaceProjects("1.70"), "v3");
    summarize(t, [...v4, ...v3]);
    // the fixtures exist to exercise `name version` edges: make sure one did
    const twoVersions = await cargoLock(workspaceProjects()[0]!, "v4-check");
    const text = twoVersions.text ?? "";
    if (process.env["WHARF_DIFF_SHOW"] === "1") console.log(text);
    assert.match(text, /^ "clap 2\.34\.0",$/m);
    assert.match(text, /^ "nom 4\.2\.3",$/m);
    // a path package has no source line
    assert.match(text, /\[\[package\]\]\nname = "core"\nversion = "0\.2\.0"\ndependencies = \[\n/);
  });

  test("old encodings: v2 (rust-version 1.45) and v1 (rust-version 1.40)", async (t) => {
    const old = (rv: string) =>
      [...multiDependencyProjects(rv), ...workspaceProjects(rv)].map((p) => ({
        ...p,
        // rust-version below 1.56 needs an edition those versions knew
        files: Object.fromEntries(
          Object.entries(p.files).map(([k, v]) => [
            k,
            typeof v === "string" ? v.replace('edition = "2021"', 'edition = "2018"') : v,
          ]),
        ),
      }));
    const v2 = await runAll(old("1.45"), "v2");
    const v1 = await runAll(old("1.40"), "v1");
    summarize(t, [...v2, ...v1]);
  });

  test("(d) a git source with an encoded branch, one crate from two registries, an unused patch; v4 and v3", async (t) => {
    const repo = join(home.root, "git", "gitdep");
    writeTree(repo, {
      "Cargo.toml": `[package]\nname = "gitdep"\nversion = "0.1.0"\nedition = "2021"\n[dependencies]\nitoa = "1"\n`,
      "src/lib.rs": "",
    });
    const git = async (...args: string[]) => {
      const r = await runAsync("git", args, { cwd: repo, env: { ...client.env, GIT_CONFIG_NOSYSTEM: "1" } });
      assert.equal(r.status, 0, r.stderr);
    };
    await git("init", "-q", "-b", "feat/x+y");
    await git("add", ".");
    await git("-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "init");
    const project = (rustVersion?: string): LockfileProject => ({
      name: "mixed-sources",
      files: {
        "Cargo.toml": `[package]\nname = "mixed"\nversion = "0.1.0"\nedition = "2021"\n${
          rustVersion ? `rust-version = "${rustVersion}"\n` : ""
        }\n[dependencies]\ngitdep = { git = "file://${repo}", branch = "feat/x+y" }\nitoa = "1"\nitoa_named = { package = "itoa", version = "1", registry = "wharf" }\n\n[patch.crates-io]\nserde = { path = "patched-serde" }\n`,
        "src/lib.rs": "",
        "patched-serde/Cargo.toml": `[package]\nname = "serde"\nversion = "9.9.9"\nedition = "2021"\n`,
        "patched-serde/src/lib.rs": "",
      },
    });
    const v4 = await runAll([project()], "v4");
    const v3 = await runAll([project("1.70")], "v3");
    summarize(t, [...v4, ...v3]);
    const shown = await cargoLock(project(), "v4-show");
    const text = shown.text ?? "";
    if (process.env["WHARF_DIFF_SHOW"] === "1") console.log(text);
    assert.match(text, /\?branch=feat%2Fx%2By#[0-9a-f]{40}"/);
    assert.match(text, /^ "itoa 1\.0\.1 \(sparse\+https:/m);
    assert.match(text, /^\[\[patch\.unused\]\]$/m);
  });

  test("rust-version picks the encoding, and an existing version 3 lock file is kept until it changes", async () => {
    const project = multiDependencyProjects()[0]!;
    const v3 = await cargoLock(
      multiDependencyProjects("1.70").find((p) => p.name === project.name)!,
      "keep-v3",
    );
    assert.match(v3.text ?? "", /\nversion = 3\n/);
    assert.equal(lockfileVersionFor({ rustVersion: "1.70" }), 3);
    assert.equal(lockfileVersionFor({}), 4);

    // the same project without rust-version, with that v3 lock file in place
    const dir = join(home.root, "projects", "keep-v3-again");
    rmSync(dir, { recursive: true, force: true });
    writeTree(dir, project.files);
    writeFileSync(join(dir, "Cargo.lock"), v3.text!);
    const tree = await runAsync("cargo", ["tree", "--quiet"], { cwd: dir, env: client.env });
    assert.equal(tree.status, 0, tree.stderr);
    // nothing changed, so cargo did not rewrite it: still v3
    assert.equal(readFileSync(join(dir, "Cargo.lock"), "utf8"), v3.text);

    // a new dependency changes the lock file: merged resolves keep v3, but the v4 floor wins
    assert.equal(lockfileVersionFor({ previous: 3 }), 4);
    writeFileSync(
      join(dir, "Cargo.toml"),
      `${project.files["Cargo.toml"]}\n[dev-dependencies]\nitoa = "1"\n`,
    );
    const tree2 = await runAsync("cargo", ["tree", "--quiet"], { cwd: dir, env: client.env });
    assert.equal(tree2.status, 0, tree2.stderr);
    const rewritten = readFileSync(join(dir, "Cargo.lock"), "utf8");
    assert.match(rewritten, /\nversion = 4\n/);
    assert.equal(compare("rewritten", rewritten, "Cargo.lock").kind, "equal");

    // with a rust-version floor of v3, a v4 lock file stays v4 when cargo rewrites it
    assert.equal(lockfileVersionFor({ rustVersion: "1.70", previous: 4 }), 4);
  });
});
