/**
 * The body of `PUT /api/v1/crates/new`: u32 LE length of the metadata JSON, the JSON, u32 LE
 * length of the .crate, the .crate. Parsing checks each declared length against the limit
 * first and then against the bytes actually present, so a lying length never allocates.
 */
import { WharfError } from "../errors/index.js";
import {
  formatPublishMetadata,
  type PublishMetadata,
  type PublishMetadataLimits,
} from "./publish-metadata.js";
import { validatePublishMetadata } from "./validate-publish-metadata.js";

export interface PublishBodyLimits {
  maxMetadataBytes: number;
  maxCrateBytes: number;
}

export interface PublishBody {
  metadata: PublishMetadata;
  crateBytes: Uint8Array;
}

/** The largest body worth reading at all; a server can refuse a longer Content-Length early. */
export function maxPublishBodyLength(limits: PublishBodyLimits): number {
  return 8 + limits.maxMetadataBytes + limits.maxCrateBytes;
}

export function encodePublishBody(meta: PublishMetadata, crateBytes: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(formatPublishMetadata(meta));
  const out = new Uint8Array(8 + json.length + crateBytes.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, json.length, true);
  out.set(json, 4);
  view.setUint32(4 + json.length, crateBytes.length, true);
  out.set(crateBytes, 8 + json.length);
  return out;
}

function bodyError(code: string, message: string, cause?: unknown): WharfError {
  return new WharfError({ code, message: `invalid publish request body: ${message}`, cause });
}

/** Splits and checks the framing only; the JSON is parsed but not validated. */
export function splitPublishBody(
  bytes: Uint8Array,
  limits: PublishBodyLimits,
): { metadataJson: unknown; crateBytes: Uint8Array } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 4)
    throw bodyError("PUBLISH_BODY_TRUNCATED", `${bytes.length} bytes, too short for the metadata length`);
  const jsonLength = view.getUint32(0, true);
  if (jsonLength > limits.maxMetadataBytes) {
    throw bodyError(
      "PUBLISH_BODY_METADATA_TOO_LARGE",
      `metadata is declared as ${jsonLength} bytes, above the ${limits.maxMetadataBytes}-byte limit`,
    );
  }
  if (4 + jsonLength + 4 > bytes.length) {
    throw bodyError(
      "PUBLISH_BODY_TRUNCATED",
      `metadata is declared as ${jsonLength} bytes but the body ends after ${bytes.length - 4}`,
    );
  }
  const crateLength = view.getUint32(4 + jsonLength, true);
  if (crateLength > limits.maxCrateBytes) {
    throw bodyError(
      "PUBLISH_BODY_CRATE_TOO_LARGE",
      `the .crate is declared as ${crateLength} bytes, above the ${limits.maxCrateBytes}-byte limit`,
    );
  }
  const expected = 8 + jsonLength + crateLength;
  if (bytes.length < expected) {
    throw bodyError(
      "PUBLISH_BODY_TRUNCATED",
      `the .crate is declared as ${crateLength} bytes but only ${bytes.length - 8 - jsonLength} are present`,
    );
  }
  if (bytes.length > expected) {
    throw bodyError("PUBLISH_BODY_TRAILING_BYTES", `${bytes.length - expected} bytes follow the .crate`);
  }
  let metadataJson: unknown;
  try {
    metadataJson = JSON.parse(
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(4, 4 + jsonLength)),
    );
  } catch (cause) {
    throw bodyError("PUBLISH_BODY_JSON_INVALID", "the metadata is not valid UTF-8 JSON", cause);
  }
  return { metadataJson, crateBytes: bytes.subarray(8 + jsonLength, expected) };
}

/** Framing plus schema validation of the metadata. */
export function parsePublishBody(
  bytes: Uint8Array,
  limits: PublishBodyLimits & { metadata?: Partial<PublishMetadataLimits> },
): PublishBody {
  const { metadataJson, crateBytes } = splitPublishBody(bytes, limits);
  return { metadata: validatePublishMetadata(metadataJson, limits.metadata), crateBytes };
}
