/**
 * Recognises a unique-constraint failure from either database driver, so a lost race
 * becomes a typed error instead of a 500: better-sqlite3 reports SQLITE_CONSTRAINT_UNIQUE
 * (or _PRIMARYKEY), node-postgres reports SQLSTATE 23505.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== "object" || error === null || !("code" in error)) return false;
  const code = error.code;
  return code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "23505";
}
