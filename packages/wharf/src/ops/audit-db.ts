/**
 * Reading a RustSec advisory database checkout from disk: every advisory file under
 * `crates/<name>/` (`RUSTSEC-*.md`, or `.toml` in old checkouts), parsed by the protocol
 * package's pure parser. A missing directory or a malformed advisory is an error naming it.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { type Advisory, parseAdvisory, WharfError } from "@wharf/protocol";

export function readAdvisoryDb(dir: string): Advisory[] {
  const crates = join(dir, "crates");
  if (!existsSync(crates) || !statSync(crates).isDirectory()) {
    throw new WharfError({
      code: "AUDIT_DB_MISSING",
      message: `no advisory database at ${dir} (it has no \`crates\` directory)`,
      hint: "pass `--db DIR` with a checkout of the RustSec advisory-db, or set `[audit] advisory-db` in $WHARF_HOME/config.toml",
    });
  }
  const advisories: Advisory[] = [];
  for (const name of readdirSync(crates).sort()) {
    const sub = join(crates, name);
    if (!statSync(sub).isDirectory()) continue;
    for (const file of readdirSync(sub).sort()) {
      if (!/\.(md|toml)$/.test(file)) continue;
      const path = join(sub, file);
      advisories.push(parseAdvisory(path, readFileSync(path, "utf8")));
    }
  }
  return advisories;
}
