/**
 * Bounds on manifest input. A Cargo.toml is written by people; anything past these is either a
 * mistake or an attack on the parser, and is refused with a clear error instead of a hang.
 */

/** Largest Cargo.toml accepted, in bytes (the largest in the corpus is well under 64 KiB). */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
/** Deepest nesting of tables and arrays accepted. */
export const MAX_MANIFEST_DEPTH = 64;
/** Largest single string value accepted, in characters. */
export const MAX_MANIFEST_STRING = 1024 * 1024;
