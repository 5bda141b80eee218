/**
 * The command table. Each command lives in its own file and registers itself on the
 * program; keep this list sorted.
 */
import type { Command } from "@commander-js/extra-typings";
import { registerGenerateLockfile } from "./generate-lockfile.js";
import { registerMetadata } from "./metadata.js";
import { registerInit, registerNew } from "./new.js";
import { registerRegistry } from "./registry.js";

export type RegisterCommand = (program: Command) => void;

export const COMMANDS: readonly RegisterCommand[] = [
  registerGenerateLockfile,
  registerInit,
  registerMetadata,
  registerNew,
  registerRegistry,
];
