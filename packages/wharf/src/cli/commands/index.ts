/**
 * The command table. Each command lives in its own file and registers itself on the
 * program; keep this list sorted.
 */
import type { Command } from "@commander-js/extra-typings";
import { registerAdd } from "./add.js";
import { registerFetch } from "./fetch.js";
import { registerGenerateLockfile } from "./generate-lockfile.js";
import { registerMetadata } from "./metadata.js";
import { registerInit, registerNew } from "./new.js";
import { registerPackage } from "./package.js";
import { registerRegistry } from "./registry.js";
import { registerRemove } from "./remove.js";
import { registerTree } from "./tree.js";
import { registerUpdate } from "./update.js";
import { registerVendor } from "./vendor.js";

export type RegisterCommand = (program: Command) => void;

export const COMMANDS: readonly RegisterCommand[] = [
  registerAdd,
  registerFetch,
  registerGenerateLockfile,
  registerInit,
  registerMetadata,
  registerNew,
  registerPackage,
  registerRegistry,
  registerRemove,
  registerTree,
  registerUpdate,
  registerVendor,
];
