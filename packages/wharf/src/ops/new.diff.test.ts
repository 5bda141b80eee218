/**
 * The oracle for `wharf new` / `wharf init`: the same invocation runs under real cargo and
 * under the built wharf CLI, each in a fresh temp tree with its own HOME, CARGO_HOME and
 * WHARF_HOME, and the results must agree byte for byte: every created file, whether a git
 * repository was made (not its internals), the exit code, and stderr once temp paths and
 * the tool's own name are normalised.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const WHARF_MAIN = resolve(here, "..", "cli", "main.js");

type Tool = "cargo" | "wharf";

interface Layout {
  root: string;
  home: string;
  work: string;
}

interface Case {
  name: string;
  args: string[];
  /** files (path -> content) or directories (path ending in /) to create in the work dir first */
  files?: Record<string, string>;
  /** directories under work to `git init` first */
  gitRepos?: string[];
  /** run from this directory under work (default: work itself) */
  cwd?: string;
  /** run from HOME instead of work */
  cwdIsHome?: boolean;
}

interface Outcome {
  status: number;
  stderr: string;
  tree: Record<string, string>;
}

function cleanEnv(layout: Layout): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: layout.home,
    CARGO_HOME: join(layout.root, "cargo-home"),
    WHARF_HOME: join(layout.root, "wharf-home"),
    CARGO_TERM_COLOR: "never",
    NO_COLOR: "1",
    // cargo here is usually the rustup proxy; it needs the real toolchains, not a temp HOME's
    RUSTUP_HOME: process.env.RUSTUP_HOME ?? join(process.env.HOME ?? "/root", ".rustup"),
  };
  if (process.env.RUSTUP_TOOLCHAIN) env.RUSTUP_TOOLCHAIN = process.env.RUSTUP_TOOLCHAIN;
  return env;
}

const roots: string[] = [];
after(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function makeLayout(tool: Tool): Layout {
  const root = mkdtempSync(join(tmpdir(), `wharf-new-diff-${tool}-`));
  roots.push(root);
  const layout = { root, home: join(root, "home"), work: join(root, "work") };
  for (const dir of [layout.home, layout.work, join(root, "cargo-home"), join(root, "wharf-home")]) {
    mkdirSync(dir, { recursive: true });
  }
  return layout;
}

function setUp(layout: Layout, c: Case): void {
  const env = cleanEnv(layout);
  for (const repo of c.gitRepos ?? []) {
    const dir = join(layout.work, repo);
    mkdirSync(dir, { recursive: true });
    const r = spawnSync("git", ["init", "-q", "--", dir], { env, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
  }
  for (const [path, content] of Object.entries(c.files ?? {})) {
    const target = join(layout.work, path);
    if (path.endsWith("/")) {
      mkdirSync(target, { recursive: true });
    } else {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, content);
    }
  }
}

/** Every file's bytes and every directory, with a .git directory reduced to one marker. */
function snapshot(dir: string, prefix = "", out: Record<string, string> = {}): Record<string, string> {
  for (const entry of readdirSync(dir).sort()) {
    const full = join(dir, entry);
    const rel = `${prefix}${entry}`;
    const stat = statSync(full);
    if (entry === ".git" && stat.isDirectory()) {
      out[`${rel}/`] = statSync(join(full, "HEAD"), { throwIfNoEntry: false })
        ? "<git repository>"
        : "<broken .git>";
    } else if (stat.isDirectory()) {
      out[`${rel}/`] = "<dir>";
      snapshot(full, `${rel}/`, out);
    } else {
      out[rel] = readFileSync(full, "latin1");
    }
  }
  return out;
}

function normalise(text: string, layout: Layout): string {
  return text
    .replaceAll(layout.root, "<ROOT>")
    .replace(/`(cargo|wharf) (new|init)\b/g, "`<tool> $2")
    .replace(/\bfor more information, try '--help'\./gi, "");
}

function run(tool: Tool, c: Case): Outcome {
  const layout = makeLayout(tool);
  setUp(layout, c);
  const cwd = c.cwdIsHome ? layout.home : join(layout.work, c.cwd ?? "");
  const env = cleanEnv(layout);
  const [cmd, args] =
    tool === "cargo"
      ? ["cargo", c.args]
      : [process.execPath, ["--enable-source-maps", WHARF_MAIN, ...c.args]];
  const r = spawnSync(cmd, args, { cwd, env, encoding: "utf8", timeout: 60_000 });
  if (r.error) throw r.error;
  return {
    status: r.status ?? -1,
    stderr: normalise(r.stderr, layout),
    tree: {
      work: JSON.stringify(snapshot(layout.work), null, 1),
      home: JSON.stringify(snapshot(layout.home), null, 1),
    },
  };
}

const LIB_RS = "pub fn x() {}\n";
const MAIN_RS = "fn main() {}\n";

export const CASES: Case[] = [
  // kinds, names, editions, vcs
  { name: "new bin", args: ["new", "foo"] },
  { name: "new --bin", args: ["new", "--bin", "foo"] },
  { name: "new lib", args: ["new", "--lib", "foo"] },
  { name: "new --name", args: ["new", "--name", "bar", "some-dir"] },
  { name: "new --name with lib", args: ["new", "--lib", "--name", "bar_baz", "x"] },
  { name: "new edition 2015", args: ["new", "--edition", "2015", "e"] },
  { name: "new edition 2018", args: ["new", "--edition", "2018", "e"] },
  { name: "new edition 2021", args: ["new", "--edition", "2021", "e"] },
  { name: "new edition 2024", args: ["new", "--edition", "2024", "e"] },
  { name: "new lib edition 2018", args: ["new", "--lib", "--edition=2018", "e"] },
  { name: "new --vcs none", args: ["new", "--vcs", "none", "foo"] },
  { name: "new --vcs git", args: ["new", "--vcs", "git", "foo"] },
  { name: "new --registry", args: ["new", "--registry", "my-reg", "foo"] },
  { name: "new nested missing parents", args: ["new", "a/b/c"] },
  { name: "new ./foo", args: ["new", "./foo"] },
  {
    name: "new foo/. (Rust's create_dir_all cannot make it)",
    args: ["new", "foo/."],
  },
  { name: "new kebab name", args: ["new", "my-tool"] },
  { name: "new --quiet", args: ["new", "-q", "foo"] },
  { name: "new --quiet with a warning", args: ["new", "--quiet", "con"] },
  { name: "new --quiet with an error", args: ["new", "-q", "fn"] },
  // inside existing repositories
  { name: "new inside git repo", args: ["new", "repo/inner"], gitRepos: ["repo"] },
  {
    name: "new inside git repo subdir",
    args: ["new", "repo/sub/inner"],
    gitRepos: ["repo"],
    files: { "repo/sub/": "" },
  },
  { name: "new inside git repo from cwd", args: ["new", "inner"], gitRepos: ["repo"], cwd: "repo" },
  {
    name: "new inside git repo --vcs none",
    args: ["new", "--vcs", "none", "repo/inner"],
    gitRepos: ["repo"],
  },
  { name: "new inside git repo --vcs git", args: ["new", "--vcs", "git", "repo/inner"], gitRepos: ["repo"] },
  {
    name: "new in ignored dir of git repo",
    args: ["new", "repo/ign/x"],
    gitRepos: ["repo"],
    files: { "repo/.gitignore": "ign/\n", "repo/ign/": "" },
  },
  // init
  { name: "init empty dir", args: ["init"], files: { "pkg/": "" }, cwd: "pkg" },
  { name: "init path", args: ["init", "pkg"], files: { "pkg/": "" } },
  { name: "init missing path", args: ["init", "pkg"] },
  { name: "init --lib", args: ["init", "--lib", "pkg"], files: { "pkg/": "" } },
  { name: "init --name", args: ["init", "--name", "other", "pkg"], files: { "pkg/": "" } },
  { name: "init --vcs none", args: ["init", "--vcs", "none", "pkg"], files: { "pkg/": "" } },
  { name: "init edition 2021", args: ["init", "--edition", "2021", "pkg"], files: { "pkg/": "" } },
  { name: "init src/main.rs", args: ["init", "pkg"], files: { "pkg/src/main.rs": MAIN_RS } },
  { name: "init src/lib.rs", args: ["init", "pkg"], files: { "pkg/src/lib.rs": LIB_RS } },
  { name: "init main.rs at root", args: ["init", "pkg"], files: { "pkg/main.rs": MAIN_RS } },
  { name: "init lib.rs at root", args: ["init", "pkg"], files: { "pkg/lib.rs": LIB_RS } },
  {
    name: "init main.rs and lib.rs at root",
    args: ["init", "pkg"],
    files: { "pkg/main.rs": MAIN_RS, "pkg/lib.rs": LIB_RS },
  },
  {
    name: "init src/main.rs and src/lib.rs",
    args: ["init", "pkg"],
    files: { "pkg/src/main.rs": MAIN_RS, "pkg/src/lib.rs": LIB_RS },
  },
  { name: "init <name>.rs bin", args: ["init", "pkg"], files: { "pkg/pkg.rs": MAIN_RS } },
  { name: "init src/<name>.rs lib", args: ["init", "pkg"], files: { "pkg/src/pkg.rs": LIB_RS } },
  {
    name: "init src/<name>.rs lib and main.rs",
    args: ["init", "pkg"],
    files: { "pkg/src/pkg.rs": LIB_RS, "pkg/main.rs": MAIN_RS },
  },
  { name: "init --lib with main.rs", args: ["init", "--lib", "pkg"], files: { "pkg/main.rs": LIB_RS } },
  { name: "init --bin with lib.rs", args: ["init", "--bin", "pkg"], files: { "pkg/src/lib.rs": LIB_RS } },
  {
    name: "init --lib with main.rs and lib.rs",
    args: ["init", "--lib", "pkg"],
    files: { "pkg/main.rs": MAIN_RS, "pkg/lib.rs": LIB_RS },
  },
  {
    name: "init two binaries",
    args: ["init", "pkg"],
    files: { "pkg/src/main.rs": MAIN_RS, "pkg/main.rs": MAIN_RS },
  },
  {
    name: "init two libraries",
    args: ["init", "pkg"],
    files: { "pkg/src/lib.rs": LIB_RS, "pkg/lib.rs": LIB_RS },
  },
  { name: "init existing Cargo.toml", args: ["init", "pkg"], files: { "pkg/Cargo.toml": "[package]\n" } },
  {
    name: "init .gitignore with /target",
    args: ["init", "pkg"],
    files: { "pkg/.gitignore": "foo\n/target\n" },
  },
  { name: "init .gitignore without /target", args: ["init", "pkg"], files: { "pkg/.gitignore": "foo\n" } },
  {
    name: "init .gitignore without final newline",
    args: ["init", "pkg"],
    files: { "pkg/.gitignore": "foo" },
  },
  { name: "init empty .gitignore", args: ["init", "pkg"], files: { "pkg/.gitignore": "" } },
  {
    name: "init .gitignore with CRLF",
    args: ["init", "pkg"],
    files: { "pkg/.gitignore": "a\r\n/target\r\n" },
  },
  {
    name: "init .gitignore --vcs none",
    args: ["init", "--vcs", "none", "pkg"],
    files: { "pkg/.gitignore": "foo\n" },
  },
  { name: "init in git repo root", args: ["init"], gitRepos: ["repo"], cwd: "repo" },
  {
    name: "init in git repo root with .gitignore",
    args: ["init"],
    gitRepos: ["repo"],
    files: { "repo/.gitignore": "/target\n" },
    cwd: "repo",
  },
  {
    name: "init in git repo subdir",
    args: ["init", "repo/sub"],
    gitRepos: ["repo"],
    files: { "repo/sub/": "" },
  },
  { name: "init in HOME", args: ["init"], cwdIsHome: true },
  { name: "init with .hg detected", args: ["init", "pkg"], files: { "pkg/.hg/": "" } },
  { name: "init with two vcs dirs", args: ["init", "pkg"], files: { "pkg/.hg/": "", "pkg/.pijul/": "" } },
  { name: "init invalid dir name", args: ["init", "1pkg"], files: { "1pkg/": "" } },
  { name: "init keyword dir name --lib", args: ["init", "--lib", "match"], files: { "match/": "" } },
  // names
  { name: "keyword fn", args: ["new", "fn"] },
  { name: "keyword Self", args: ["new", "Self"] },
  { name: "keyword --lib", args: ["new", "--lib", "struct"] },
  { name: "leading digit", args: ["new", "1abc"] },
  { name: "leading digit --lib", args: ["new", "--lib", "1abc"] },
  { name: "test", args: ["new", "test"] },
  { name: "test --lib", args: ["new", "--lib", "test"] },
  { name: "deps", args: ["new", "deps"] },
  { name: "deps --lib", args: ["new", "--lib", "deps"] },
  { name: "examples --lib", args: ["new", "--lib", "examples"] },
  { name: "std", args: ["new", "std"] },
  { name: "core --lib", args: ["new", "--lib", "core"] },
  { name: "proc-macro", args: ["new", "proc-macro"] },
  { name: "con", args: ["new", "con"] },
  { name: "AUX upper case", args: ["new", "AUX"] },
  { name: "non-ASCII", args: ["new", "héllo"] },
  { name: "non-ASCII CJK", args: ["new", "日本"] },
  { name: "dot", args: ["new", "a.b"] },
  { name: "space", args: ["new", "a b"] },
  { name: "colon (PATH warning)", args: ["new", "a:b"] },
  { name: "leading dash", args: ["new", "--", "-x"] },
  { name: "vulgar fraction", args: ["new", "½x"] },
  { name: "upper case", args: ["new", "Foo"] },
  { name: "--name keyword", args: ["new", "--name", "fn", "ok"] },
  { name: "--name leading digit", args: ["new", "--name", "1x", "ok"] },
  { name: "--name with dot", args: ["new", "--name", "a.b", "ok"] },
  { name: "--name std --lib", args: ["new", "--lib", "--name", "std", "ok"] },
  // errors before anything is created
  { name: "destination exists", args: ["new", "foo"], files: { "foo/": "" } },
  { name: "destination exists as file", args: ["new", "foo"], files: { foo: "x" } },
  { name: "destination with trailing slash exists", args: ["new", "foo/"], files: { "foo/": "" } },
  { name: "empty path", args: ["new", ""] },
  { name: "path ending in ..", args: ["new", "foo/.."] },
  { name: "--bin and --lib", args: ["new", "--bin", "--lib", "foo"] },
  { name: "invalid registry name", args: ["new", "--registry", "1x", "foo"] },
];

function cargoAvailable(): boolean {
  const r = spawnSync("cargo", ["--version"], {
    env: { ...cleanEnv({ root: tmpdir(), home: tmpdir(), work: tmpdir() }) },
    encoding: "utf8",
  });
  return r.status === 0;
}

const skip = cargoAvailable() ? false : "cargo is not on PATH";

describe("wharf new/init against cargo", { skip }, () => {
  for (const c of CASES) {
    it(c.name, () => {
      // one comparison so a failure shows every difference at once
      assert.deepEqual(run("wharf", c), run("cargo", c));
    });
  }
});
