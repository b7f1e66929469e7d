#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Monitoring benchmarks (use a Release build: cmake -DCMAKE_BUILD_TYPE=Release):
#  1. import of 1,000 cities x 60 measurements x 10 years (bench_monitoring_import);
#  2. an index run of 1,000 cities x 60 measurements with 1,000 uncertainty
#     runs on 2 threads, median of 3 (bench_monitoring_index);
#  3. the profile and dashboard pages under wrk -t2 -c64 on the demo database,
#     as served (page cache) and uncached (--page-cache-ms 0: what a logged-in
#     reader or a cold cache gets), each figure the median of REPEAT runs.
# Usage: bench/monitoring/run.sh [BUILD_DIR] [DB_DIR]
# Environment: DURATION (s per wrk run, default 5), REPEAT (default 3),
# ONLY=import|index|pages to run one part.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
dbdir=${2:-/tmp}
only=${ONLY:-}
for t in bench_monitoring_import bench_monitoring_index learncity; do
  [ -x "$build/$t" ] || cmake --build "$build" --target "$t"
done
if [ -z "$only" ] || [ "$only" = import ]; then
  echo "== monitoring: observation import"
  "$build/bench_monitoring_import" "$dbdir/lc-import-bench.db" 2>/dev/null
fi
if [ -z "$only" ] || [ "$only" = index ]; then
  echo "== monitoring: index run"
  "$build/bench_monitoring_index" "$dbdir/lc-index-bench.db" 2 1000 2>/dev/null
fi
if { [ -z "$only" ] || [ "$only" = pages ]; } && command -v wrk >/dev/null; then
  repeat=${REPEAT:-3}
  echo "== monitoring: pages under wrk -t2 -c64, ${DURATION:-5}s each, median of $repeat"
  echo "   (server and wrk share this machine's $(nproc) cores)"
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
  # The median of the runs' requests/s, with that run's p99 and the server's
  # CPU time per request (user + system, from /proc): the second figure does
  # not move when other work shares the machine, the first does.
  tck=$(getconf CLK_TCK)
  cpu_of() { awk '{print $14 + $15}' "/proc/$1/stat"; }
  measure() {
    local url=$1 pid=$2 i out c0 c1
    for i in $(seq "$repeat"); do
      c0=$(cpu_of "$pid")
      out=$(wrk -t2 -c64 -d"${DURATION:-5}s" --latency "$url")
      c1=$(cpu_of "$pid")
      awk -v c=$((c1 - c0)) -v t="$tck" '/Requests\/sec/ {r=$2} $1=="99%" {p=$2}
        / requests in / {n=$1} END {printf "%s %s %.3f\n", r, p, 1000 * c / t / n}' <<<"$out"
    done | sort -n | awk -v m=$(( (repeat + 1) / 2 )) 'NR==m {print $1, $2, $3}'
  }
  printf '%-26s %12s %9s %8s %12s %9s %8s\n' path cached_rps p99 ms/req nocache_rps p99 ms/req
  for path in /cities/cork/monitoring /monitoring; do
    row=()
    for k in 0 1; do
      p=$cached; [ "$k" = 1 ] && p=$nocache
      read -r rps p99 ms < <(measure "http://127.0.0.1:$p$path" "${pids[$k]}")
      row+=("$rps" "$p99" "$ms")
    done
    printf '%-26s %12s %9s %8s %12s %9s %8s\n' "$path" "${row[@]}"
  done
  echo "ms/req: the server's CPU time per request (user + system, both cores); 2 / ms/req is"
  echo "what 2 otherwise idle cores can serve at most (wrk itself takes ~0.04 ms/req more)."
  echo "Requests/s drop when other work shares the machine; load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "target: profile page >= 2000 requests/s on 2 cores, uncached too"
fi
