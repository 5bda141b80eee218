/**
 * The command table. Each command lives in its own file and registers itself on the
 * program; keep this list sorted.
 */
import type { Command } from "@commander-js/extra-typings";
import { registerAdd } from "./add.js";
import { registerAudit } from "./audit.js";
import { registerBench } from "./bench.js";
import { registerBuild } from "./build.js";
import { registerCheck } from "./check.js";
import { registerClean } from "./clean.js";
import { registerDoc } from "./doc.js";
import { registerFetch } from "./fetch.js";
import { registerGenerateLockfile } from "./generate-lockfile.js";
import { registerLogin } from "./login.js";
import { registerLogout } from "./logout.js";
import { registerMetadata } from "./metadata.js";
import { registerInit, registerNew } from "./new.js";
import { registerOwner } from "./owner.js";
import { registerPackage } from "./package.js";
import { registerPublish } from "./publish.js";
import { registerRegistry } from "./registry.js";
import { registerRemove } from "./remove.js";
import { registerRun } from "./run.js";
import { registerSearch } from "./search.js";
import { registerTest } from "./test.js";
import { registerTree } from "./tree.js";
import { registerUpdate } from "./update.js";
import { registerVendor } from "./vendor.js";
import { registerYank } from "./yank.js";

export type RegisterCommand = (program: Command) => void;

export const COMMANDS: readonly RegisterCommand[] = [
  registerAdd,
  registerAudit,
  registerBench,
  registerBuild,
  registerCheck,
  registerClean,
  registerDoc,
  registerFetch,
  registerGenerateLockfile,
  registerInit,
  registerLogin,
  registerLogout,
  registerMetadata,
  registerNew,
  registerOwner,
  registerPackage,
  registerPublish,
  registerRegistry,
  registerRemove,
  registerRun,
  registerSearch,
  registerTest,
  registerTree,
  registerUpdate,
  registerVendor,
  registerYank,
];
