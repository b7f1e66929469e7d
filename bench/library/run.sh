#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# The case-study library at scale: 20,000 generated cases in the six
# languages (bench/library/gen.py) imported with `learncity library import`
# (timed: elapsed and CPU), then search with facets over HTTP with wrk at 64
# connections, uncached (--page-cache-ms 0) and through the anonymous page
# cache, median of ROUNDS runs each. Targets (issue 16): import < 30 s,
# search >= 1,000 requests/s uncached with p99 < 50 ms.
#
# Usage: bench/library/run.sh [BUILD_DIR]
#   (env: CASES=20000 DURATION=10 CONNECTIONS=64 ROUNDS=3 SEED=1;
#    DB=FILE measures the search on a copy of a database imported before, skipping the import)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
cases=${CASES:-20000}
duration=${DURATION:-10}
conns=${CONNECTIONS:-64}
rounds=${ROUNDS:-3}
seed=${SEED:-1}
bin=$build/learncity
command -v wrk >/dev/null || { echo "bench/library: wrk is missing (scripts/install-deps.sh bench)" >&2; exit 1; }

work=$(mktemp -d)
server_pid=""; nc_pid=""
cleanup() {
  for pid in "$server_pid" "$nc_pid"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

if [ -n "${DB:-}" ]; then
  cp "$DB" "$work/lib.db"
  echo "bench/library: search only, on a copy of $DB"
else
"$bin" demo --db "$work/lib.db" >/dev/null 2>&1
python3 bench/library/gen.py "$work/lib.db" "$cases" "$work/lib.json" "$seed"
echo "bench/library: $cases cases, $(du -m "$work/lib.json" | cut -f1) MB of JSON; load average $(cut -d' ' -f1 /proc/loadavg)"
/usr/bin/time -f "%e %U %S" -o "$work/time" "$bin" library import --db "$work/lib.db" "$work/lib.json"
read -r el us sy <"$work/time"
cpu=$(awk -v u="$us" -v s="$sy" 'BEGIN {printf "%.1f", u + s}')
echo "import: ${el} s elapsed, ${cpu} s CPU (user+sys) for $cases cases (target < 30 s)"
fi
"$bin" library reindex --db "$work/lib.db"

port=$(free_port)
"$bin" serve --db "$work/lib.db" --bind 127.0.0.1 --port "$port" --log-level warn >/dev/null 2>"$work/server.log" &
server_pid=$!
nc_port=$(free_port)
"$bin" serve --db "$work/lib.db" --bind 127.0.0.1 --port "$nc_port" --log-level warn --page-cache-ms 0 >/dev/null 2>"$work/server-nc.log" &
nc_pid=$!
for p in "$port" "$nc_port"; do
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$p/api/v1/health" >/dev/null && break; sleep 0.1; done
done

run_wrk() {
  wrk -t2 -c"$conns" -d"${duration}s" --latency "$1" >"$work/wrk.out" 2>&1
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.out")
  p99=$(awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}' "$work/wrk.out")
  errs=$(awk '/Non-2xx|Socket errors/ {print}' "$work/wrk.out")
  [ -z "$errs" ] || echo "bench/library: $1: wrk reported: $errs" >&2
  echo "$rps $p99"
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# Every facet counted on each: all cases; facets only; a word in two languages with facets.
paths=("/api/v1/library"
       "/api/v1/library?area=community&sdg=4&sdg=5&lang=fr"
       "/api/v1/library?q=library&region=EUR&area=education"
       "/api/v1/library?q=%D8%A7%D9%84%D8%AA%D8%B9%D9%84%D9%85&sort=date")
for p in "${paths[@]}"; do curl -fs "http://127.0.0.1:$nc_port$p" -o /dev/null || { echo "bench/library: $p fails" >&2; exit 1; }; done
printf '%-58s %10s %9s %10s %9s %7s\n' path nocache_rps nc_p99ms cached_rps c_p99ms ratio
status=0
for p in "${paths[@]}"; do
  : >"$work/nc.txt"; : >"$work/c.txt"
  for _ in $(seq "$rounds"); do
    run_wrk "http://127.0.0.1:$nc_port$p" >>"$work/nc.txt"
    run_wrk "http://127.0.0.1:$port$p" >>"$work/c.txt"
  done
  nc_rps=$(cut -d' ' -f1 "$work/nc.txt" | median); nc_p99=$(cut -d' ' -f2 "$work/nc.txt" | median)
  c_rps=$(cut -d' ' -f1 "$work/c.txt" | median); c_p99=$(cut -d' ' -f2 "$work/c.txt" | median)
  ratio=$(awk -v a="$nc_rps" -v b="$c_rps" 'BEGIN {printf "%.2f", a/b}')
  printf '%-58s %10.0f %9.2f %10.0f %9.2f %7s\n' "$p" "$nc_rps" "$nc_p99" "$c_rps" "$c_p99" "$ratio"
  awk -v r="$nc_rps" -v p="$nc_p99" 'BEGIN {exit !(r >= 1000 && p < 50)}' || status=1
done
echo "target: uncached >= 1000 requests/s, p99 < 50 ms at $conns connections (median of $rounds rounds, ${duration}s each); ratio = uncached / page cache"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
[ "$status" -eq 0 ] && echo "bench/library: search target met" || echo "bench/library: search target NOT met"
exit 0
