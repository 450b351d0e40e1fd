#!/usr/bin/env bash
# Copies the front-end libraries that frontend/package-lock.json pins from
# frontend/node_modules into internal/web/static/vendor, where the Go build
# embeds them. The copies are committed, so building Cầu Nối never needs npm.
#
#   cd frontend && npm ci && npm run vendor     # after changing a version
#   scripts/vendor.sh --check                   # CI: the copies match the lockfile
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
src="$root/frontend/node_modules"
dest="$root/internal/web/static/vendor"
check=false
[ "${1:-}" = "--check" ] && check=true

if [ ! -d "$src" ]; then
  echo "vendor: $src is missing; run: (cd frontend && npm ci)" >&2
  exit 1
fi

# What is copied: library, file inside its package, name in static/vendor.
files=(
  "idb build/index.js idb/index.js"
  "idb LICENSE idb/LICENSE"
  "leaflet dist/leaflet.js leaflet/leaflet.js"
  "leaflet dist/leaflet.css leaflet/leaflet.css"
  "leaflet dist/images/layers.png leaflet/images/layers.png"
  "leaflet dist/images/layers-2x.png leaflet/images/layers-2x.png"
  "leaflet dist/images/marker-icon.png leaflet/images/marker-icon.png"
  "leaflet dist/images/marker-icon-2x.png leaflet/images/marker-icon-2x.png"
  "leaflet dist/images/marker-shadow.png leaflet/images/marker-shadow.png"
  "leaflet LICENSE leaflet/LICENSE"
)

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
for line in "${files[@]}"; do
  read -r pkg file name <<<"$line"
  mkdir -p "$(dirname "$tmp/$name")"
  cp "$src/$pkg/$file" "$tmp/$name"
done
{
  echo "Copied by scripts/vendor.sh from the npm packages pinned in frontend/package-lock.json:"
  for pkg in $(printf '%s\n' "${files[@]}" | cut -d' ' -f1 | sort -u); do
    ver=$(sed -n 's/^  "version": "\(.*\)",$/\1/p' "$src/$pkg/package.json" | head -n1)
    echo "- $pkg $ver"
  done
  echo "Each keeps its own licence beside it. Do not edit these files; change the version and run the script."
} >"$tmp/README.txt"

if $check; then
  if ! diff -r "$tmp" "$dest" >/dev/null; then
    diff -r "$tmp" "$dest" | head -20 >&2
    echo "vendor: internal/web/static/vendor differs from frontend/package-lock.json; run: (cd frontend && npm ci && npm run vendor)" >&2
    exit 1
  fi
  echo "vendor: the copies match the lockfile"
  exit 0
fi
rm -rf "$dest"
cp -r "$tmp" "$dest"
echo "vendor: copied into ${dest#$root/}"
