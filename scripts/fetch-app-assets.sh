#!/bin/sh
# Packs the six npm packages that the Solara front end loads from /_solara/cdn/ into a folder of
# the project (default .solara-cdn/), so that `hsmobility app` works with no internet: Solara's
# server looks each file up at DEST/<path after /_solara/cdn/> (SOLARA_ASSETS_PROXY_CACHE_DIR).
# Needs npm and the npm registry once; idempotent (a stamp file marks a complete folder).
set -eu
DEST=${1:-.solara-cdn}
PACKAGES="@widgetti/solara-vuetify-app@10.1.1 requirejs@2.3.6 font-awesome@4.5.0
@widgetti/vue-grid-layout@2.3.13-alpha.2 katex@0.16.9 mermaid@10.8.0"
STAMP="$DEST/.complete"
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$(echo $PACKAGES)" ]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "app assets: npm is needed once to fetch them (apt-get install -y npm), then no network" >&2
  exit 1
fi
echo "app assets: packing $(echo "$PACKAGES" | wc -w) npm packages into $DEST"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$DEST"
for spec in $PACKAGES; do
  (cd "$TMP" && npm pack --silent "$spec" >/dev/null)
  tgz=$(ls "$TMP"/*.tgz)
  rm -rf "${DEST:?}/$spec" && mkdir -p "$DEST/$spec"
  tar xzf "$tgz" -C "$DEST/$spec" --strip-components=1
  rm -f "$tgz"
done
echo $PACKAGES > "$STAMP"
