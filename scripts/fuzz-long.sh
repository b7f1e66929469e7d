#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# A long fuzzing campaign: runs each fuzz target for SECONDS with JOBS
# parallel jobs (-jobs and -workers), starting from its committed corpus
# (tests/fuzz/corpus/<target>/), then merges what the run found into that
# folder minimised (-merge=1: only inputs that add coverage are kept, the
# committed ones all stay, so regression inputs are never dropped).
# Inputs that crash, leak, time out or run out of memory are copied to
# BUILD/fuzz-artifacts/<target>/ to be fixed, each with a regression input
# in the corpus. Prints a table (also written to BUILD/fuzz-long.txt):
# target, executions, new corpus files, crashes.
#
# Usage: scripts/fuzz-long.sh BUILD_DIR SECONDS [JOBS [TARGET...]]
# Exits 1 when any target found a problem.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build=$(cd "$1" && pwd)
seconds=${2:-600}
jobs=${3:-$(nproc)}
shift $(($# < 3 ? $# : 3))
# The same limits as the replay (scripts/fuzz.sh): 64 KiB keeps the
# committed corpus small, and is larger than any input's interesting part.
flags=(-timeout=10 -rss_limit_mb=2048 -max_len=65536)

targets=()
if [ $# -gt 0 ]; then
  for t in "$@"; do targets+=("$build/$t"); done
else
  shopt -s nullglob
  targets=("$build"/fuzz_*)
fi
table=$build/fuzz-long.txt
printf '%-24s %14s %10s %8s\n' target executions new-files crashes >"$table"
failed=0
for bin in "${targets[@]}"; do
  [ -x "$bin" ] || { echo "fuzz-long: no target $bin" >&2; exit 2; }
  name=$(basename "$bin")
  corpus=$root/tests/fuzz/corpus/$name
  mkdir -p "$corpus"
  work=$(mktemp -d)
  mkdir "$work/new" "$work/art"
  before=$(find "$corpus" -type f | wc -l)
  echo "fuzz-long: $name ($before corpus files, ${seconds}s, $jobs jobs)"
  # New inputs go to the first folder; the committed corpus is only read.
  # A crashing job ends early; the others run their time.
  (cd "$work" && "$bin" "${flags[@]}" -max_total_time="$seconds" -jobs="$jobs" \
    -workers="$jobs" -print_final_stats=1 -artifact_prefix="$work/art/" \
    "$work/new" "$corpus" >"$work/run.log" 2>&1) || true
  execs=$(cat "$work"/fuzz-*.log 2>/dev/null |
    awk '/^stat::number_of_executed_units:/ {n += $2} END {print n + 0}')
  "$bin" "${flags[@]}" -merge=1 "$corpus" "$work/new" >"$work/merge.log" 2>&1 ||
    { tail -20 "$work/merge.log"; echo "fuzz-long: $name: merge failed" >&2; failed=1; }
  after=$(find "$corpus" -type f | wc -l)
  crashes=$(find "$work/art" -type f | wc -l)
  if [ "$crashes" -gt 0 ]; then
    failed=1
    mkdir -p "$build/fuzz-artifacts/$name"
    cp "$work"/art/* "$build/fuzz-artifacts/$name/"
    cp "$work"/fuzz-*.log "$build/fuzz-artifacts/$name/" 2>/dev/null || true
    echo "fuzz-long: $name: $crashes problem input(s) in $build/fuzz-artifacts/$name/"
  fi
  printf '%-24s %14s %10s %8s\n' "$name" "$execs" "$((after - before))" "$crashes" >>"$table"
  rm -rf "$work"
done
# Inputs are capped at 64 KiB by -max_len; a committed corpus must stay so.
big=$(find "$root/tests/fuzz/corpus" -type f -size +64k)
[ -z "$big" ] || { echo "fuzz-long: corpus files over 64 KiB:" >&2; echo "$big" >&2; failed=1; }
cat "$table"
exit $failed
