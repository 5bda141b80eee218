/**
 * The storage layer's failures as WharfErrors with stable codes, plus the HTTP status each
 * one maps to, so the HTTP handlers translate them without string matching.
 */
import { WharfError } from "@wharf/protocol";

export const STORAGE_ERROR_STATUS = {
  REGISTRY_VERSION_EXISTS: 409,
  REGISTRY_VERSION_TOMBSTONED: 409,
  REGISTRY_CRATE_TOMBSTONED: 409,
  REGISTRY_CRATE_NAME_COLLISION: 409,
  REGISTRY_CRATE_EXISTS: 409,
  REGISTRY_NOT_AN_OWNER: 403,
  REGISTRY_LAST_OWNER: 409,
  REGISTRY_CRATE_NOT_FOUND: 404,
  REGISTRY_VERSION_NOT_FOUND: 404,
  REGISTRY_USER_NOT_FOUND: 404,
  REGISTRY_USER_EXISTS: 409,
  REGISTRY_TOKEN_NOT_FOUND: 404,
  REGISTRY_INVALID_INPUT: 400,
  REGISTRY_INDEX_LINE_MISMATCH: 400,
  REGISTRY_BLOB_CORRUPT: 500,
  REGISTRY_BLOB_INVALID_HASH: 400,
} as const;

export type StorageErrorCode = keyof typeof STORAGE_ERROR_STATUS;

export interface StorageErrorOptions {
  code: StorageErrorCode;
  message: string;
  hint?: string | undefined;
  notes?: readonly string[] | undefined;
  cause?: unknown;
}

export function storageError(options: StorageErrorOptions): WharfError {
  return new WharfError(options);
}

export function isStorageErrorCode(code: string): code is StorageErrorCode {
  return Object.hasOwn(STORAGE_ERROR_STATUS, code);
}

/** The HTTP status for a storage error, or 500 for anything the storage layer did not expect. */
export function storageErrorStatus(error: unknown): number {
  if (error instanceof WharfError && isStorageErrorCode(error.code)) return STORAGE_ERROR_STATUS[error.code];
  return 500;
}
