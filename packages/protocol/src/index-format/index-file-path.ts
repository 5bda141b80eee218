/** Where a crate's index file lives in a sparse or git index (cargo's `make_dep_path`). */
import { WharfError } from "../errors/index.js";

export function indexFilePath(name: string): string {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) {
    throw new WharfError({
      code: "INDEX_NAME_INVALID",
      message: `\`${JSON.stringify(name).slice(1, -1)}\` is not a crate name that can have an index file`,
    });
  }
  const n = name.toLowerCase();
  switch (n.length) {
    case 1:
      return `1/${n}`;
    case 2:
      return `2/${n}`;
    case 3:
      return `3/${n[0]}/${n}`;
    default:
      return `${n.slice(0, 2)}/${n.slice(2, 4)}/${n}`;
  }
}
