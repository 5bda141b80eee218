/**
 * Read-only queries over crates and versions: lookup, details for the web UI, the sparse
 * index file and search. Names are looked up by their canonical form, as cargo and
 * crates.io treat `Foo-Bar` and `foo_bar` as one crate.
 */
import { canonicalCrateName } from "@wharf/protocol";
import { sql } from "kysely";
import type {
  CrateDetails,
  CrateSummary,
  IndexFile,
  SearchInput,
  SearchResult,
  VersionRecord,
} from "./registry-store.js";
import { parseStringArray, toCrateSummary, toUserRecord } from "./rows.js";
import type { StoreContext } from "./store-context.js";

export const MAX_SEARCH_PER_PAGE = 100;
export const DEFAULT_SEARCH_PER_PAGE = 10;

export async function findCrate(ctx: StoreContext, name: string): Promise<CrateSummary | undefined> {
  const row = await ctx.db
    .selectFrom("crates")
    .selectAll()
    .where("canonical_name", "=", canonicalCrateName(name))
    .executeTakeFirst();
  return row === undefined ? undefined : toCrateSummary(row);
}

async function listVersionRows(ctx: StoreContext, crateId: number, version?: string) {
  let select = ctx.db
    .selectFrom("versions")
    .innerJoin("crates", "crates.id", "versions.crate_id")
    .innerJoin("users", "users.id", "versions.published_by")
    .select([
      "versions.id",
      "crates.name as crate_name",
      "versions.num",
      "versions.cksum",
      "versions.blob_hash",
      "versions.yanked",
      "versions.published_by",
      "users.login as publisher_login",
      "versions.published_at",
      "versions.size",
      "versions.links",
      "versions.rust_version",
      "versions.index_line",
    ])
    .where("versions.crate_id", "=", crateId);
  if (version !== undefined) select = select.where("versions.num", "=", version);
  return select.orderBy("versions.id", "asc").execute();
}

type VersionRow = Awaited<ReturnType<typeof listVersionRows>>[number];

function toVersionRecord(row: VersionRow): VersionRecord {
  return {
    id: row.id,
    crateName: row.crate_name,
    num: row.num,
    cksum: row.cksum,
    blobHash: row.blob_hash,
    yanked: row.yanked !== 0,
    publishedBy: { id: row.published_by, login: row.publisher_login },
    publishedAt: row.published_at,
    size: row.size,
    links: row.links,
    rustVersion: row.rust_version,
  };
}

export async function getCrate(ctx: StoreContext, name: string): Promise<CrateDetails | undefined> {
  const row = await ctx.db
    .selectFrom("crates")
    .selectAll()
    .where("canonical_name", "=", canonicalCrateName(name))
    .executeTakeFirst();
  if (row === undefined) return undefined;
  const owners = await ctx.db
    .selectFrom("crate_owners")
    .innerJoin("users", "users.id", "crate_owners.user_id")
    .selectAll("users")
    .where("crate_owners.crate_id", "=", row.id)
    .orderBy("users.login")
    .execute();
  const versions = await listVersionRows(ctx, row.id);
  return {
    ...toCrateSummary(row),
    homepage: row.homepage,
    repository: row.repository,
    documentation: row.documentation,
    license: row.license,
    keywords: parseStringArray(row.keywords),
    categories: parseStringArray(row.categories),
    indexVersion: row.index_version,
    indexUpdatedAt: row.index_updated_at,
    owners: owners.map(toUserRecord),
    versions: versions.map(toVersionRecord),
  };
}

export async function getVersion(
  ctx: StoreContext,
  crateName: string,
  version: string,
): Promise<VersionRecord | undefined> {
  const crate = await findCrate(ctx, crateName);
  if (crate === undefined) return undefined;
  const [row] = await listVersionRows(ctx, crate.id, version);
  return row === undefined ? undefined : toVersionRecord(row);
}

/**
 * The sparse index file. Only the crate's own spelling, in any letter case, finds it (the
 * index path is lowercase); the other `-`/`_` spelling is a 404, which cargo then retries.
 */
export async function indexFile(ctx: StoreContext, crateName: string): Promise<IndexFile | undefined> {
  const row = await ctx.db
    .selectFrom("crates")
    .select(["id", "name", "index_version", "index_updated_at"])
    .where("canonical_name", "=", canonicalCrateName(crateName))
    .executeTakeFirst();
  if (row === undefined || row.name.toLowerCase() !== crateName.toLowerCase()) return undefined;
  const versions = await ctx.db
    .selectFrom("versions")
    .select(["index_line", "yanked"])
    .where("crate_id", "=", row.id)
    .orderBy("id", "asc")
    .execute();
  let content = "";
  for (const version of versions) content += `${applyYanked(version.index_line, version.yanked !== 0)}\n`;
  return {
    crateName: row.name,
    content,
    lineCount: versions.length,
    indexVersion: row.index_version,
    updatedAt: row.index_updated_at,
  };
}

export async function indexMarker(
  ctx: StoreContext,
  crateName: string,
): Promise<{ indexVersion: number; updatedAt: string } | undefined> {
  const row = await ctx.db
    .selectFrom("crates")
    .select(["name", "index_version", "index_updated_at"])
    .where("canonical_name", "=", canonicalCrateName(crateName))
    .executeTakeFirst();
  if (row === undefined || row.name.toLowerCase() !== crateName.toLowerCase()) return undefined;
  return { indexVersion: row.index_version, updatedAt: row.index_updated_at };
}

/**
 * The stored line is immutable; `yanked` is the one field that changes, so it is applied
 * on read. Assigning an existing key keeps the key order of the stored (sorted) line.
 */
export function applyYanked(indexLine: string, yanked: boolean): string {
  const parsed = JSON.parse(indexLine) as Record<string, unknown>;
  if (parsed["yanked"] === yanked) return indexLine;
  parsed["yanked"] = yanked;
  return JSON.stringify(parsed);
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

export async function searchCrates(ctx: StoreContext, input: SearchInput): Promise<SearchResult> {
  const perPage = Math.min(
    Math.max(Math.trunc(input.perPage ?? DEFAULT_SEARCH_PER_PAGE), 1),
    MAX_SEARCH_PER_PAGE,
  );
  const page = Math.max(Math.trunc(input.page ?? 1), 1);
  const query = input.query.trim().slice(0, 200);
  const canonical = canonicalCrateName(query);
  const namePattern = likePattern(canonical);
  const textPattern = likePattern(query.toLowerCase());
  // lower() and an explicit ESCAPE behave the same on SQLite and PostgreSQL, where plain
  // LIKE differs in case sensitivity and escape character.
  const base = ctx.db
    .selectFrom("crates")
    .where((eb) =>
      eb.or([
        sql<boolean>`canonical_name like ${namePattern} escape '\\'`,
        sql<boolean>`lower(coalesce(description, '')) like ${textPattern} escape '\\'`,
        sql<boolean>`lower(keywords) like ${textPattern} escape '\\'`,
      ]),
    );
  const count = await base
    .select((eb) => eb.fn.countAll<number | string>().as("total"))
    .executeTakeFirstOrThrow();
  const rows = await base
    .selectAll()
    .orderBy(sql`case when canonical_name = ${canonical} then 0 else 1 end`)
    .orderBy("canonical_name")
    .limit(perPage)
    .offset((page - 1) * perPage)
    .execute();
  return { crates: rows.map(toCrateSummary), total: Number(count.total), page, perPage };
}
