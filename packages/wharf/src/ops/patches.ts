/**
 * The workspace root's `[patch]` tables for the resolver (cargo's `PackageRegistry::patch`):
 * each entry is looked up in its own source (a path package, another registry's newest
 * matching version, or whatever the previous Cargo.lock locked), and then stands in for the
 * patched source's versions wherever a dependency's requirement matches it. Patches that
 * end up unused are reported as cargo reports them and kept in Cargo.lock's
 * `[[patch.unused]]`.
 */
import { readFileSync } from "node:fs";
import {
  CRATES_IO_INDEX,
  compareVersions,
  formatSourceId,
  formatVersion,
  matches,
  normalizePatch,
  parseManifest,
  parseRequirement,
  type SourceId,
  WharfError,
} from "@wharf/protocol";
import type { ResolvedPackageId } from "../lockfile/index.js";
import type { DependencySpec, PatchSummary, Registry, Resolve } from "../resolver/index.js";
import { formatPackageId, packageIdKey } from "../resolver/index.js";
import { fsProbe, type Workspace } from "../workspace/index.js";

function stripSlash(url: string): string {
  return url.replace(/\/+$/, "");
}

/** A `[patch.<url>]` key names a registry when it is one (sparse+ or a configured index), else a git repository. */
function isRegistryUrl(url: string): boolean {
  return url.startsWith("sparse+") || url.startsWith("registry+");
}

/** Reads `[patch]` from the root manifest and finds each patch's package in its own source. */
export async function loadPatches(
  ws: Workspace,
  registry: Registry,
  registryIndex: (name: string) => string,
  preferred: (name: string, version: string) => boolean,
): Promise<PatchSummary[]> {
  const text = readFileSync(ws.rootManifest, "utf8");
  const { manifest } = parseManifest(text, { file: ws.rootManifest });
  const tables = normalizePatch(manifest, {
    manifestPath: ws.rootManifest,
    probe: fsProbe,
    inheritable: () => ({ rootDir: ws.rootDir }),
    registryIndex,
  });
  const out: PatchSummary[] = [];
  for (const table of tables) {
    const patched: SourceId =
      stripSlash(table.url) === stripSlash(CRATES_IO_INDEX)
        ? { kind: "registry", url: CRATES_IO_INDEX }
        : isRegistryUrl(table.url)
          ? { kind: "registry", url: table.url }
          : { kind: "git", url: table.url, reference: { kind: "default-branch" } };
    for (const dep of table.dependencies) {
      if (formatSourceId(dep.source) === formatSourceId(patched)) {
        throw new WharfError({
          code: "PATCH_SAME_SOURCE",
          message: `patch for \`${dep.nameInToml}\` in \`${table.key}\` points to the same source, but patches must point to different sources`,
          hint: `in ${ws.rootManifest}, point the patch at a path, a git repository or another registry`,
        });
      }
      const spec: DependencySpec = {
        name: dep.name,
        nameInToml: dep.nameInToml,
        req: parseRequirement(dep.req),
        kind: "normal",
        optional: false,
        defaultFeatures: true,
        features: [],
        source: dep.source,
      };
      const found = (await registry.query(spec)).filter(
        (s) => s.id.name === dep.name && matches(spec.req, s.id.version) && !s.yanked,
      );
      found.sort((a, b) => {
        const pa = preferred(a.id.name, formatVersion(a.id.version)) ? 1 : 0;
        const pb = preferred(b.id.name, formatVersion(b.id.version)) ? 1 : 0;
        if (pa !== pb) return pb - pa;
        return compareVersions(b.id.version, a.id.version);
      });
      const summary = found[0];
      if (summary === undefined) {
        throw new WharfError({
          code: "PATCH_NOT_FOUND",
          message: `patch for \`${dep.nameInToml}\` in \`${table.key}\` failed to resolve: no matching package named \`${dep.name}\` found in ${formatSourceId(dep.source)}`,
          hint: `check the [patch.${table.key}] entry in ${ws.rootManifest}`,
        });
      }
      out.push({ source: patched, summary, req: spec.req });
    }
  }
  return out;
}

/** The patches no package of the resolve ended up using (Cargo.lock's `[[patch.unused]]`). */
export function unusedPatches(
  patches: readonly PatchSummary[],
  resolve: Resolve,
): { patch: PatchSummary; entry: ResolvedPackageId & { checksum?: string } }[] {
  const used = new Set(resolve.packages.map((p) => packageIdKey(p.id)));
  return patches
    .filter((p) => !used.has(packageIdKey(p.summary.id)))
    .map((patch) => {
      const id = patch.summary.id;
      const entry: ResolvedPackageId & { checksum?: string } = {
        name: id.name,
        version: formatVersion(id.version),
        source: id.source,
      };
      if (patch.summary.checksum !== undefined) entry.checksum = patch.summary.checksum;
      return { patch, entry };
    });
}

/** cargo's warning for each unused patch. */
export function unusedPatchWarning(p: PatchSummary): string {
  return `Patch \`${formatPackageId(p.summary.id)}\` was not used in the crate graph.
help: Check that the patched package version and available features are compatible
with the dependency requirements. If the patch has a different version from
what is locked in the Cargo.lock file, run \`cargo update\` to use the new
version. This may also occur with an optional dependency that is not enabled.`;
}
