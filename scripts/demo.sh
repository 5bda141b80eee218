#!/usr/bin/env bash
# Wharf's main job, end to end, as far as it goes today: set up, build the CLI, create a
# package with `wharf new`, and read a sample workspace with `wharf metadata`, checking the
# result against real cargo's. Later issues grow this into the full registry/build demo.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "setup (Debian packages, npm ci)"
start=$(date +%s)
bash scripts/setup.sh
echo "setup took $(( $(date +%s) - start ))s"

step "build"
npm run build --silent

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export WHARF_HOME="$work/wharf-home" CARGO_HOME="$work/cargo-home"
repo=$PWD
wharf() { node "$repo/packages/wharf/dist/cli/main.js" "$@"; }

step "wharf new hello"
(cd "$work" && wharf new hello && ls -A hello hello/src)

step "wharf metadata --no-deps on examples/sample-workspace"
cp -r examples/sample-workspace "$work/sample"
(cd "$work/sample" && wharf metadata --no-deps --format-version 1) > "$work/wharf.json"
node -e '
const m = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
for (const p of m.packages) {
  console.log(`${p.name} ${p.version} (${p.edition}) targets: ${p.targets.map((t) => t.kind.join("+") + ":" + t.name).join(", ")}`);
  for (const d of p.dependencies) console.log(`  depends on ${d.name} ${d.req}${d.features.length ? " features " + d.features.join(",") : ""}`);
}
console.log(`workspace root: ${m.workspace_root}`);
' "$work/wharf.json"

if command -v cargo >/dev/null; then
  step "the same with real cargo, compared as data"
  (cd "$work/sample" && cargo metadata --no-deps --format-version 1 --offline) > "$work/cargo.json"
  node -e '
const [a, b] = process.argv.slice(1).map((f) => JSON.parse(require("fs").readFileSync(f, "utf8")));
const same = require("node:util").isDeepStrictEqual(a, b);
console.log(same ? "wharf and cargo agree" : "wharf and cargo DIFFER");
process.exit(same ? 0 : 1);
' "$work/wharf.json" "$work/cargo.json"
fi
step "done"
