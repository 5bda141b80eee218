/**
 * Warnings a user sees when loading a manifest through the CLI: cargo's unused-key
 * warnings, and the secret scan naming the file, line and rule while never echoing the
 * secret. The command still succeeds: these are warnings, not errors.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { writeTree } from "./project.js";
import { makeTempHome, runWharf } from "./run.js";

const home = makeTempHome("wharf-warnings-");
after(() => home.cleanup());

describe("manifest warnings", () => {
  const token = ["ghp", "_aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5"].join("");
  const aws = ["AKIA", "Q3EGRSWXK7TZ4MBN"].join("");
  const dir = join(home.root, "p");
  writeTree(dir, {
    "Cargo.toml": `[package]
name = "leaky"
version = "0.1.0"
edition = "2021"
colour = "blue"

[package.metadata.deploy]
github = "${token}"
aws_key = "${aws}"
`,
    "src/lib.rs": "",
  });
  const r = runWharf(["metadata", "--no-deps", "--format-version", "1"], { cwd: dir, env: home.env });

  test("the command still succeeds", () => {
    assert.equal(r.status, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { packages: unknown[] }).packages.length, 1);
  });
  test("unknown keys warn as cargo words it", () => {
    assert.match(r.stderr, /^warning: unused manifest key: package\.colour$/m);
  });
  test("planted secrets are reported with file, line and rule", () => {
    assert.match(r.stderr, /warning: possible GitHub token[^\n]*\n\s+--> [^\n]*Cargo\.toml:8:/);
    assert.match(r.stderr, /warning: possible AWS access key ID[^\n]*\n\s+--> [^\n]*Cargo\.toml:9:/);
  });
  test("the warnings never print the secrets themselves", () => {
    // stdout is the package's own metadata, passed through as cargo does; stderr is ours
    assert.ok(!r.stderr.includes(token.slice(4)), "GitHub token leaked in a warning");
    assert.ok(!r.stderr.includes(aws.slice(4)), "AWS key leaked in a warning");
  });
});
