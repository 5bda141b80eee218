/**
 * The running policy of `--sandbox` (`wharf test --sandbox`, `wharf run --sandbox`): the
 * program gets a cleared environment (the variables a build job may see, no HOME, no
 * credentials), one fresh writable temp dir (TMPDIR), read access to its package, the
 * target dir and the toolchain, and no network, enforced by the Sandbox implementation.
 *
 * Where protection stops: with the direct Sandbox (the default until a confining one is
 * configured) only the environment and the limits change; the program can still read
 * every file the user can (~/.ssh included), write outside its temp dir and use the
 * network. Without `--sandbox` a test binary runs as cargo runs it: with the user's full
 * environment and rights, bounded only by the time, memory and process limits.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DirectSandbox, type Sandbox } from "../sandbox/index.js";
import { passthroughEnv } from "./build-settings.js";

export interface RunSandbox {
  impl: Sandbox;
  /** the one writable directory (TMPDIR) */
  writeDir: string;
  env: Record<string, string>;
  cleanup(): void;
}

/** The Sandbox programs run in; a confining implementation plugs in here. */
export function runningSandbox(): Sandbox {
  return new DirectSandbox();
}

export function openRunSandbox(
  env: Readonly<Record<string, string | undefined>>,
  impl?: Sandbox,
): RunSandbox {
  const writeDir = mkdtempSync(join(tmpdir(), "wharf-run-"));
  const tmp = join(writeDir, "tmp");
  mkdirSync(tmp);
  const cleared = passthroughEnv(env);
  // no home: programs that look for ~/.ssh or ~/.cargo/credentials find nothing there
  cleared.HOME = "/nonexistent";
  cleared.TMPDIR = tmp;
  return {
    impl: impl ?? runningSandbox(),
    writeDir,
    env: cleared,
    cleanup: () => rmSync(writeDir, { recursive: true, force: true }),
  };
}
