/**
 * The command table. Each command lives in its own file and registers itself on the
 * program; keep this list sorted.
 */
import type { Command } from "@commander-js/extra-typings";
import { registerAdd } from "./add.js";
import { registerAudit } from "./audit.js";
import { registerBuild } from "./build.js";
import { registerCheck } from "./check.js";
import { registerClean } from "./clean.js";
import { registerFetch } from "./fetch.js";
import { registerGenerateLockfile } from "./generate-lockfile.js";
import { registerMetadata } from "./metadata.js";
import { registerInit, registerNew } from "./new.js";
import { registerRegistry } from "./registry.js";
import { registerRemove } from "./remove.js";
import { registerRun } from "./run.js";
import { registerTree } from "./tree.js";
import { registerUpdate } from "./update.js";
import { registerVendor } from "./vendor.js";

export type RegisterCommand = (program: Command) => void;

export const COMMANDS: readonly RegisterCommand[] = [
  registerAdd,
  registerAudit,
  registerBuild,
  registerCheck,
  registerClean,
  registerFetch,
  registerGenerateLockfile,
  registerInit,
  registerMetadata,
  registerNew,
  registerRegistry,
  registerRemove,
  registerRun,
  registerTree,
  registerUpdate,
  registerVendor,
];
