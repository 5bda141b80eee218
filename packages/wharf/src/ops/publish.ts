/**
 * `wharf publish`: package (and verify) the crate as `wharf package` does, run the
 * pre-publish checks (their whole list is printed; an error blocks), then send what cargo
 * sends (`PUT /api/v1/crates/new`, the length-framed metadata and .crate, the raw token in
 * `Authorization`) and wait, with progress and a timeout, until the new version is in the
 * registry's index. `--dry-run` stops before the upload.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  encodePublishBody,
  isTomlTable,
  type Package,
  packageToPublishMetadata,
  parseTomlDocument,
  WharfError,
} from "@wharf/protocol";
import type { CliContext } from "../cli/context.js";
import { formatCheckItem, type PublishCheckReport, runPublishChecks } from "../packager/index.js";
import { loadConfigFor, loadWorkspaceFor } from "./load.js";
import { assembleCrate } from "./package.js";
import { archiveContents, type PackageSelection, preparePackage, selectPackages } from "./package-prepare.js";
import { RegistryApi, registryTarget } from "./publish-api.js";

export interface PublishOptions extends PackageSelection {
  manifestPath?: string | undefined;
  registry?: string | undefined;
  dryRun: boolean;
  allowDirty: boolean;
  noVerify: boolean;
  /** seconds to wait for the index; default 60 (cargo's publish.timeout) */
  timeoutSecs?: number | undefined;
}

/** `[publish] allow-secrets = ["tests/keys/*.pem"]` in the package's wharf.toml. */
export function allowedSecretFiles(pkg: Package): string[] {
  let text: string;
  try {
    text = readFileSync(join(pkg.root, "wharf.toml"), "utf8");
  } catch {
    return [];
  }
  const doc = parseTomlDocument(text, { file: join(pkg.root, "wharf.toml") });
  const publish = doc.publish;
  const list = isTomlTable(publish) ? publish["allow-secrets"] : undefined;
  if (list === undefined) return [];
  if (!Array.isArray(list) || !list.every((p) => typeof p === "string")) {
    throw new WharfError({
      code: "WHARF_TOML_INVALID",
      message: `${join(pkg.root, "wharf.toml")}: \`publish.allow-secrets\` must be a list of file patterns`,
    });
  }
  return list as string[];
}

async function registryLimits(): Promise<{ maxCrateBytes: number; maxUnpackedBytes: number }> {
  // the server's own defaults, so a crate the server would refuse is refused here first
  const { REGISTRY_DEFAULTS } = await import("@wharf/registry");
  return {
    maxCrateBytes: REGISTRY_DEFAULTS.maxCrateBytes,
    maxUnpackedBytes: REGISTRY_DEFAULTS.maxUnpackedBytes,
  };
}

/** Prints the check list; throws when a check failed. */
export function reportChecks(ctx: CliContext, pkg: Package, report: PublishCheckReport): void {
  for (const name of report.passed) ctx.shell.status("Checked", `${name}: ok`);
  if (report.allowed > 0) {
    ctx.shell.status("Checked", `secrets: ${report.allowed} finding(s) in files wharf.toml accepts`);
  }
  for (const item of report.items.filter((i) => i.level === "warning")) {
    ctx.shell.warn(`${item.check}: ${formatCheckItem(item)}`);
  }
  const errors = report.items.filter((i) => i.level === "error");
  if (errors.length > 0) {
    throw new WharfError({
      code: "PUBLISH_CHECKS_FAILED",
      message: `${errors.length} pre-publish check(s) failed for \`${pkg.name} v${pkg.version}\``,
      notes: errors.map((e) => `${e.check}: ${formatCheckItem(e)}`),
      hint: "fix the manifest or remove the files; test keys belong under tests/, and files known to be safe can be listed in wharf.toml `[publish] allow-secrets`",
    });
  }
}

async function waitForIndex(
  ctx: CliContext,
  api: RegistryApi,
  pkg: Package,
  timeoutSecs: number,
): Promise<boolean> {
  const started = Date.now();
  ctx.shell.note(
    `waiting for \`${pkg.name} v${pkg.version}\` to be available at registry \`${api.target.name}\``,
  );
  let delay = 250;
  while (Date.now() - started < timeoutSecs * 1000) {
    const client = await api.indexClient();
    try {
      const file = await client.indexFile(pkg.name);
      if (file?.lines.some((l) => l.vers === pkg.version)) return true;
    } finally {
      await client.close();
    }
    ctx.shell.verbose("Waiting", `${Math.round((Date.now() - started) / 1000)} s for the index`);
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 2000);
  }
  ctx.shell.warn(
    `timed out waiting for \`${pkg.name} v${pkg.version}\` to be available in registry \`${api.target.name}\` (${timeoutSecs} s)`,
  );
  ctx.shell.note(
    "the registry may have a backlog that is delaying making the crate available; the crate should be available soon",
  );
  return false;
}

export async function publish(ctx: CliContext, options: PublishOptions): Promise<void> {
  const config = loadConfigFor(ctx);
  const ws = loadWorkspaceFor(ctx, config, options.manifestPath);
  const selected = selectPackages(ws, options);
  for (const pkg of selected) {
    if (pkg.publish !== null && pkg.publish.length === 0) {
      throw new WharfError({
        code: "PUBLISH_NOT_ALLOWED",
        message: `\`${pkg.name}\` cannot be published.\n\`package.publish\` must be set to \`true\` or a non-empty list in Cargo.toml to publish.`,
      });
    }
    const registryName = options.registry ?? (pkg.publish?.length === 1 ? pkg.publish[0] : undefined);
    if (pkg.publish !== null && registryName !== undefined && !pkg.publish.includes(registryName)) {
      throw new WharfError({
        code: "PUBLISH_NOT_ALLOWED",
        message: `\`${pkg.name}\` cannot be published to the registry \`${registryName}\`: \`package.publish\` allows only ${pkg.publish.map((r) => `\`${r}\``).join(", ")}`,
      });
    }
    const target = registryTarget(ctx, registryName, config);
    ctx.shell.status("Updating", `\`${target.name}\` index`);
    const prepared = await preparePackage(ctx, config, ws, pkg, {
      allowDirty: options.allowDirty,
      listOnly: false,
    });
    // everything but the compressed size can be checked before the Cargo.lock is resolved,
    // so a path-only dependency is reported with the rest instead of failing the resolve
    const limits = await registryLimits();
    reportChecks(
      ctx,
      pkg,
      runPublishChecks({
        pkg,
        files: archiveContents(prepared, ""),
        limits,
        allowSecrets: allowedSecretFiles(pkg),
        only: ["metadata", "dependencies", "secrets"],
      }),
    );
    const packaged = await assembleCrate(ctx, config, ws, prepared, { verify: !options.noVerify });
    reportChecks(
      ctx,
      pkg,
      runPublishChecks({
        pkg,
        files: packaged.files,
        crateBytes: packaged.bytes.length,
        limits,
        allowSecrets: [],
        only: ["size"],
      }),
    );
    const readme =
      pkg.metadata.readme === undefined
        ? undefined
        : readFileSync(join(pkg.root, pkg.metadata.readme), "utf8");
    const metadata = packageToPublishMetadata(pkg, {
      ...(readme === undefined ? {} : { readme }),
      registryIndexOfDefault: target.indexUrl,
    });
    const body = encodePublishBody(metadata, packaged.bytes);
    ctx.shell.status("Uploading", `${pkg.name} v${pkg.version} (${pkg.root})`);
    if (options.dryRun) {
      ctx.shell.warn("aborting upload due to dry run");
      continue;
    }
    const api = new RegistryApi(ctx, target);
    try {
      const res = await api.call("PUT", "/api/v1/crates/new", {
        body,
        auth: true,
        what: `publish \`${pkg.name} v${pkg.version}\` to registry \`${target.name}\``,
      });
      printServerWarnings(ctx, res.json);
      ctx.shell.status("Uploaded", `${pkg.name} v${pkg.version} to registry \`${target.name}\``);
      const seen = await waitForIndex(ctx, api, pkg, options.timeoutSecs ?? 60);
      if (seen) ctx.shell.status("Published", `${pkg.name} v${pkg.version} at registry \`${target.name}\``);
    } finally {
      await api.close();
    }
  }
}

function printServerWarnings(ctx: CliContext, json: unknown): void {
  const warnings = (json as { warnings?: Record<string, unknown> } | undefined)?.warnings;
  if (!warnings) return;
  const list = (key: string) => {
    const v = warnings[key];
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  };
  const cats = list("invalid_categories");
  const badges = list("invalid_badges");
  if (cats.length > 0) {
    ctx.shell.warn(`the following are not valid category slugs and were ignored: ${cats.join(", ")}`);
  }
  if (badges.length > 0)
    ctx.shell.warn(`the following are not valid badges and were ignored: ${badges.join(", ")}`);
  for (const other of list("other")) ctx.shell.warn(other);
}
