#!/usr/bin/env bash
# Formats the project's C++ with .clang-format; --check only reports (CI runs that).
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files '*.cpp' '*.h')
if [ "${1:-}" = "--check" ]; then
  if ! clang-format --dry-run --Werror "${files[@]}" 2>/dev/null; then
    echo "format: some files are not formatted; run: bash scripts/format.sh" >&2
    clang-format --dry-run "${files[@]}" 2>&1 | grep -oE '^[^ :]+\.(cpp|h):' | tr -d : | sort -u | sed 's/^/  /' >&2
    exit 1
  fi
  echo "format: ${#files[@]} files follow .clang-format"
else
  clang-format -i "${files[@]}"
fi
