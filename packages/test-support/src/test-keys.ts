/**
 * Private keys for tests, generated at test time (never committed): a fresh Ed25519 key in
 * PKCS#8 PEM, the shape a leaked `id_rsa`-style key file has for the secret scanners.
 */
import { generateKeyPairSync } from "node:crypto";

export function generatePrivateKeyPem(): string {
  return generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
}

/** The base64 body of a PEM block (what a leak check looks for in output). */
export function pemBody(pem: string): string {
  return pem
    .split("\n")
    .filter((l) => l !== "" && !l.startsWith("-----"))
    .join("\n");
}
