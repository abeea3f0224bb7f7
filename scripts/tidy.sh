#!/usr/bin/env bash
# Checks the project's naming rules (.clang-tidy) on its own sources, using the dev build's
# compile_commands.json (run `cmake --preset dev` first; scripts/test.sh does). CI runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
db=build/dev
[ -f "$db/compile_commands.json" ] || { echo "tidy: run cmake --preset dev first" >&2; exit 1; }
mapfile -t files < <(git ls-files 'kiosk/*.cpp' 'sync/*.cpp' 'platform/*.cpp')
jobs="${KIOSK_JOBS:-2}"
if ! printf '%s\n' "${files[@]}" |
     xargs -P "$jobs" -n 8 clang-tidy -p "$db" --quiet 2>/dev/null > build/tidy.log; then
  grep -E "warning:|error:" build/tidy.log | sort -u >&2
  echo "tidy: the names above break the rules in .clang-tidy" >&2
  exit 1
fi
echo "tidy: ${#files[@]} files follow the naming rules in .clang-tidy"
