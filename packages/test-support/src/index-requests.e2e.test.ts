/**
 * Which index files `wharf generate-lockfile` asks a sparse registry for, against real
 * cargo's choice on the same registry: wharf fetches the dependencies it expects to need
 * ahead of the resolver (sources/resolver-registry.ts), and that must neither fetch more
 * than cargo does (optional dependencies left off, dev-dependencies of dependencies, deps
 * of a yanked version) nor fetch any file twice in one run. nginx serves the files and
 * logs every request.
 */
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { cargoRegistryEnv, sparseIndexPath } from "./cargo-client.js";
import { writeTree } from "./project.js";
import { makeTempHome, runCargo, runWharf } from "./run.js";
import { type StaticServer, startNginxStaticServer } from "./static-server.js";
import { makeTestPki } from "./tls.js";

const CKSUM = "0".repeat(64);

interface Dep {
  name: string;
  req: string;
  optional?: boolean;
  kind?: "normal" | "dev" | "build";
}

function line(name: string, vers: string, deps: Dep[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    name,
    vers,
    deps: deps.map((d) => ({
      name: d.name,
      req: d.req,
      features: [],
      optional: d.optional ?? false,
      default_features: true,
      target: null,
      kind: d.kind ?? "normal",
    })),
    cksum: CKSUM,
    features: {},
    yanked: false,
    ...extra,
  });
}

// top -> mid (normal), opt (optional, never enabled), devonly (dev: ignored below the root)
// mid 1.0.0 -> leaf; mid 1.1.0 is yanked and alone depends on yankdep
// build-dep bdep is fetched by both (build deps take part in the lockfile)
const INDEX: Record<string, string[]> = {
  top: [
    line("top", "1.0.0", [
      { name: "mid", req: "^1" },
      { name: "opt", req: "^1", optional: true },
      { name: "devonly", req: "^1", kind: "dev" },
      { name: "bdep", req: "^1", kind: "build" },
    ]),
  ],
  mid: [
    line("mid", "1.0.0", [{ name: "leaf", req: "^1" }]),
    line("mid", "1.1.0", [{ name: "yankdep", req: "^1" }], { yanked: true }),
  ],
  leaf: [line("leaf", "1.0.0", [])],
  opt: [line("opt", "1.0.0", [])],
  devonly: [line("devonly", "1.0.0", [])],
  yankdep: [line("yankdep", "1.0.0", [])],
  bdep: [line("bdep", "1.0.0", [])],
};

const home = makeTempHome("wharf-index-requests-");
let server: StaticServer;
let env: Record<string, string>;
let accessLog: string;

before(async () => {
  const root = join(home.root, "index");
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, "config.json"), '{"dl":"https://127.0.0.1/dl"}\n');
  for (const [name, lines] of Object.entries(INDEX)) {
    const file = join(root, sparseIndexPath(name));
    mkdirSync(join(file, ".."), { recursive: true });
    writeFileSync(file, `${lines.join("\n")}\n`);
  }
  const pki = makeTestPki(join(home.root, "pki"));
  server = await startNginxStaticServer({
    root,
    certPath: pki.server.certPath,
    keyPath: pki.server.keyPath,
    accessLog: true,
    http2: true,
  });
  accessLog = join(server.prefix, "access.log");
  env = {
    ...cargoRegistryEnv({
      home,
      caCertPath: pki.ca.caCertPath,
      registryName: "local",
      indexUrl: `${server.url}/`,
      replaceCratesIo: true,
    }).env,
    WHARF_HOME: home.wharfHome,
  };
});
after(async () => {
  await server?.stop();
  home.cleanup();
});

/** index paths requested since the log was last cleared, with their counts */
function takeIndexRequests(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of readFileSync(accessLog, "utf8").matchAll(/"GET (\S+) HTTP\/[\d.]+"/g)) {
    const path = m[1]!;
    if (path === "/config.json") continue;
    counts.set(path, (counts.get(path) ?? 0) + 1);
  }
  writeFileSync(accessLog, ""); // nginx appends (O_APPEND), so this starts a fresh log
  return counts;
}

test("wharf asks for the same index files as cargo, each once", () => {
  const files = {
    "Cargo.toml":
      '[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\ntop = "1"\n',
    "src/lib.rs": "",
  };
  const cargoDir = join(home.root, "cargo");
  const wharfDir = join(home.root, "wharf");
  for (const d of [cargoDir, wharfDir]) {
    mkdirSync(d, { recursive: true });
    writeTree(d, files);
  }
  takeIndexRequests();
  const cargo = runCargo(["generate-lockfile"], { cwd: cargoDir, env });
  assert.equal(cargo.status, 0, cargo.stderr);
  const byCargo = takeIndexRequests();
  const wharf = runWharf(["generate-lockfile"], { cwd: wharfDir, env });
  assert.equal(wharf.status, 0, wharf.stderr);
  const byWharf = takeIndexRequests();

  assert.deepEqual([...byWharf.keys()].sort(), [...byCargo.keys()].sort());
  assert.deepEqual(
    [...byWharf.entries()].filter(([, n]) => n > 1),
    [],
    "index files fetched more than once in one run",
  );
  // the shape the fixture is built for, so a change in cargo shows up here first
  for (const skipped of ["opt", "devonly", "yankdep"])
    assert.ok(!byCargo.has(`/${sparseIndexPath(skipped)}`));
  assert.equal(
    readFileSync(join(wharfDir, "Cargo.lock"), "utf8"),
    readFileSync(join(cargoDir, "Cargo.lock"), "utf8"),
  );
});

test("with a Cargo.lock that covers the manifests, neither tool asks the index again; a new requirement does", () => {
  const cargoDir = join(home.root, "cargo");
  const wharfDir = join(home.root, "wharf");
  takeIndexRequests();
  const cargo = runCargo(["update", "--workspace"], { cwd: cargoDir, env });
  assert.equal(cargo.status, 0, cargo.stderr);
  const byCargo = takeIndexRequests();
  const wharf = runWharf(["update", "--workspace"], { cwd: wharfDir, env });
  assert.equal(wharf.status, 0, wharf.stderr);
  const byWharf = takeIndexRequests();
  assert.deepEqual([...byCargo.keys()], [], "cargo's oracle: a locked sync asks nothing");
  assert.deepEqual([...byWharf.keys()], []);

  // a requirement the lock does not satisfy sends both back to the registry
  for (const d of [cargoDir, wharfDir]) {
    const manifest = readFileSync(join(d, "Cargo.toml"), "utf8");
    writeFileSync(join(d, "Cargo.toml"), `${manifest}opt = "1"\n`);
  }
  assert.equal(runCargo(["update", "--workspace"], { cwd: cargoDir, env }).status, 0);
  const cargoAgain = takeIndexRequests();
  const w2 = runWharf(["update", "--workspace"], { cwd: wharfDir, env });
  assert.equal(w2.status, 0, w2.stderr);
  const wharfAgain = takeIndexRequests();
  assert.ok(cargoAgain.size > 0, "cargo revalidates");
  assert.ok(wharfAgain.size > 0, "wharf revalidates");
  assert.equal(
    readFileSync(join(wharfDir, "Cargo.lock"), "utf8"),
    readFileSync(join(cargoDir, "Cargo.lock"), "utf8"),
  );
});
