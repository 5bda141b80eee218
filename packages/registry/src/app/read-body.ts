/**
 * Reading a request body ourselves, counting every byte: a declared Content-Length over the
 * limit is refused before reading, and a body that grows past the limit (chunked, or lying
 * about its length) is cut off at the limit. Framework body limits alone were measured to
 * let oversized raw uploads through, so nothing relies on them.
 */
import type { IncomingMessage } from "node:http";
import { ApiError } from "./api-error.js";

export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = req.headers["content-length"];
  if (declared !== undefined) {
    const n = Number(declared);
    if (!Number.isSafeInteger(n) || n < 0)
      throw new ApiError(400, "BAD_LENGTH", "invalid Content-Length header");
    if (n > limit) {
      req.resume();
      throw new ApiError(
        413,
        "BODY_TOO_LARGE",
        `request body of ${n} bytes is larger than the ${limit} bytes allowed`,
      );
    }
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    total += buf.length;
    if (total > limit) {
      req.destroy();
      throw new ApiError(413, "BODY_TOO_LARGE", `request body is larger than the ${limit} bytes allowed`);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks, total);
}

export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const body = await readBody(req, limit);
  try {
    return JSON.parse(body.toString("utf8")) as unknown;
  } catch {
    throw new ApiError(400, "BAD_JSON", "request body is not valid JSON");
  }
}
