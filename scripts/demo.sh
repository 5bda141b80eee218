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
step "registry: a test CA, then \`wharf registry serve\` over HTTPS"
pki="$work/pki"; mkdir -p "$pki"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=Wharf demo CA" \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
  -keyout "$pki/ca.key" -out "$pki/ca.pem" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=localhost" -keyout "$pki/server.key" -out "$pki/server.csr" 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n' > "$pki/ext.cnf"
openssl x509 -req -in "$pki/server.csr" -CA "$pki/ca.pem" -CAkey "$pki/ca.key" -CAcreateserial -days 2 -extfile "$pki/ext.cnf" -out "$pki/server.pem" 2>/dev/null
data="$work/registry-data"
wharf registry user add demo --admin --data "$data"
token=$(wharf registry token create --user demo --scope publish-new,publish-update,yank,change-owners --expires 1d --data "$data" 2>/dev/null)
echo "token created (shown once; kept in a variable, not printed)"

step "registry: import the Debian crate corpus (/usr/share/cargo/registry)"
time wharf registry import /usr/share/cargo/registry --data "$data"

port=$((20000 + RANDOM % 20000))
# node directly (not the shell function) so $! is the server itself and the trap can stop it
node "$repo/packages/wharf/dist/cli/main.js" registry serve --data "$data" --port "$port" \
  --tls-cert "$pki/server.pem" --tls-key "$pki/server.key" --log-level warn > "$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 50); do curl -sf --cacert "$pki/ca.pem" "https://127.0.0.1:$port/health" >/dev/null && break; sleep 0.2; done
cat "$work/serve.log"

if command -v cargo >/dev/null; then
  step "real cargo publishes the sample workspace's greeter crate to the Wharf registry"
  mkdir -p "$CARGO_HOME"
  cat > "$CARGO_HOME/config.toml" <<CFG
[registries.wharf]
index = "sparse+https://127.0.0.1:$port/index/"
credential-provider = "cargo:token"
[source.crates-io]
replace-with = "wharf"
[http]
cainfo = "$pki/ca.pem"
CFG
  (cd "$work/sample/crates/greeter" && CARGO_REGISTRIES_WHARF_TOKEN="$token" cargo publish --registry wharf --allow-dirty -q 2>&1 | grep -v "^warning: manifest has no" || true)

  step "an application using the published crate and real corpus crates, built by cargo from the registry"
  app="$work/app"; mkdir -p "$app/src"
  cat > "$app/Cargo.toml" <<TOML
[package]
name = "demo-app"
version = "0.1.0"
edition = "2021"
[dependencies]
greeter = { version = "0.1", registry = "wharf" }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
regex = "1"
TOML
  cat > "$app/src/main.rs" <<'RS'
#[derive(serde::Serialize)]
struct Greeting { text: String, words: usize }
fn main() {
    let text = greeter::greet("registry");
    let words = regex::Regex::new(r"\w+").unwrap().find_iter(&text).count();
    println!("{}", serde_json::to_string(&Greeting { text, words }).unwrap());
}
RS
  (cd "$app" && time cargo run -q)
fi
step "done"
