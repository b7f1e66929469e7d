#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Soak under mixed load: a demo database, the server with its outbox pass and
# workflow clock every second (delivering to a local SMTP sink), and
# bench_soak keeping 64 connections busy for SOAK_SECONDS (default 600) with
# anonymous pages, logged-in pages, API reads and writes. bench_soak samples
# the server every 5 s (RSS, open fds, CPU, WAL size, requests, errors,
# latency), prints the table and the verdicts. Afterwards the outbox must be
# empty (every e-mail the steps queued delivered, none failed) and the server
# must stop cleanly on SIGTERM. Exits non-zero when a criterion fails.
#
# Usage: bench/soak/run.sh [BUILD_DIR]   (env: SOAK_SECONDS=600 SOAK_CONNECTIONS=64)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
seconds=${SOAK_SECONDS:-600}
conns=${SOAK_CONNECTIONS:-64}
python=${PYTHON:-/usr/bin/python3}
for t in learncity bench_soak; do
  [ -x "$build/$t" ] || cmake --build "$build" --target "$t"
done
"$python" -c 'import aiosmtpd' 2>/dev/null \
  || { echo "bench/soak: python3-aiosmtpd is missing (scripts/install-deps.sh test)" >&2; exit 1; }

work=$(mktemp -d)
server_pid=""; smtp_pid=""
cleanup() {
  for pid in "$server_pid" "$smtp_pid"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { "$python" -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

"$build/learncity" demo --db "$work/soak.db" >/dev/null 2>&1
smtp_port=$(free_port)
"$python" -m aiosmtpd -n -l "127.0.0.1:$smtp_port" -c aiosmtpd.handlers.Sink 2>"$work/smtp.log" &
smtp_pid=$!
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$smtp_port") 2>/dev/null && break
  sleep 0.05
done

# Every connection comes from 127.0.0.1: the load's own plus those of its
# set-up, more than the per-address limit meant for one real client allows.
"$build/learncity" serve --db "$work/soak.db" --bind 127.0.0.1 --port 0 --log-level warn \
  --per-address $((conns + 64)) --outbox-interval 1 --smtp "smtp://127.0.0.1:$smtp_port" --mail-from soak@example.org \
  >"$work/server.out" 2>"$work/server.log" &
server_pid=$!
url=""
for _ in $(seq 200); do
  url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$work/server.out" 2>/dev/null || true)
  [ -n "$url" ] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.05
done
[ -n "$url" ] || { echo "bench/soak: the server did not start:" >&2; cat "$work/server.log" >&2; exit 1; }

echo "bench/soak: $seconds s, $conns connections; $(nproc) cores shared with everything else" \
  "on this machine (load average $(cut -d' ' -f1-3 /proc/loadavg))"
status=0
"$build/bench_soak" --url "$url" --pid "$server_pid" --db "$work/soak.db" \
  --seconds "$seconds" --connections "$conns" || status=1

# The e-mails the last steps queued go out within two passes.
sleep 3
kill -TERM "$server_pid"
code=0; wait "$server_pid" || code=$?
server_pid=""
if [ "$code" -ne 0 ]; then
  echo "  FAIL clean stop                 the server exited with $code"; status=1
else
  echo "  PASS clean stop                 SIGTERM: exit 0"
fi
read -r sent queued failed < <("$python" - "$work/soak.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
n = dict(db.execute("SELECT state, count(*) FROM outbox GROUP BY state").fetchall())
print(n.get("sent", 0), n.get("queued", 0) + n.get("sending", 0), n.get("failed", 0))
PY
)
if [ "$sent" -gt 0 ] && [ "$queued" -eq 0 ] && [ "$failed" -eq 0 ]; then
  echo "  PASS outbox delivered           $sent sent, $queued waiting, $failed failed"
else
  echo "  FAIL outbox delivered           $sent sent, $queued waiting, $failed failed"; status=1
fi
if grep -q . "$work/server.log"; then
  echo "bench/soak: the server logged (warn and above):"; sed -n 1,20p "$work/server.log"
fi
[ "$status" -eq 0 ] && echo "bench/soak: passed" || echo "bench/soak: FAILED"
exit "$status"
