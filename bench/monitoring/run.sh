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

# The monitoring pages under wrk, on the demo database (57 cities, two
# synthetic cycles): as served (page cache) and with --page-cache-ms 0.
if command -v wrk >/dev/null; then
  echo "== monitoring: pages under wrk -t2 -c64, ${DURATION:-5}s each"
  work=$(mktemp -d)
  pids=()
  trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
  "$build/learncity" demo --db "$work/m.db" >/dev/null 2>&1
  port_of() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
  cached=$(port_of); "$build/learncity" serve --db "$work/m.db" --port "$cached" --log-level warn >/dev/null 2>&1 & pids+=($!)
  nocache=$(port_of); "$build/learncity" serve --db "$work/m.db" --port "$nocache" --log-level warn --page-cache-ms 0 >/dev/null 2>&1 & pids+=($!)
  for p in "$cached" "$nocache"; do
    for _ in $(seq 50); do curl -fs "http://127.0.0.1:$p/api/v1/health" >/dev/null && break; sleep 0.1; done
  done
  printf '%-26s %12s %9s %12s %9s\n' path cached_rps p99 nocache_rps p99
  for path in /cities/cork/monitoring /monitoring; do
    row=()
    for p in "$cached" "$nocache"; do
      out=$(wrk -t2 -c64 -d"${DURATION:-5}s" --latency "http://127.0.0.1:$p$path")
      row+=("$(awk '/Requests\/sec/ {print $2}' <<<"$out")" "$(awk '$1=="99%" {print $2}' <<<"$out")")
    done
    printf '%-26s %12s %9s %12s %9s\n' "$path" "${row[@]}"
  done
  echo "target: profile page >= 2000 requests/s on 2 cores"
fi
