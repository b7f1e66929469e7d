#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Engine benchmarks: pipeline runs per second on the ASEM example recipe and
# a scaling table on synthetic data (bench_engine), then the N = 1000
# sensitivity analysis timing (sensitivity.sh) when present.
# Usage: bench/engine/run.sh [BUILD_DIR] (default: build). Env: REPEATS (default 15).
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
shared=${LC_SHARED_DIR:-$(pwd)/../shared}
if [ ! -x "$build/bench_engine" ]; then
  cmake --build "$build" --target bench_engine
fi
echo "== engine: deterministic pipeline"
"$build/bench_engine" "$shared" "${REPEATS:-15}"
if [ -x bench/engine/sensitivity.sh ]; then
  echo
  echo "== engine: sensitivity analysis"
  bench/engine/sensitivity.sh "$build"
fi
