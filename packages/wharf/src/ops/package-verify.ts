/**
 * The verify step of `wharf package` / `wharf publish` (cargo's `run_verify`): build the
 * unpacked .crate on its own, sandboxed, against the registry, and make sure the build
 * did not modify the sources. The builder fills `verifyUnpackedPackage` in; until then
 * packaging says plainly that the crate was not verified (`--no-verify` skips the step).
 */
import type { Package } from "@wharf/protocol";
import type { CliContext } from "../cli/context.js";

export interface VerifyRequest {
  pkg: Package;
  /** `<tmp>/<name>-<version>`: the archive's files, Cargo.lock included */
  unpackedDir: string;
  /** the .crate written to target/package */
  crateFile: string;
}

export type PackageVerifier = (ctx: CliContext, request: VerifyRequest) => Promise<void>;

/** Replaced by the builder's implementation; `undefined` means no build is possible yet. */
export const verifyUnpackedPackage: PackageVerifier | undefined = undefined;

export async function verifyPackage(ctx: CliContext, request: VerifyRequest): Promise<boolean> {
  if (verifyUnpackedPackage === undefined) {
    ctx.shell.note(
      `${request.pkg.name} v${request.pkg.version} was not verified: wharf cannot build crates yet (pass --no-verify to skip this step)`,
    );
    return false;
  }
  ctx.shell.status("Verifying", `${request.pkg.name} v${request.pkg.version} (${request.pkg.root})`);
  await verifyUnpackedPackage(ctx, request);
  return true;
}
