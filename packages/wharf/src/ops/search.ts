/**
 * `wharf search QUERY`: the registry's `GET /api/v1/crates?q=` shown as cargo shows it,
 * `name = "version"    # description`, descriptions aligned and cut to one line.
 */
import type { CliContext } from "../cli/context.js";
import { RegistryApi, registryTarget } from "./publish-api.js";

export interface SearchOptions {
  query: string;
  limit: number;
  registry?: string | undefined;
}

interface Found {
  name: string;
  version: string;
  description: string | undefined;
}

/** cargo's layout: `name = "ver"` padded to the longest, then `# description` (one line, at most 80 chars). */
export function formatSearchResults(crates: readonly Found[], total: number): string {
  const heads = crates.map((c) => `${c.name} = "${c.version}"`);
  const width = Math.max(0, ...heads.map((h) => h.length));
  let out = "";
  crates.forEach((c, i) => {
    const head = heads[i]!;
    if (c.description === undefined || c.description.trim() === "") {
      out += `${head}\n`;
      return;
    }
    let desc = c.description.replace(/\s+/g, " ").trim();
    if (desc.length > 80) desc = `${desc.slice(0, 77)}...`;
    out += `${head.padEnd(width)}    # ${desc}\n`;
  });
  if (total > crates.length) {
    out += `... and ${total - crates.length} crates more (use --limit N to see more)\n`;
  }
  return out;
}

export async function search(ctx: CliContext, options: SearchOptions): Promise<void> {
  const api = new RegistryApi(ctx, registryTarget(ctx, options.registry));
  try {
    const q = new URLSearchParams({
      q: options.query,
      per_page: String(Math.min(Math.max(options.limit, 1), 100)),
    });
    const res = await api.call("GET", `/api/v1/crates?${q}`, {
      auth: false,
      what: `search registry \`${api.target.name}\``,
    });
    const json = res.json as { crates?: unknown; meta?: { total?: unknown } } | undefined;
    const crates: Found[] = (Array.isArray(json?.crates) ? json.crates : []).flatMap((c: unknown) => {
      const r = c as { name?: unknown; max_version?: unknown; description?: unknown };
      if (typeof r.name !== "string" || typeof r.max_version !== "string") return [];
      return [
        {
          name: r.name,
          version: r.max_version,
          description: typeof r.description === "string" ? r.description : undefined,
        },
      ];
    });
    const total = typeof json?.meta?.total === "number" ? json.meta.total : crates.length;
    ctx.shell.out(formatSearchResults(crates, total));
  } finally {
    await api.close();
  }
}
