#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Replays each fuzz target's committed corpus (tests/fuzz/corpus/<target>/),
# then fuzzes it for a bounded time. Usage: scripts/fuzz.sh BUILD_DIR SECONDS
set -euo pipefail
cd "$(dirname "$0")/.."
build=$1
seconds=${2:-20}
shopt -s nullglob
n=0
for bin in "$build"/fuzz_*; do
  [ -x "$bin" ] || continue
  name=$(basename "$bin")
  corpus=tests/fuzz/corpus/$name
  work=$(mktemp -d)
  [ -d "$corpus" ] && cp -r "$corpus"/. "$work"/
  echo "fuzz: $name (corpus $(ls "$work" | wc -l) files, ${seconds}s)"
  "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=0 "$work" >"$work.log" 2>&1 || { tail -50 "$work.log"; rm -rf "$work" "$work.log"; exit 1; }
  rm -rf "$work" "$work.log"
  n=$((n + 1))
done
echo "fuzz: $n targets passed"
