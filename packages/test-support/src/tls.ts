/**
 * Throwaway TLS material for tests: a private test CA and server certificates for loopback
 * names, made with the `openssl` CLI at test time so no key is ever committed. Keys are
 * ECDSA P-256 (fast to generate) and valid for two days.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { isIP } from "node:net";
import { join } from "node:path";

export interface TestCa {
  /** PEM certificate of the CA: give this to clients (cargo `http.cainfo`, undici `connect.ca`) */
  caCertPath: string;
  caKeyPath: string;
  /** the PEM text of caCertPath */
  caCert: string;
}

export interface ServerCert {
  certPath: string;
  keyPath: string;
  /** PEM text of the leaf certificate */
  cert: string;
  /** PEM text of the private key */
  key: string;
  /** the names the certificate is valid for, as given */
  hosts: string[];
}

export interface MakeTestCaOptions {
  /** subject common name; default "Wharf Test CA" */
  commonName?: string;
  /** file name stem inside dir; default "ca" (ca.pem, ca.key) */
  name?: string;
}

export interface IssueServerCertOptions {
  /** DNS names and IP addresses; default localhost, 127.0.0.1, ::1 */
  hosts?: readonly string[];
  /** file name stem inside dir; default "server" (server.pem, server.key) */
  name?: string;
}

export interface TestPki {
  ca: TestCa;
  server: ServerCert;
  /** an unrelated CA that did not sign `server`: clients trusting only it must refuse */
  otherCa: TestCa;
}

export const DEFAULT_TEST_HOSTS: readonly string[] = ["localhost", "127.0.0.1", "::1"];

const VALID_DAYS = "2";
const DNS_NAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
const FILE_STEM = /^[a-z0-9][a-z0-9_-]{0,63}$/;

function openssl(args: readonly string[], cwd: string): void {
  const r = spawnSync("openssl", [...args], {
    cwd,
    encoding: "utf8",
    timeout: 30_000,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (r.error) throw new Error(`openssl ${args[0]} could not run: ${r.error.message}`, { cause: r.error });
  if (r.status !== 0) throw new Error(`openssl ${args.join(" ")} failed (status ${r.status}):\n${r.stderr}`);
}

function checkStem(name: string): string {
  if (!FILE_STEM.test(name))
    throw new Error(`invalid file name stem for TLS material: ${JSON.stringify(name)}`);
  return name;
}

/** "DNS:localhost,IP:127.0.0.1,..." from host names; refuses anything that is not a plain name or IP */
export function subjectAltNames(hosts: readonly string[]): string {
  if (hosts.length === 0) throw new Error("a server certificate needs at least one host");
  return hosts
    .map((h) => {
      if (isIP(h) !== 0) return `IP:${h}`;
      if (DNS_NAME.test(h)) return `DNS:${h}`;
      throw new Error(`not a DNS name or IP address: ${JSON.stringify(h)}`);
    })
    .join(",");
}

function serial(): string {
  // positive 64-bit serial, unique per certificate so clients never confuse two test CAs
  const bytes = randomBytes(8);
  bytes[0] = (bytes[0]! & 0x7f) | 0x10;
  return `0x${bytes.toString("hex")}`;
}

/** Generates a self-signed CA (basicConstraints CA:TRUE, keyCertSign) into dir. */
export function makeTestCa(dir: string, options: MakeTestCaOptions = {}): TestCa {
  mkdirSync(dir, { recursive: true });
  const stem = checkStem(options.name ?? "ca");
  const commonName = options.commonName ?? "Wharf Test CA";
  if (!/^[A-Za-z0-9 ._-]{1,64}$/.test(commonName)) throw new Error(`invalid CA common name: ${commonName}`);
  const caCertPath = join(dir, `${stem}.pem`);
  const caKeyPath = join(dir, `${stem}.key`);
  openssl(
    [
      "req",
      "-x509",
      "-new",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-noenc",
      "-sha256",
      "-days",
      VALID_DAYS,
      "-set_serial",
      serial(),
      "-subj",
      `/O=Wharf tests/CN=${commonName} ${randomBytes(4).toString("hex")}`,
      "-addext",
      "basicConstraints=critical,CA:TRUE,pathlen:0",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
      "-addext",
      "subjectKeyIdentifier=hash",
      "-keyout",
      caKeyPath,
      "-out",
      caCertPath,
    ],
    dir,
  );
  chmodSync(caKeyPath, 0o600);
  return { caCertPath, caKeyPath, caCert: readFileSync(caCertPath, "utf8") };
}

/**
 * Issues a server certificate signed by `ca` for `hosts` (subjectAltName, serverAuth EKU,
 * digitalSignature keyUsage, CA:FALSE) into dir.
 */
export function issueServerCert(ca: TestCa, dir: string, options: IssueServerCertOptions = {}): ServerCert {
  mkdirSync(dir, { recursive: true });
  const stem = checkStem(options.name ?? "server");
  const hosts = [...(options.hosts ?? DEFAULT_TEST_HOSTS)];
  const san = subjectAltNames(hosts);
  const keyPath = join(dir, `${stem}.key`);
  const csrPath = join(dir, `${stem}.csr`);
  const certPath = join(dir, `${stem}.pem`);
  const extPath = join(dir, `${stem}.ext`);
  const firstDns = hosts.find((h) => isIP(h) === 0) ?? hosts[0]!;
  openssl(
    [
      "req",
      "-new",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-noenc",
      "-sha256",
      "-subj",
      `/O=Wharf tests/CN=${firstDns}`,
      "-keyout",
      keyPath,
      "-out",
      csrPath,
    ],
    dir,
  );
  chmodSync(keyPath, 0o600);
  writeFileSync(
    extPath,
    [
      "basicConstraints = critical, CA:FALSE",
      "keyUsage = critical, digitalSignature",
      "extendedKeyUsage = serverAuth",
      `subjectAltName = ${san}`,
      "subjectKeyIdentifier = hash",
      "authorityKeyIdentifier = keyid:always",
      "",
    ].join("\n"),
  );
  openssl(
    [
      "x509",
      "-req",
      "-sha256",
      "-days",
      VALID_DAYS,
      "-set_serial",
      serial(),
      "-in",
      csrPath,
      "-CA",
      ca.caCertPath,
      "-CAkey",
      ca.caKeyPath,
      "-extfile",
      extPath,
      "-out",
      certPath,
    ],
    dir,
  );
  return {
    certPath,
    keyPath,
    cert: readFileSync(certPath, "utf8"),
    key: readFileSync(keyPath, "utf8"),
    hosts,
  };
}

/** A CA, a loopback server certificate it signed, and an unrelated second CA, all under dir. */
export function makeTestPki(dir: string, options: IssueServerCertOptions = {}): TestPki {
  const ca = makeTestCa(join(dir, "ca"));
  const otherCa = makeTestCa(join(dir, "other-ca"), { commonName: "Unrelated Test CA" });
  const server = issueServerCert(ca, join(dir, "server"), options);
  return { ca, server, otherCa };
}
