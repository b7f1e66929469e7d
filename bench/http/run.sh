#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# HTTP benchmark: learncity's dynamic pages beside nginx serving the very same
# bytes as static files, in one run, on the same machine, with the same wrk
# settings. Prints requests/s and p99 latency for each, and the ratio.
#
# Usage: bench/http/run.sh [BUILD_DIR]   (env: DURATION=10 CONNECTIONS=64 ROUNDS=3,
#        PATHS="/cities/medellin ..." to measure only some of the pages)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
duration=${DURATION:-10}
conns=${CONNECTIONS:-64}
rounds=${ROUNDS:-3}
bin=$build/learncity
command -v wrk >/dev/null || { echo "bench/http: wrk is missing (scripts/install-deps.sh bench)" >&2; exit 1; }
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$nginx_bin" ] || { echo "bench/http: nginx is missing (scripts/install-deps.sh bench)" >&2; exit 1; }

work=$(mktemp -d)
server_pid=""; nc_pid=""; nginx_pid=""
cleanup() {
  for pid in "$server_pid" "$nc_pid"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  done
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])' 2>/dev/null \
  || node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

"$bin" demo --db "$work/bench.db" >/dev/null 2>&1
lc_port=$(free_port)
"$bin" serve --db "$work/bench.db" --bind 127.0.0.1 --port "$lc_port" --log-level warn >/dev/null 2>"$work/server.log" &
server_pid=$!
# The same server without its page cache: every request queries SQLite and renders.
nc_port=$(free_port)
"$bin" serve --db "$work/bench.db" --bind 127.0.0.1 --port "$nc_port" --log-level warn --page-cache-ms 0 >/dev/null 2>"$work/server-nc.log" &
nc_pid=$!
for port in "$lc_port" "$nc_port"; do
  for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/api/v1/health" >/dev/null && break; sleep 0.1; done
done

# The pages under test, and the same bytes for nginx.
# The conference programme is the demo conference's released version (issue 15).
read -r -a paths <<<"${PATHS:-/cities/medellin /api/v1/cities /conferences/demo-conference/programme}"
for p in "${paths[@]}"; do
  mkdir -p "$(dirname "$work/www$p")"
  curl -fs "http://127.0.0.1:$lc_port$p" -o "$work/www$p"
done

# nginx's workers run as an unprivileged user: let them read the files.
chmod 755 "$work"
chmod -R a+rX "$work/www"
ng_port=$(free_port)
mkdir -p "$work/nginx"
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes 2;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
daemon off;
events { worker_connections 1024; }
http {
  access_log off;
  default_type text/html;
  sendfile on;
  keepalive_requests 100000;
  client_body_temp_path $work/nginx; proxy_temp_path $work/nginx; fastcgi_temp_path $work/nginx;
  uwsgi_temp_path $work/nginx; scgi_temp_path $work/nginx;
  server { listen 127.0.0.1:$ng_port; root $work/www; }
}
CONF
"$nginx_bin" -c "$work/nginx/nginx.conf" -p "$work/nginx" &
nginx_pid=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$ng_port/cities/medellin" >/dev/null && break; sleep 0.1; done

# One wrk run: prints "requests_per_second p99_ms".
run_wrk() {
  wrk -t2 -c"$conns" -d"${duration}s" --latency "$1" >"$work/wrk.out" 2>&1
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.out")
  p99=$(awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}' "$work/wrk.out")
  errs=$(awk '/Non-2xx|Socket errors/ {print}' "$work/wrk.out")
  [ -z "$errs" ] || echo "bench/http: $1: wrk reported: $errs" >&2
  echo "$rps $p99"
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

printf '%-40s %12s %8s %12s %8s %12s %8s %7s %7s\n' path lc_rps lc_p99ms nocache_rps nc_p99ms nginx_rps ng_p99ms ratio ratio_nc
status=0
for p in "${paths[@]}"; do
  : >"$work/lc.txt"; : >"$work/nc.txt"; : >"$work/ng.txt"
  for _ in $(seq "$rounds"); do   # interleaved rounds so drift hits all alike
    run_wrk "http://127.0.0.1:$lc_port$p" >>"$work/lc.txt"
    run_wrk "http://127.0.0.1:$nc_port$p" >>"$work/nc.txt"
    run_wrk "http://127.0.0.1:$ng_port$p" >>"$work/ng.txt"
  done
  lc_rps=$(cut -d' ' -f1 "$work/lc.txt" | median); lc_p99=$(cut -d' ' -f2 "$work/lc.txt" | median)
  nc_rps=$(cut -d' ' -f1 "$work/nc.txt" | median); nc_p99=$(cut -d' ' -f2 "$work/nc.txt" | median)
  ng_rps=$(cut -d' ' -f1 "$work/ng.txt" | median); ng_p99=$(cut -d' ' -f2 "$work/ng.txt" | median)
  ratio=$(awk -v a="$lc_rps" -v b="$ng_rps" 'BEGIN {printf "%.2f", a/b}')
  ratio_nc=$(awk -v a="$nc_rps" -v b="$ng_rps" 'BEGIN {printf "%.2f", a/b}')
  printf '%-40s %12.0f %8.2f %12.0f %8.2f %12.0f %8.2f %7s %7s\n' "$p" "$lc_rps" "$lc_p99" "$nc_rps" "$nc_p99" "$ng_rps" "$ng_p99" "$ratio" "$ratio_nc"
  awk -v r="$ratio" -v p="$lc_p99" 'BEGIN {exit !(r >= 0.5 && p < 20)}' || status=1
  # The programme must also hold without the page cache (issue 15).
  case "$p" in */programme) awk -v n="$nc_rps" 'BEGIN {exit !(n >= 2000)}' || status=1 ;; esac
done
echo "target: learncity >= 0.50 of nginx requests/s at $conns connections, p99 < 20 ms (median of $rounds rounds, ${duration}s each)"
echo "           and for the conference programme, >= 2000 requests/s without the page cache"
echo "learncity: as served (anonymous page cache on); no-cache: --page-cache-ms 0, every request queries and renders"
[ "$status" -eq 0 ] && echo "bench/http: target met" || echo "bench/http: target NOT met"
exit 0
