/** config.json of a sparse registry, validated once at the edge (Cargo Book, "Registry Index"). */
import { WharfError } from "@wharf/protocol";

export interface SparseRegistryConfig {
  /** download URL template (or base) for .crate files */
  dl: string;
  /** web API base, absent for download-only registries */
  api?: string | undefined;
  /** every request needs the token, index included */
  authRequired: boolean;
}

export function parseRegistryConfig(text: string, source: string): SparseRegistryConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new WharfError({ code: "REGISTRY_CONFIG_INVALID", message: `${source} is not valid JSON`, cause });
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new WharfError({ code: "REGISTRY_CONFIG_INVALID", message: `${source} is not a JSON object` });
  }
  const r = raw as Record<string, unknown>;
  if (typeof r.dl !== "string" || r.dl === "") {
    throw new WharfError({
      code: "REGISTRY_CONFIG_INVALID",
      message: `${source}: \`dl\` must be a non-empty string`,
    });
  }
  if (r.api !== undefined && r.api !== null && typeof r.api !== "string") {
    throw new WharfError({ code: "REGISTRY_CONFIG_INVALID", message: `${source}: \`api\` must be a string` });
  }
  const auth = r["auth-required"];
  if (auth !== undefined && auth !== null && typeof auth !== "boolean") {
    throw new WharfError({
      code: "REGISTRY_CONFIG_INVALID",
      message: `${source}: \`auth-required\` must be true or false`,
    });
  }
  return { dl: r.dl, api: typeof r.api === "string" ? r.api : undefined, authRequired: auth === true };
}
