#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# The award's jury ranking: 300 nominations x 40 jurors x 8 criteria with a
# bootstrap of 2,000 resamples, the engine against each resample recomputed
# from scratch (bench_award). Use a Release or RelWithDebInfo build.
# Usage: bench/award/run.sh [BUILD_DIR] (default: build). Env: THREADS (2), REPEAT (5).
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
if [ ! -x "$build/bench_award" ]; then
  cmake --build "$build" --target bench_award
fi
echo "== award: jury ranking"
"$build/bench_award" "${THREADS:-2}" "${REPEAT:-5}"
echo "load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
