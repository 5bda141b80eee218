#!/usr/bin/env bash
# Idempotent machine setup for Wharf's tests and demo:
#  - Debian packages: bubblewrap (the build sandbox) and the crate corpus (real crate sources
#    under /usr/share/cargo/registry, listed in corpus-packages.txt), with recommends;
#  - npm dependencies from the lockfile (npm ci).
# Skips apt when everything is already installed, so a second run is fast.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t pkgs < <(grep -v '^#' corpus-packages.txt | sed '/^\s*$/d')
pkgs+=(bubblewrap openssl nginx wrk)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup: installing ${#missing[@]} Debian packages (${missing[*]:0:5}...)"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --install-recommends "${missing[@]}" >/dev/null
fi
echo "setup: npm ci"
npm ci --no-audit --no-fund
