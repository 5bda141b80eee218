/**
 * The pre-publish checks, as one list: required metadata (a description; a license that is
 * a valid SPDX expression, or a license file), dependencies the registry can resolve (no
 * wildcard requirements, none that are only a path or a git repository), secrets in any
 * packaged file (with file and line; test keys warn, see secrets-in-files), and the
 * registry's size limits. Errors block publishing; `--dry-run` prints the whole list.
 * Pure: the caller passes the files' bytes and the limits.
 */
import { type Package, scanPackagedFile } from "@wharf/protocol";
import ignore from "ignore";
import parseSpdx from "spdx-expression-parse";

export type CheckName = "metadata" | "dependencies" | "secrets" | "size";

export interface PublishCheckItem {
  check: CheckName;
  level: "error" | "warning";
  /** stable id: a secret rule, `missing-description`, `wildcard-dependency`, ... */
  code: string;
  message: string;
  file?: string | undefined;
  line?: number | undefined;
  column?: number | undefined;
}

export interface PublishCheckInput {
  pkg: Package;
  files: readonly { path: string; bytes: Uint8Array }[];
  /** the compressed size; undefined before the .crate exists (then only the unpacked size is checked) */
  crateBytes?: number | undefined;
  limits: { maxCrateBytes: number; maxUnpackedBytes: number };
  /** gitignore-style patterns of files whose secret findings are accepted (wharf.toml) */
  allowSecrets: readonly string[];
  /** run only these checks (all by default) */
  only?: readonly CheckName[] | undefined;
}

export interface PublishCheckReport {
  items: PublishCheckItem[];
  /** the checks that found nothing, in order */
  passed: CheckName[];
  /** the findings the allow-list accepted */
  allowed: number;
}

/** crates.io still accepts the old `MIT/Apache-2.0` spelling as `OR`. */
export function isValidLicenseExpression(license: string): boolean {
  const expression = license
    .split("/")
    .map((s) => s.trim())
    .join(" OR ");
  try {
    parseSpdx(expression);
    return true;
  } catch {
    return false;
  }
}

function metadataItems(pkg: Package): PublishCheckItem[] {
  const md = pkg.metadata;
  const items: PublishCheckItem[] = [];
  const item = (code: string, message: string): PublishCheckItem => ({
    check: "metadata",
    level: "error",
    code,
    message,
    file: "Cargo.toml",
  });
  if (!md.description?.trim()) {
    items.push(item("missing-description", "the manifest has no `package.description`"));
  }
  if (!md.license?.trim() && !md.licenseFile?.trim()) {
    items.push(item("missing-license", "the manifest has no `package.license` or `package.license-file`"));
  } else if (md.license?.trim() && !isValidLicenseExpression(md.license)) {
    items.push(
      item(
        "invalid-license",
        `\`package.license\` = \`${md.license}\` is not a valid SPDX license expression (e.g. \`MIT OR Apache-2.0\`)`,
      ),
    );
  }
  return items;
}

function dependencyItems(pkg: Package): PublishCheckItem[] {
  const items: PublishCheckItem[] = [];
  for (const dep of pkg.dependencies) {
    // dev-dependencies without a version are dropped from the published manifest
    if (dep.kind === "dev") continue;
    const item = (code: string, message: string) =>
      items.push({ check: "dependencies", level: "error", code, message, file: "Cargo.toml" });
    if (dep.source.kind === "path" && !dep.reqSpecified) {
      item(
        "path-only-dependency",
        `dependency \`${dep.nameInToml}\` has only a \`path\`; the published crate needs a \`version\` too`,
      );
    } else if (dep.source.kind === "git" && !dep.reqSpecified) {
      item(
        "git-only-dependency",
        `dependency \`${dep.nameInToml}\` has only a \`git\` source; the published crate needs a \`version\` too`,
      );
    } else if (dep.reqSpecified && /^\s*\*\s*$/.test(dep.req.replace(/^\^/, ""))) {
      item(
        "wildcard-dependency",
        `dependency \`${dep.nameInToml}\` has a wildcard (\`*\`) version requirement; name the versions it works with`,
      );
    }
  }
  return items;
}

function sizeItems(input: PublishCheckInput): PublishCheckItem[] {
  const items: PublishCheckItem[] = [];
  const unpacked = input.files.reduce((n, f) => n + f.bytes.length, 0);
  if (input.crateBytes !== undefined && input.crateBytes > input.limits.maxCrateBytes) {
    items.push({
      check: "size",
      level: "error",
      code: "crate-too-large",
      message: `the .crate is ${input.crateBytes} bytes, above the registry's limit of ${input.limits.maxCrateBytes}`,
    });
  }
  if (unpacked > input.limits.maxUnpackedBytes) {
    items.push({
      check: "size",
      level: "error",
      code: "unpacked-too-large",
      message: `the package unpacks to ${unpacked} bytes, above the registry's limit of ${input.limits.maxUnpackedBytes}`,
    });
  }
  return items;
}

export function runPublishChecks(input: PublishCheckInput): PublishCheckReport {
  const wanted = (name: CheckName) => input.only === undefined || input.only.includes(name);
  const allow = ignore().add([...input.allowSecrets]);
  let allowed = 0;
  const secrets: PublishCheckItem[] = [];
  for (const file of wanted("secrets") ? input.files : []) {
    // the generated Cargo.toml restates Cargo.toml.orig; findings there would be said twice
    if (file.path === "Cargo.toml" || file.path === "Cargo.lock" || file.path === ".cargo_vcs_info.json")
      continue;
    for (const f of scanPackagedFile(file.path, file.bytes)) {
      if (allow.ignores(file.path)) {
        allowed++;
        continue;
      }
      secrets.push({
        check: "secrets",
        level: f.verdict === "block" ? "error" : "warning",
        code: f.rule,
        // a key block's header would be eaten by the shell's redaction; its rule says enough
        message: `${f.message}${f.rule === "private-key" ? "" : ` (\`${f.redacted}\`)`}${f.verdict === "warn" ? " (test data: a warning only)" : ""}`,
        file: f.file,
        line: f.line,
        column: f.column,
      });
    }
  }
  const all: [CheckName, () => PublishCheckItem[]][] = [
    ["metadata", () => metadataItems(input.pkg)],
    ["dependencies", () => dependencyItems(input.pkg)],
    ["secrets", () => secrets],
    ["size", () => sizeItems(input)],
  ];
  const groups = all
    .filter(([name]) => wanted(name))
    .map(([name, run]): [CheckName, PublishCheckItem[]] => [name, run()]);
  return {
    items: groups.flatMap(([, items]) => items),
    passed: groups.filter(([, items]) => items.length === 0).map(([name]) => name),
    allowed,
  };
}

/** `file:line:col: message` (or just the message), for lists and error notes. */
export function formatCheckItem(item: PublishCheckItem): string {
  const where =
    item.file === undefined
      ? ""
      : item.line === undefined
        ? `${item.file}: `
        : `${item.file}:${item.line}:${item.column ?? 1}: `;
  return `${where}${item.message} [${item.code}]`;
}
