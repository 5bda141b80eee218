#!/usr/bin/env node
/**
 * The `wharf` executable: hands the process facts to runCli and exits with its code.
 * The only place that reads process.argv / process.env for the CLI.
 */
import { runCli } from "./program.js";

const code = await runCli({
  argv: process.argv.slice(2),
  cwd: process.cwd(),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
});
// a command that ran a program (`wharf run`) may have set the program's status already
process.exitCode = code === 0 && typeof process.exitCode === "number" ? process.exitCode : code;
