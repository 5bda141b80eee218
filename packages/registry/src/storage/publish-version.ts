/**
 * Publishing one version: every check and every write in ONE transaction, so the version
 * row, the crate's index counter and the audit entry appear together or not at all. The
 * blob is written by the caller before this runs (see docs/registry-storage.md): a crash
 * leaves at most an orphan blob, never a row pointing at nothing.
 */
import {
  canonicalCrateName,
  compareVersions,
  formatVersion,
  tryParseVersion,
  type Version,
  validateRegistryCrateName,
} from "@wharf/protocol";
import { appendAudit } from "./audit-log.js";
import { isBlobHash } from "./blob-store.js";
import type { PublishVersionInput, PublishVersionResult } from "./registry-store.js";
import { storageError } from "./storage-error.js";
import { inTransaction, isoNow, type StoreContext } from "./store-context.js";
import { isUniqueViolation } from "./unique-violation.js";

export interface CheckedVersion {
  readonly version: Version;
  /** without build metadata: the identity cargo and crates.io compare */
  readonly canonical: string;
}

export function checkVersion(text: string): CheckedVersion {
  const parsed = tryParseVersion(text);
  if (!parsed.ok) {
    throw storageError({
      code: "REGISTRY_INVALID_INPUT",
      message: `invalid version \`${text.slice(0, 80)}\`: ${parsed.reason}`,
    });
  }
  return { version: parsed.value, canonical: formatVersion({ ...parsed.value, build: "" }) };
}

function checkInput(input: PublishVersionInput): CheckedVersion {
  const nameError = validateRegistryCrateName(input.crateName);
  if (nameError !== undefined)
    throw storageError({ code: "REGISTRY_INVALID_INPUT", message: nameError.message });
  const checked = checkVersion(input.version);
  for (const [what, value] of [
    ["cksum", input.cksum],
    ["blob hash", input.blobHash],
  ] as const) {
    if (!isBlobHash(value)) {
      throw storageError({ code: "REGISTRY_INVALID_INPUT", message: `${what} is not a sha256 hex digest` });
    }
  }
  if (!Number.isSafeInteger(input.size) || input.size < 0) {
    throw storageError({ code: "REGISTRY_INVALID_INPUT", message: `invalid crate size ${input.size}` });
  }
  checkIndexLine(input);
  return checked;
}

/** The stored line is what clients verify downloads against: it must describe this row. */
function checkIndexLine(input: PublishVersionInput): void {
  let line: unknown;
  try {
    line = JSON.parse(input.indexLine);
  } catch (cause) {
    throw storageError({
      code: "REGISTRY_INDEX_LINE_MISMATCH",
      message: "the index line is not JSON",
      cause,
    });
  }
  if (typeof line !== "object" || line === null || Array.isArray(line) || input.indexLine.includes("\n")) {
    throw storageError({
      code: "REGISTRY_INDEX_LINE_MISMATCH",
      message: "the index line is not one JSON object",
    });
  }
  const fields = line as Record<string, unknown>;
  const expected: Record<string, string> = { name: input.crateName, vers: input.version, cksum: input.cksum };
  for (const [key, value] of Object.entries(expected)) {
    if (fields[key] !== value) {
      throw storageError({
        code: "REGISTRY_INDEX_LINE_MISMATCH",
        message: `the index line's \`${key}\` does not match the published ${key === "vers" ? "version" : key}`,
        notes: [`expected ${JSON.stringify(value)}, found ${JSON.stringify(fields[key])}`],
      });
    }
  }
}

export async function publishVersion(
  ctx: StoreContext,
  input: PublishVersionInput,
): Promise<PublishVersionResult> {
  const checked = checkInput(input);
  const canonicalName = canonicalCrateName(input.crateName);
  return inTransaction(ctx, async (trx) => {
    const now = isoNow(trx);
    const tombstone = await trx.db
      .selectFrom("tombstones")
      .select(["version"])
      .where("canonical_name", "=", canonicalName)
      .where((eb) => eb.or([eb("version", "is", null), eb("version", "=", checked.canonical)]))
      .executeTakeFirst();
    if (tombstone !== undefined) {
      throw tombstone.version === null
        ? storageError({
            code: "REGISTRY_CRATE_TOMBSTONED",
            message: `crate \`${input.crateName}\` was deleted from this registry and its name cannot be reused`,
          })
        : storageError({
            code: "REGISTRY_VERSION_TOMBSTONED",
            message: `${input.crateName}@${checked.canonical} was deleted from this registry and cannot be published again`,
            hint: "publish a new version number instead",
          });
    }

    const user = await trx.db
      .selectFrom("users")
      .select(["id", "is_admin"])
      .where("id", "=", input.userId)
      .executeTakeFirst();
    if (user === undefined) {
      throw storageError({ code: "REGISTRY_USER_NOT_FOUND", message: `no user with id ${input.userId}` });
    }

    let crate = await trx.db
      .selectFrom("crates")
      .select(["id", "name", "max_version", "index_version"])
      .where("canonical_name", "=", canonicalName)
      .executeTakeFirst();
    let crateCreated = false;
    if (crate !== undefined) {
      if (crate.name !== input.crateName) {
        throw storageError({
          code: "REGISTRY_CRATE_NAME_COLLISION",
          message: `crate \`${input.crateName}\` collides with the existing crate \`${crate.name}\``,
          hint: `publish it as \`${crate.name}\`, or choose a different name`,
        });
      }
      if (input.expectNewCrate === true) {
        throw storageError({
          code: "REGISTRY_CRATE_EXISTS",
          message: `crate \`${input.crateName}\` was created by another publish while this one was checked`,
          hint: "publishing to an existing crate needs the publish-update scope",
        });
      }
      // Authorization already checked ownership; repeating it here closes the window in
      // which the publisher was removed as an owner between that check and this commit.
      if (user.is_admin === 0) {
        const owner = await trx.db
          .selectFrom("crate_owners")
          .select("user_id")
          .where("crate_id", "=", crate.id)
          .where("user_id", "=", input.userId)
          .executeTakeFirst();
        if (owner === undefined) {
          throw storageError({
            code: "REGISTRY_NOT_AN_OWNER",
            message: `you are not an owner of crate \`${crate.name}\``,
          });
        }
      }
      const existing = await trx.db
        .selectFrom("versions")
        .select(["num"])
        .where("crate_id", "=", crate.id)
        .where((eb) => eb.or([eb("num", "=", input.version), eb("canonical_num", "=", checked.canonical)]))
        .executeTakeFirst();
      if (existing !== undefined) throw versionExists(input, existing.num);
    } else {
      try {
        const inserted = await trx.db
          .insertInto("crates")
          .values({
            name: input.crateName,
            canonical_name: canonicalName,
            ...metadataColumns(input),
            max_version: input.version,
            created_at: now,
            updated_at: now,
            index_version: 0,
            index_updated_at: now,
          })
          .returning(["id"])
          .executeTakeFirstOrThrow();
        crate = { id: inserted.id, name: input.crateName, max_version: input.version, index_version: 0 };
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        throw storageError({
          code: "REGISTRY_CRATE_NAME_COLLISION",
          message: `crate \`${input.crateName}\` was created by a concurrent publish`,
          hint: "retry the publish",
          cause: error,
        });
      }
      crateCreated = true;
      await trx.db
        .insertInto("crate_owners")
        .values({ crate_id: crate.id, user_id: input.userId, added_at: now })
        .execute();
    }

    let versionId: number;
    try {
      const inserted = await trx.db
        .insertInto("versions")
        .values({
          crate_id: crate.id,
          num: input.version,
          canonical_num: checked.canonical,
          cksum: input.cksum,
          blob_hash: input.blobHash,
          index_line: input.indexLine,
          yanked: 0,
          published_by: input.userId,
          published_at: now,
          size: input.size,
          links: input.links,
          rust_version: input.rustVersion,
        })
        .returning(["id"])
        .executeTakeFirstOrThrow();
      versionId = inserted.id;
    } catch (error) {
      // The unique constraint is the last word when two publishes race past the read above.
      if (isUniqueViolation(error)) throw versionExists(input, input.version, error);
      throw error;
    }

    const newest = crateCreated || isNewer(checked.version, crate.max_version);
    const indexVersion = crate.index_version + 1;
    await trx.db
      .updateTable("crates")
      .set({
        index_version: indexVersion,
        index_updated_at: now,
        updated_at: now,
        ...(newest && !crateCreated ? { ...metadataColumns(input), max_version: input.version } : {}),
      })
      .where("id", "=", crate.id)
      .execute();

    await appendAudit(trx, {
      actor: { kind: "user", userId: input.userId },
      action: "publish",
      crateName: crate.name,
      version: input.version,
      detail: { cksum: input.cksum, size: input.size, newCrate: crateCreated },
      remoteAddr: input.remoteAddr,
    });
    return { crateId: crate.id, versionId, crateCreated, publishedAt: now, indexVersion };
  });
}

function versionExists(input: PublishVersionInput, existing: string, cause?: unknown) {
  return storageError({
    code: "REGISTRY_VERSION_EXISTS",
    message:
      existing === input.version
        ? `crate version \`${input.crateName}@${input.version}\` is already uploaded`
        : `crate version \`${input.crateName}@${input.version}\` differs only in build metadata from the uploaded \`${existing}\``,
    hint: "versions are immutable: bump the version number and publish again",
    cause,
  });
}

function isNewer(version: Version, current: string): boolean {
  const parsed = tryParseVersion(current);
  return !parsed.ok || compareVersions(version, parsed.value) > 0;
}

function metadataColumns(input: PublishVersionInput) {
  const m = input.metadata;
  return {
    description: m.description ?? null,
    homepage: m.homepage ?? null,
    repository: m.repository ?? null,
    documentation: m.documentation ?? null,
    license: m.license ?? null,
    keywords: JSON.stringify(m.keywords ?? []),
    categories: JSON.stringify(m.categories ?? []),
  };
}
