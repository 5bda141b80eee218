/**
 * `wharf registry import`: loading a `cargo vendor`-style directory (Debian's crate
 * directory is one: packed into .crate files here) or a directory of .crate files (kept
 * byte for byte, so checksums in existing Cargo.lock files stay valid) through the same
 * archive and manifest checks as a publish, as an admin operation without rate limits.
 * Dependencies are not required to exist at import time: real registries hold cycles
 * through optional dependencies, so missing ones are reported at the end instead.
 */
import { lstatSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import {
  CRATES_IO_INDEX,
  decodeUtf8,
  memoryProbe,
  normalizeManifest,
  packageToPublishMetadata,
  parseManifest,
  readCrateArchive,
  sha256Hex,
  WharfError,
  writeCrateArchive,
} from "@wharf/protocol";
import { storeCrateVersion } from "../service/store-version.js";
import type { Clock } from "../storage/index.js";
import { crateIdentity } from "./crate-identity.js";
import type { RegistryData } from "./registry-data.js";

export interface ImportOutcome {
  source: string;
  name?: string | undefined;
  version?: string | undefined;
  result: "imported" | "skipped" | "refused";
  reason?: string | undefined;
}

export interface ImportReport {
  outcomes: ImportOutcome[];
  /** `crate@version -> dependency` for required dependencies absent from the registry */
  missingDependencies: string[];
}

export interface ImportOptions {
  data: RegistryData;
  /** directories to import */
  paths: readonly string[];
  now: Clock;
  /** login recorded as publisher; created as an admin user when missing */
  asUser?: string | undefined;
  onProgress?: ((outcome: ImportOutcome) => void) | undefined;
}

const MAX_FILES_PER_CRATE = 20_000;

/** Files of a crate directory, relative, refusing links and anything but files and dirs. */
function listCrateDir(root: string): { path: string; bytes: Uint8Array; executable: boolean }[] {
  const out: { path: string; bytes: Uint8Array; executable: boolean }[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      const rel = relative(root, full);
      const st = lstatSync(full);
      if (st.isSymbolicLink())
        throw new WharfError({
          code: "IMPORT_SYMLINK",
          message: `\`${full}\` is a symbolic link; crates may not contain links`,
        });
      if (st.isDirectory()) {
        stack.push(full);
      } else if (st.isFile()) {
        if (rel === ".cargo-checksum.json") continue;
        out.push({
          path: rel.split("\\").join("/"),
          bytes: readFileSync(full),
          executable: (st.mode & 0o111) !== 0,
        });
        if (out.length > MAX_FILES_PER_CRATE)
          throw new WharfError({
            code: "IMPORT_TOO_MANY_FILES",
            message: `\`${root}\` has more than ${MAX_FILES_PER_CRATE} files`,
          });
      } else {
        throw new WharfError({
          code: "IMPORT_SPECIAL_FILE",
          message: `\`${full}\` is not a regular file or directory`,
        });
      }
    }
  }
  return out;
}

function identityOfDir(dir: string): { name: string; version: string } {
  const text = decodeUtf8(readFileSync(join(dir, "Cargo.toml")), join(dir, "Cargo.toml"));
  const pkg = parseManifest(text, { file: join(dir, "Cargo.toml") }).manifest.package;
  const version = pkg?.version?.kind === "value" ? pkg.version.value : undefined;
  if (!pkg?.name || version === undefined) {
    throw new WharfError({
      code: "IMPORT_BAD_MANIFEST",
      message: `\`${dir}/Cargo.toml\` has no package name and concrete version`,
    });
  }
  return { name: pkg.name, version };
}

/** Crate sources found under the given paths: crate dirs and .crate files, sorted. */
export function findImportSources(paths: readonly string[]): { kind: "dir" | "file"; path: string }[] {
  const out: { kind: "dir" | "file"; path: string }[] = [];
  for (const p of paths) {
    const st = lstatSync(p);
    if (st.isFile() && p.endsWith(".crate")) out.push({ kind: "file", path: p });
    else if (st.isDirectory()) {
      if (lstatSync(join(p, "Cargo.toml"), { throwIfNoEntry: false })?.isFile()) {
        out.push({ kind: "dir", path: p });
        continue;
      }
      for (const name of readdirSync(p).sort()) {
        const full = join(p, name);
        const s = lstatSync(full);
        if (s.isFile() && name.endsWith(".crate")) out.push({ kind: "file", path: full });
        else if (s.isDirectory() && lstatSync(join(full, "Cargo.toml"), { throwIfNoEntry: false })?.isFile())
          out.push({ kind: "dir", path: full });
      }
    } else {
      throw new WharfError({
        code: "IMPORT_BAD_PATH",
        message: `\`${p}\` is neither a directory nor a .crate file`,
      });
    }
  }
  return out;
}

export async function importCrates(options: ImportOptions): Promise<ImportReport> {
  const { store, blobs } = options.data;
  const login = options.asUser ?? "import";
  const user =
    (await store.findUser(login)) ??
    (await store.addUser({ login, name: "registry import", isAdmin: true, actor: { kind: "admin-cli" } }));
  const outcomes: ImportOutcome[] = [];
  const required: { from: string; dep: string }[] = [];

  for (const source of findImportSources(options.paths)) {
    let outcome: ImportOutcome;
    try {
      let bytes: Uint8Array;
      let identity: { name: string; version: string };
      if (source.kind === "dir") {
        identity = identityOfDir(source.path);
        bytes = writeCrateArchive(identity.name, identity.version, listCrateDir(source.path));
      } else {
        bytes = readFileSync(source.path);
        identity = crateIdentity(bytes, source.path);
      }
      const archive = readCrateArchive(bytes, {
        name: identity.name,
        version: identity.version,
        allowCaseCollisions: true,
      });
      const root = `/${identity.name}-${identity.version}`;
      const parsed = parseManifest(archive.cargoToml, { file: `${root}/Cargo.toml` });
      const normalized = normalizeManifest(parsed.manifest, {
        manifestPath: `${root}/Cargo.toml`,
        probe: memoryProbe(
          root,
          archive.files.map((f) => f.path),
        ),
        inheritable: () => {
          throw new WharfError({
            code: "IMPORT_BAD_MANIFEST",
            message: "a published manifest cannot inherit from a workspace",
          });
        },
        registryIndex: (name) => {
          throw new WharfError({
            code: "IMPORT_BAD_MANIFEST",
            message: `dependency on registry \`${name}\` by name: a published manifest names registries by URL`,
          });
        },
      });
      if (normalized.kind !== "package")
        throw new WharfError({
          code: "IMPORT_BAD_MANIFEST",
          message: "the crate's Cargo.toml is a virtual manifest",
        });
      const pkg = normalized.package;
      const readmeEntry = pkg.metadata.readme
        ? archive.files.find((f) => f.path === pkg.metadata.readme)
        : undefined;
      const meta = packageToPublishMetadata(pkg, {
        registryIndexOfDefault: CRATES_IO_INDEX,
        ...(readmeEntry ? { readme: new TextDecoder().decode(readmeEntry.bytes) } : {}),
      });
      const cksum = sha256Hex(bytes);
      const existing = await store.getVersion(meta.name, meta.vers);
      if (existing) {
        outcome =
          existing.cksum === cksum
            ? {
                source: source.path,
                name: meta.name,
                version: meta.vers,
                result: "skipped",
                reason: "already imported with the same checksum",
              }
            : {
                source: source.path,
                name: meta.name,
                version: meta.vers,
                result: "refused",
                reason: "this version exists with different contents",
              };
      } else {
        await storeCrateVersion({
          store,
          blobs,
          now: options.now,
          meta,
          crateBytes: bytes,
          cksum,
          userId: user.id,
          remoteAddr: null,
        });
        for (const d of meta.deps) {
          if (!d.optional && d.kind !== "dev" && !d.registry)
            required.push({ from: `${meta.name}@${meta.vers}`, dep: d.name });
        }
        outcome = { source: source.path, name: meta.name, version: meta.vers, result: "imported" };
      }
    } catch (error) {
      const reason = error instanceof WharfError ? describe(error) : String(error);
      outcome = { source: source.path, result: "refused", reason };
    }
    outcomes.push(outcome);
    options.onProgress?.(outcome);
  }

  const missingDependencies: string[] = [];
  for (const r of required) {
    if (!(await store.findCrate(r.dep))) missingDependencies.push(`${r.from} -> ${r.dep}`);
  }
  return { outcomes, missingDependencies };
}

function describe(error: WharfError): string {
  let text = error.message;
  let cause: unknown = error.cause;
  for (let i = 0; i < 4 && cause instanceof Error; i++) {
    text += `: ${cause.message}`;
    cause = cause.cause;
  }
  return text;
}
