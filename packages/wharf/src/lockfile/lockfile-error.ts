/** The one way this module fails on bad input: a WharfError naming the lock file. */
import { WharfError } from "@wharf/protocol";

export function lockfileError(code: string, file: string, detail: string, cause?: unknown): WharfError {
  return new WharfError({
    code,
    message: `failed to parse lock file at ${file}: ${detail}`,
    hint: "the lock file is generated: delete it and let wharf (or cargo) write a fresh one",
    cause,
  });
}
