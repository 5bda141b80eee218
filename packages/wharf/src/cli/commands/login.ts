/**
 * `wharf login`: save a registry token read from standard input (never from the command line).
 */
import type { Command } from "@commander-js/extra-typings";
import { contextOf } from "../program.js";

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write("please paste the token below\n");
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export function registerLogin(program: Command): void {
  program
    .command("login")
    .description("Log in to a registry (the token is read from standard input)")
    .option("--registry <REGISTRY>", "Registry to use")
    .argument("[token]", "refused: pass the token on standard input")
    .action(async (token, opts, command) => {
      const ctx = contextOf(command);
      const { login } = await import("../../ops/login.js");
      const { WharfError } = await import("@wharf/protocol");
      if (token !== undefined) {
        // the value is never echoed: it may be the real token
        throw new WharfError({
          code: "LOGIN_TOKEN_ARGUMENT",
          message:
            "the token must not be passed as a command-line argument, where other users and shell history can read it",
          hint: "pipe it on standard input: `wharf login --registry NAME < token-file`; and consider that token exposed",
        });
      }
      login(ctx, { registry: opts.registry, stdin: await readStdin() });
    });
}
