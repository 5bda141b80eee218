/**
 * Where Wharf's and cargo's homes are: WHARF_HOME (default ~/.wharf) and CARGO_HOME (default
 * ~/.cargo). Only the CLI picks these defaults; every module below takes the paths as
 * arguments, so tests always pass their own.
 */
import { homedir } from "node:os";
import { join, resolve } from "node:path";

export function cargoHome(env: Readonly<Record<string, string | undefined>>, cwd: string): string {
  if (env.CARGO_HOME) return resolve(cwd, env.CARGO_HOME);
  return join(env.HOME ?? homedir(), ".cargo");
}

export function wharfHome(env: Readonly<Record<string, string | undefined>>, cwd: string): string {
  if (env.WHARF_HOME) return resolve(cwd, env.WHARF_HOME);
  return join(env.HOME ?? homedir(), ".wharf");
}
