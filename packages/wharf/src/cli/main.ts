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
process.exitCode = code;
