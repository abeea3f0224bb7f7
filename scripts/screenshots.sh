#!/usr/bin/env bash
# Refreshes docs/screenshots from the screens UI test: runs screens_window_test (every screen,
# dark and light, English and Spanish, in a real window), then copies its SDL2 PNGs into
# docs/screenshots as palette PNGs (pngquant), each a fraction of the size.
# Usage: bash scripts/screenshots.sh [build dir, default build/dev]
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build/dev}"
(cd "$build" && ctest -R '^screens_window_test$' --output-on-failure)
src="$build/ui_screenshots/screens/sdl2"
for png in "$src"/*.png; do
  pngquant --force --quality 60-90 --speed 1 --strip --output "docs/screenshots/$(basename "$png")" \
    -- "$png"
done
echo "screenshots: $(ls "$src"/*.png | wc -l) PNGs from $src in docs/screenshots"
