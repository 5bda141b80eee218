/**
 * Running credential providers as child processes, always from an argument array (never a
 * shell line): cargo's JSON-lines credential protocol v1 (hello, one request, one response;
 * the provider is started with `--cargo-plugin`) and `cargo:token-from-stdout <cmd> [args]`
 * (the first line of stdout is the token). The token only ever travels over the child's
 * stdout pipe; nothing here puts it on argv, in the environment or into an error message.
 * Other registries' token variables are removed from the child's environment.
 */
import { spawn } from "node:child_process";
import { WharfError } from "@wharf/protocol";

export interface RegistryInfo {
  /** as cargo sends it: `sparse+https://host/index/` */
  indexUrl: string;
  /** the registry's name in configuration (`crates-io` for crates.io) */
  name?: string | undefined;
  /** headers of a 401 answer (`www-authenticate: Cargo ...`), if one was seen */
  headers?: readonly string[] | undefined;
}

/** What a provider answered to `get`: cargo's CredentialResponse or Error kinds. */
export type ProviderOutcome =
  | { kind: "token"; token: string; cache: "never" | "session" | "expires"; expiresAtMs?: number | undefined }
  | { kind: "not-found" }
  | { kind: "url-not-supported" }
  | { kind: "operation-not-supported" };

export interface ProcessOptions {
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** a provider may prompt, so this is generous; default 120 s */
  timeoutMs?: number | undefined;
}

const MAX_LINE_BYTES = 64 * 1024;
const TOKEN_ENV = /^(?:(?:WHARF|CARGO)_REGISTRIES_.+_TOKEN|CARGO_REGISTRY_TOKEN)$/i;

function providerError(display: string, problem: string, notes: string[] = [], cause?: unknown): WharfError {
  return new WharfError({
    code: "CREDENTIAL_PROVIDER_FAILED",
    message: `credential provider \`${display}\` failed action \`get\`: ${problem}`,
    notes,
    cause,
  });
}

function childEnv(env: ProcessOptions["env"], extra: Record<string, string>): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && !TOKEN_ENV.test(k)) out[k] = v;
  return { ...out, ...extra };
}

interface Child {
  lines: AsyncGenerator<string, void, void>;
  write(line: string): void;
  closeStdin(): void;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
  kill(): void;
}

/** Spawns with argv only; yields stdout lines (bounded); collects a bounded stderr for errors. */
function start(
  program: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  o: ProcessOptions,
  display: string,
): Child {
  const child = spawn(program, args, {
    cwd: o.cwd,
    env,
    stdio: ["pipe", "pipe", "pipe"],
    shell: false,
    windowsHide: true,
  });
  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    if (stderr.length < MAX_LINE_BYTES) stderr += chunk.slice(0, MAX_LINE_BYTES - stderr.length);
  });
  child.stdin.on("error", () => undefined); // a provider that exits early closes the pipe
  const spawned = new Promise<void>((resolve, reject) => {
    child.once("spawn", resolve);
    child.once("error", (error) =>
      reject(providerError(display, `could not start \`${program}\`: ${error.message}`, [], error)),
    );
  });
  spawned.catch(() => undefined);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("close", (code, signal) => resolve({ code, signal }));
    child.once("error", () => resolve({ code: null, signal: null }));
  });
  async function* lines(): AsyncGenerator<string, void, void> {
    await spawned;
    let buf = "";
    child.stdout.setEncoding("utf8");
    for await (const chunk of child.stdout as AsyncIterable<string>) {
      buf += chunk;
      let nl = buf.indexOf("\n");
      while (nl >= 0) {
        yield buf.slice(0, nl + 1);
        buf = buf.slice(nl + 1);
        nl = buf.indexOf("\n");
      }
      if (buf.length > MAX_LINE_BYTES) throw providerError(display, "printed a line longer than 64 KiB");
    }
    if (buf !== "") yield buf;
  }
  return {
    lines: lines(),
    write: (line) => child.stdin.write(line),
    closeStdin: () => child.stdin.end(),
    exit,
    stderr: () => stderr,
    kill: () => child.kill("SIGKILL"),
  };
}

async function withTimeout<T>(
  child: Child,
  o: ProcessOptions,
  display: string,
  work: () => Promise<T>,
): Promise<T> {
  const ms = o.timeoutMs ?? 120_000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      child.kill();
      reject(providerError(display, `did not finish within ${Math.round(ms / 1000)} s and was stopped`));
    }, ms);
  });
  try {
    return await Promise.race([work(), timeout]);
  } catch (error) {
    child.kill();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

function stderrNotes(child: Child, token?: string): string[] {
  let text = child.stderr().trim();
  if (text === "") return [];
  if (token) text = text.replaceAll(token, "<redacted>");
  return [`provider stderr:\n${text}`];
}

async function nextLine(child: Child, display: string, what: string): Promise<string> {
  const r = await child.lines.next();
  if (r.done) {
    const { code, signal } = await child.exit;
    throw providerError(
      display,
      `exited (${signal ?? `status ${code}`}) before sending its ${what}`,
      stderrNotes(child),
    );
  }
  return r.value;
}

function parseJson(line: string, display: string, what: string): unknown {
  try {
    return JSON.parse(line);
  } catch (cause) {
    // the line may be a token printed by mistake: do not show it
    throw providerError(
      display,
      `sent a ${what} that is not JSON (${line.length} bytes, not shown)`,
      [],
      cause,
    );
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Interprets cargo's `{"Ok":{...}}` / `{"Err":{...}}` answer to a `get` request. */
export function parseGetResponse(raw: unknown, display: string): ProviderOutcome {
  if (isObject(raw) && isObject(raw.Err)) {
    const kind = raw.Err.kind;
    if (kind === "not-found" || kind === "url-not-supported" || kind === "operation-not-supported") {
      return { kind };
    }
    const message =
      typeof raw.Err.message === "string" ? raw.Err.message : `error of kind \`${String(kind)}\``;
    const causes = Array.isArray(raw.Err["caused-by"])
      ? raw.Err["caused-by"].filter((c): c is string => typeof c === "string")
      : [];
    throw providerError(
      display,
      message,
      causes.map((c) => `caused by: ${c}`),
    );
  }
  if (!isObject(raw) || !isObject(raw.Ok) || raw.Ok.kind !== "get") {
    throw providerError(display, "sent a response that is neither a `get` answer nor an error");
  }
  const ok = raw.Ok;
  if (typeof ok.token !== "string") throw providerError(display, "sent a `get` answer without a token");
  const cache = ok.cache;
  if (cache === "expires") {
    if (typeof ok.expiration !== "number" || !Number.isFinite(ok.expiration)) {
      throw providerError(display, 'sent `"cache":"expires"` without a numeric `expiration`');
    }
    return { kind: "token", token: ok.token, cache, expiresAtMs: ok.expiration * 1000 };
  }
  // cargo treats unknown cache kinds as "do not cache"
  return { kind: "token", token: ok.token, cache: cache === "session" ? "session" : "never" };
}

/**
 * One `get`/`read` exchange with a provider speaking cargo's credential protocol v1. `args`
 * are the provider's configured arguments; they travel in the JSON request, as in cargo.
 */
export async function runCredentialProcess(
  program: string,
  args: readonly string[],
  registry: RegistryInfo,
  o: ProcessOptions,
): Promise<ProviderOutcome> {
  const display = [program, ...args].join(" ");
  const child = start(program, ["--cargo-plugin"], childEnv(o.env, {}), o, display);
  return withTimeout(child, o, display, async () => {
    const hello = parseJson(await nextLine(child, display, "hello"), display, "hello");
    const versions = isObject(hello) && Array.isArray(hello.v) ? hello.v : undefined;
    if (versions === undefined) throw providerError(display, 'sent a hello without `"v":[...]`');
    if (!versions.includes(1)) {
      throw providerError(
        display,
        `supports protocol versions ${JSON.stringify(versions)}, while wharf supports [1]`,
      );
    }
    const info: Record<string, unknown> = { "index-url": registry.indexUrl };
    if (registry.name !== undefined) info.name = registry.name;
    if (registry.headers && registry.headers.length > 0) info.headers = registry.headers;
    const request: Record<string, unknown> = { v: 1, registry: info, kind: "get", operation: "read" };
    if (args.length > 0) request.args = args;
    child.write(`${JSON.stringify(request)}\n`);
    const response = parseJson(await nextLine(child, display, "response"), display, "response");
    child.closeStdin();
    const outcome = parseGetResponse(response, display);
    const { code, signal } = await child.exit;
    if (code !== 0) {
      const token = outcome.kind === "token" ? outcome.token : undefined;
      throw providerError(display, `exited with ${signal ?? `status ${code}`}`, stderrNotes(child, token));
    }
    return outcome;
  });
}

/**
 * `cargo:token-from-stdout <cmd> [args...]`: `{index_url}` in the arguments is replaced, the
 * registry is named in CARGO_REGISTRY_INDEX_URL / CARGO_REGISTRY_NAME_OPT, and the single
 * line the command prints is the token.
 */
export async function runTokenFromStdout(
  command: readonly string[],
  registry: RegistryInfo,
  o: ProcessOptions,
): Promise<ProviderOutcome> {
  const [exe, ...rest] = command;
  if (exe === undefined) {
    throw providerError(
      "cargo:token-from-stdout",
      "its first argument must be a command that prints a token on stdout",
    );
  }
  const display = ["cargo:token-from-stdout", ...command].join(" ");
  const extra: Record<string, string> = { CARGO_REGISTRY_INDEX_URL: registry.indexUrl };
  if (registry.name !== undefined) extra.CARGO_REGISTRY_NAME_OPT = registry.name;
  const args = rest.map((a) => a.replaceAll("{index_url}", registry.indexUrl));
  const child = start(exe, args, childEnv(o.env, extra), o, display);
  child.closeStdin();
  return withTimeout(child, o, display, async () => {
    const lines: string[] = [];
    for await (const line of child.lines) {
      lines.push(line);
      if (lines.length > 1) {
        child.kill();
        throw providerError(
          display,
          `process \`${exe}\` returned more than one line of output; expected a single token`,
        );
      }
    }
    const { code, signal } = await child.exit;
    let token = lines[0] ?? "";
    if (code !== 0) {
      throw providerError(
        display,
        `process \`${exe}\` failed with ${signal ?? `status ${code}`}`,
        stderrNotes(child, token.trim()),
      );
    }
    token = token.replace(/\r?\n$/, "");
    if (token === "") throw providerError(display, `process \`${exe}\` printed no token`);
    return { kind: "token", token, cache: "session" };
  });
}
