#!/usr/bin/env bash
# Builds a release folder for this machine's OS and architecture:
#   dist/sambad-<os>-<arch>/sambad[.exe]
#   dist/sambad-<os>-<arch>/resources/chrome/<os>-<arch>/...   (bundled Chromium)
# and an archive of it. The launcher finds the bundled browser beside the
# executable. cgo (SQLite) means one build per OS: run this on each.
# CHROME_FROM=/path/to/chrome picks the browser to bundle (default: the one
# Sambad would use); NO_CHROME=1 skips bundling.
set -euo pipefail
cd "$(dirname "$0")/.."

goos=$(go env GOOS)
goarch=$(go env GOARCH)
name="sambad-$goos-$goarch"
out="dist/$name"
exe=sambad
[ "$goos" = windows ] && exe=sambad.exe

rm -rf "$out" "dist/$name.tar.gz" "dist/$name.zip"
mkdir -p "$out/resources/chrome"
echo "release: building $out/$exe"
CGO_ENABLED=1 go build -trimpath -ldflags "-s -w" -o "$out/$exe" .
cp README.md "$out/"

if [ "${NO_CHROME:-}" != 1 ]; then
  scratch=$(mktemp -d)
  trap 'rm -rf "$scratch"' EXIT
  # A scratch data dir: bundling never reads or writes the user's data.
  "$out/$exe" bundle-chrome --data-dir "$scratch" --dest "$out/resources/chrome" ${CHROME_FROM:+--from "$CHROME_FROM"}
fi

if [ "$goos" = windows ] && command -v zip >/dev/null; then
  (cd dist && zip -qr "$name.zip" "$name")
  echo "release: dist/$name.zip"
else
  tar -C dist -czf "dist/$name.tar.gz" "$name"
  echo "release: dist/$name.tar.gz"
fi
