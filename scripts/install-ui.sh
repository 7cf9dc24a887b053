#!/usr/bin/env bash
# Install Yasgui from the npm registry and copy its built files into server/static/vendor/yasgui,
# where the app serves them. Without npm the UI falls back to a plain editor (and says so).
set -euo pipefail
cd "$(dirname "$0")/.."
dest=server/static/vendor/yasgui
mkdir -p "$dest"
if ! command -v npm >/dev/null 2>&1; then
  echo "install-ui: npm not found; the query UI will use its plain fallback editor" >&2
  exit 0
fi
(cd ui && if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --silent; else npm install --no-audit --no-fund --silent; fi >/dev/null)
build=ui/node_modules/@zazuko/yasgui/build
cp "$build/yasgui.min.js" "$build/yasgui.min.css" "$dest/"
echo "install-ui: Yasgui copied to $dest"
