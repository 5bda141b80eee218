/**
 * One publish, in the order that keeps a hostile upload cheap to refuse and a crash
 * harmless: authenticate, frame and validate the body (declared lengths against limits and
 * real bytes), authorize for the crate, rate-limit, check the tarball (every archive threat)
 * and the manifest inside against the metadata, check dependencies, then store the blob
 * first and the version row + index line in one transaction.
 */
import {
  formatVersion,
  isReservedCrateName,
  type PublishMetadata,
  parseManifest,
  parsePublishBody,
  readCrateArchive,
  sha256Hex,
  tryParseVersion,
} from "@wharf/protocol";
import { ApiError } from "../app/api-error.js";
import type { PublishResult, RequestInfo } from "../app/service.js";
import { authenticate, authorize, checkPublishRateLimit } from "../auth/index.js";
import type { RegistryConfig } from "../config/index.js";
import type { BlobStore, Clock, RegistryStore } from "../storage/index.js";
import { storeCrateVersion } from "./store-version.js";

export interface PublishContext {
  config: RegistryConfig;
  store: RegistryStore;
  blobs: BlobStore;
  now: Clock;
  authRequired: boolean;
}

function bad(code: string, detail: string): ApiError {
  return new ApiError(400, code, detail);
}

/** The checks on the manifest inside the tarball: it must be the package the metadata names. */
function checkManifest(meta: PublishMetadata, cargoToml: string): void {
  const file = `${meta.name}-${meta.vers}/Cargo.toml`;
  let parsed: ReturnType<typeof parseManifest>;
  try {
    parsed = parseManifest(cargoToml, { file });
  } catch (error) {
    throw bad(
      "PUBLISH_MANIFEST_INVALID",
      `the Cargo.toml in the uploaded crate does not parse: ${(error as Error).message}`,
    );
  }
  const pkg = parsed.manifest.package;
  if (!pkg)
    throw bad("PUBLISH_MANIFEST_INVALID", "the Cargo.toml in the uploaded crate has no [package] section");
  if (pkg.name !== meta.name) {
    throw bad(
      "PUBLISH_MANIFEST_MISMATCH",
      `the crate's Cargo.toml names package \`${pkg.name}\`, but the upload is for \`${meta.name}\``,
    );
  }
  const v = pkg.version;
  if (v?.kind !== "value") {
    throw bad(
      "PUBLISH_MANIFEST_MISMATCH",
      "the crate's Cargo.toml has no concrete `package.version` (workspace inheritance must be resolved before publishing)",
    );
  }
  const a = tryParseVersion(v.value);
  const b = tryParseVersion(meta.vers);
  if (!a.ok || !b.ok || formatVersion(a.value) !== formatVersion(b.value)) {
    throw bad(
      "PUBLISH_MANIFEST_MISMATCH",
      `the crate's Cargo.toml has version \`${v.value}\`, but the upload is for \`${meta.vers}\``,
    );
  }
  for (const [key, field] of Object.entries(pkg)) {
    if (
      field &&
      typeof field === "object" &&
      "kind" in field &&
      (field as { kind: string }).kind === "inherit"
    ) {
      throw bad(
        "PUBLISH_MANIFEST_INVALID",
        `the crate's Cargo.toml still inherits \`${key}\` from a workspace; publish a normalized manifest`,
      );
    }
  }
}

/** Non-optional normal and build dependencies must be satisfiable; the rest only warn. */
async function checkDependencies(
  ctx: PublishContext,
  meta: PublishMetadata,
  warnings: string[],
): Promise<void> {
  for (const dep of meta.deps) {
    const required = !dep.optional && dep.kind !== "dev";
    const where = dep.registry;
    if (where !== undefined && where !== null && where !== "") {
      const allowed = ctx.config.allowedRegistries.some(
        (r) => r.replace(/\/+$/, "") === where.replace(/\/+$/, ""),
      );
      if (!allowed) {
        if (required) {
          throw bad(
            "PUBLISH_DEPENDENCY_REGISTRY",
            `dependency \`${dep.name}\` comes from registry \`${where}\`, which this registry does not allow (allowed: ${ctx.config.allowedRegistries.join(", ") || "none"})`,
          );
        }
        warnings.push(
          `${dep.kind === "dev" ? "dev-dependency" : "optional dependency"} \`${dep.name}\` comes from registry \`${where}\`, which this registry does not allow`,
        );
      }
      continue;
    }
    if (await ctx.store.findCrate(dep.name)) continue;
    if (required) {
      throw bad(
        "PUBLISH_DEPENDENCY_MISSING",
        `no crate named \`${dep.name}\` exists in this registry (required by this crate's ${dep.kind === "build" ? "build-" : ""}dependencies)`,
      );
    }
    warnings.push(
      `${dep.kind === "dev" ? "dev-dependency" : "optional dependency"} \`${dep.name}\` does not exist in this registry`,
    );
  }
}

export async function publishCrate(
  ctx: PublishContext,
  body: Uint8Array,
  req: RequestInfo,
): Promise<PublishResult> {
  // a token must be live before any parsing work is spent on the body
  const auth = await authenticate({ token: req.authorization, store: ctx.store, now: ctx.now });
  if (!auth.ok)
    throw new ApiError(auth.status, auth.code, auth.hint ? `${auth.message} (${auth.hint})` : auth.message);

  const { metadata: meta, crateBytes } = parsePublishBody(body, {
    maxMetadataBytes: ctx.config.maxMetadataBytes,
    maxCrateBytes: ctx.config.maxCrateBytes,
  });
  if (isReservedCrateName(meta.name)) {
    throw bad(
      "PUBLISH_NAME_RESERVED",
      `the crate name \`${meta.name}\` is reserved (standard library crate or a Windows device name)`,
    );
  }
  const grant = await authorize({
    token: req.authorization,
    action: "publish-update",
    crateName: meta.name,
    store: ctx.store,
    now: ctx.now,
    authRequired: ctx.authRequired,
  });
  if (!grant.ok)
    throw new ApiError(
      grant.status,
      grant.code,
      grant.hint ? `${grant.message} (${grant.hint})` : grant.message,
    );
  const user = grant.user!;
  if (await ctx.store.isTombstoned(meta.name, meta.vers)) {
    throw new ApiError(
      409,
      "REGISTRY_VERSION_TOMBSTONED",
      `crate \`${meta.name}\` version \`${meta.vers}\` was deleted and can never be published again`,
    );
  }
  if (await ctx.store.getVersion(meta.name, meta.vers)) {
    throw new ApiError(
      409,
      "REGISTRY_VERSION_EXISTS",
      `crate version \`${meta.name}@${meta.vers}\` is already uploaded`,
    );
  }
  // The store refuses these too, but only after the blob is written: refuse them here so a
  // refused upload leaves nothing behind (the store stays the last word for races).
  const existing = grant.newCrate ? undefined : await ctx.store.getCrate(meta.name);
  if (existing !== undefined && existing.name !== meta.name) {
    throw new ApiError(
      409,
      "REGISTRY_CRATE_NAME_COLLISION",
      `crate \`${meta.name}\` collides with the existing crate \`${existing.name}\` (publish it as \`${existing.name}\`, or choose a different name)`,
    );
  }
  const parsedVersion = tryParseVersion(meta.vers);
  if (existing !== undefined && parsedVersion.ok) {
    const canonical = formatVersion({ ...parsedVersion.value, build: "" });
    const same = existing.versions.find((v) => {
      const p = tryParseVersion(v.num);
      return p.ok && formatVersion({ ...p.value, build: "" }) === canonical;
    });
    if (same !== undefined) {
      throw new ApiError(
        409,
        "REGISTRY_VERSION_EXISTS",
        `crate version \`${meta.name}@${meta.vers}\` differs only in build metadata from the uploaded \`${same.num}\``,
      );
    }
  }
  const limited = await checkPublishRateLimit({
    store: ctx.store,
    userId: user.id,
    kind: grant.newCrate ? "new-crate" : "new-version",
    limits: {
      "new-crate": {
        burst: ctx.config.rateLimits.newCrate.burst,
        perMinute: ctx.config.rateLimits.newCrate.perHour / 60,
      },
      "new-version": {
        burst: ctx.config.rateLimits.newVersion.burst,
        perMinute: ctx.config.rateLimits.newVersion.perHour / 60,
      },
    },
  });
  if (!limited.ok)
    throw new ApiError(
      429,
      limited.code,
      `${limited.message}${limited.hint ? ` (${limited.hint})` : ""}`,
      limited.retryAfterSeconds,
    );

  const archive = readCrateArchive(crateBytes, {
    name: meta.name,
    version: meta.vers,
    limits: { maxUnpackedBytes: ctx.config.maxUnpackedBytes },
  });
  checkManifest(meta, archive.cargoToml);
  const warnings: string[] = [];
  await checkDependencies(ctx, meta, warnings);

  const cksum = sha256Hex(crateBytes);
  await storeCrateVersion({
    store: ctx.store,
    blobs: ctx.blobs,
    now: ctx.now,
    meta,
    crateBytes,
    cksum,
    userId: user.id,
    remoteAddr: req.remoteAddr,
    expectNewCrate: grant.newCrate,
  });
  return { warnings: { invalid_categories: [], invalid_badges: [], other: warnings } };
}
