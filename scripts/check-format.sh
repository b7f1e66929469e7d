#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Fails when a C file differs from what .clang-format asks (fix: make format).
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(git ls-files 'src/*.c' 'src/*.h' 'tests/*.c' 'bench/*.c'; git ls-files -o --exclude-standard 'src/*.c' 'src/*.h' 'tests/*.c' 'bench/*.c')
[ -n "$files" ] || exit 0
bad=0
for f in $files; do
  [ -f "$f" ] || continue
  if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
    echo "check-format: $f is not formatted (run: make format)" >&2
    bad=1
  fi
done
[ "$bad" -eq 0 ] && echo "check-format: ok"
exit "$bad"
