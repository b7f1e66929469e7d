#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Monitoring benchmarks: import of 1,000 cities x 60 measurements x 10 years
# (bench_monitoring_import). Usage: bench/monitoring/run.sh [BUILD_DIR] [DB_PATH].
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
if [ ! -x "$build/bench_monitoring_import" ]; then
  cmake --build "$build" --target bench_monitoring_import
fi
echo "== monitoring: observation import"
"$build/bench_monitoring_import" "${2:-/tmp/lc-import-bench.db}"
