#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# The ASEM sensitivity analysis of ENGINE.md (six uncertain inputs, Saltelli
# design with N = 1000, i.e. 8000 pipeline runs, 1000 bootstrap resamples)
# on 2 threads, three times; prints the median wall-clock seconds of the
# whole command (loading, runs, statistics, files), runs per second, and the
# ratio to COINr 1.1.14's 1,179 s for the same analysis on the same 2-core
# machine. Usage: bench/engine/sensitivity.sh [BUILD_DIR] (default: build).
# Environment: RUNS (default 1000), THREADS (default 2), REPEAT (default 3).
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
bin=$build/learncity
shared=${LC_SHARED_DIR:-../shared}
runs=${RUNS:-1000}
threads=${THREADS:-2}
repeat=${REPEAT:-3}
coinr_seconds=1179
[ -x "$bin" ] || { echo "sensitivity.sh: $bin not built" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
times=()
for i in $(seq "$repeat"); do
  t0=$(date +%s.%N)
  "$bin" index sensitivity --idata "$shared/coinr-asem/ASEM_iData.csv" \
    --imeta "$shared/coinr-asem/ASEM_iMeta.csv" --spec bench/engine/asem_sa_spec.json \
    --runs "$runs" --seed 1 --threads "$threads" --out "$out" --quiet 2>/dev/null
  t1=$(date +%s.%N)
  times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.6f", b - a}')")
done
median=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
total_runs=$(sed -n 's/^  "runs": \([0-9]*\),/\1/p' "$out/report.json")
failed=$(sed -n 's/^  "failed_runs": \([0-9]*\),/\1/p' "$out/report.json")
awk -v s="$median" -v r="$total_runs" -v f="$failed" -v n="$runs" -v t="$threads" \
    -v c="$coinr_seconds" -v k="$repeat" 'BEGIN {
  printf "engine sensitivity (ASEM, 6 inputs, N=%d, %d runs, %d failed, %d threads): ", n, r, f, t
  printf "%.3f s median of %d, %.0f runs/s, %.0fx faster than COINr (%d s)\n", s, k, r / s, c / s, c
}'
