#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# The fresh-machine check: does the README's `make run` work for a newcomer on
# a fresh Debian 12? Builds a minimal Debian 12 root (debootstrap
# --variant=minbase bookworm, with only make and git added), copies the
# working tree into it (tracked and untracked files that git does not ignore:
# what a clone of this change would hold), runs `make run` there as root, waits
# for /api/v1/health, fetches the directory from outside the root, and stops
# what it started.
#
# The bare root is cached as a tarball under build-fresh/ and unpacked anew
# for every run, so every run installs the build packages itself; the
# downloaded .deb files are cached too (build-fresh/apt-archives) so that a
# second run on the same machine need not download them again.
#
# Usage: scripts/fresh-machine.sh          run the check
#        scripts/fresh-machine.sh --clean  remove build-fresh/ (unmounting first)
# Environment: FRESH_MIRROR (default http://deb.debian.org/debian),
#              FRESH_PORT (default: a free port), FRESH_TIMEOUT (seconds for
#              `make run` to answer /api/v1/health, default 1500).
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
cache=$top/build-fresh
root=$cache/root
base=$cache/bookworm-minbase.tar
archives=$cache/apt-archives
mirror=${FRESH_MIRROR:-http://deb.debian.org/debian}
timeout=${FRESH_TIMEOUT:-1500}

say() { echo "fresh-machine: $*"; }

if [ "$(id -u)" -ne 0 ]; then
  # debootstrap, chroot and mount need root.
  exec sudo --preserve-env=FRESH_MIRROR,FRESH_PORT,FRESH_TIMEOUT "$0" "$@"
fi

# Everything mounted under the root, deepest first.
unmount_all() {
  local m
  [ -d "$root" ] || return 0
  for m in $(awk -v r="$root" '$2 == r || index($2, r "/") == 1 { print $2 }' /proc/mounts | sort -r); do
    umount -l "$m" 2>/dev/null || true
  done
}

remove_root() {
  unmount_all
  if awk -v r="$root" '$2 == r || index($2, r "/") == 1 { found = 1 } END { exit !found }' /proc/mounts; then
    say "still mounted under $root; not removing it" >&2
    return 1
  fi
  rm -rf --one-file-system "$root"
}

# One check at a time: a second one would unpack into, or remove, the root
# the first is using.
mkdir -p "$cache"
exec 9>"$cache/.lock"
if ! flock -n 9; then
  say "another fresh-machine check is running (lock $cache/.lock)" >&2
  exit 1
fi

if [ "${1:-}" = --clean ]; then
  [ -d "$cache" ] || exit 0
  remove_root
  rm -rf --one-file-system "$cache"
  exit 0
fi

command -v debootstrap >/dev/null || { say "debootstrap is missing (scripts/install-deps.sh test installs it)" >&2; exit 1; }
command -v curl >/dev/null || { say "curl is missing (scripts/install-deps.sh test installs it)" >&2; exit 1; }

start=$(date +%s)
mkdir -p "$cache" "$archives/partial"
remove_root

pid=""
cleanup() {
  if [ -n "$pid" ]; then
    kill -TERM -- "-$pid" 2>/dev/null || true
    sleep 1
    kill -KILL -- "-$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  # Anything else still running inside the root (a server that outlived its make).
  local p
  for p in /proc/[0-9]*; do
    [ "$(readlink "$p/root" 2>/dev/null)" = "$root" ] && kill -KILL "${p#/proc/}" 2>/dev/null || true
  done
  remove_root || true
}
trap cleanup EXIT

# 1. The bare Debian 12 root, made once.
if [ ! -s "$base" ]; then
  say "debootstrap --variant=minbase bookworm (make, git) from $mirror"
  t0=$(date +%s)
  mkdir -p "$root"
  if ! debootstrap --variant=minbase --include=make,git bookworm "$root" "$mirror" >"$cache/debootstrap.log" 2>&1; then
    tail -30 "$cache/debootstrap.log" >&2
    say "debootstrap failed (log: $cache/debootstrap.log)" >&2
    exit 1
  fi
  # The packages debootstrap fetched are not part of a fresh machine.
  rm -f "$root"/var/cache/apt/archives/*.deb
  tar -C "$root" -cf "$base.tmp" .
  mv "$base.tmp" "$base"
  rm -rf --one-file-system "$root"
  say "base root made in $(($(date +%s) - t0)) s"
fi

# 2. A fresh machine: unpack the root, give it name resolution and the kernel's
# file systems, and the tree as a newcomer's clone would hold it.
mkdir -p "$root"
tar -C "$root" -xf "$base"
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"
mount --rbind /dev "$root/dev"
mount --make-rslave "$root/dev"
mount -t tmpfs tmpfs "$root/tmp"
mount --bind "$archives" "$root/var/cache/apt/archives"
mkdir -p "$root/home/newcomer/learncity"
git ls-files -z --cached --others --exclude-standard |
  tar -C "$top" --null --ignore-failed-read -T - -cf - 2>/dev/null | tar -C "$root/home/newcomer/learncity" -xf -

port=${FRESH_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}

# 3. make run, as the README says, in its own process group.
say "make run in the fresh root (port $port)"
t_run=$(date +%s)
setsid chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  LANG=C.UTF-8 bash -c "cd /home/newcomer/learncity && exec make run PORT=$port" >"$cache/make-run.log" 2>&1 &
pid=$!

url=http://127.0.0.1:$port
deadline=$((t_run + timeout))
until curl -fsS --max-time 2 "$url/api/v1/health" >"$cache/health.json" 2>/dev/null; do
  if ! kill -0 "$pid" 2>/dev/null; then
    tail -40 "$cache/make-run.log" >&2
    say "make run stopped before the server answered (log: $cache/make-run.log)" >&2
    exit 1
  fi
  if [ "$(date +%s)" -ge "$deadline" ]; then
    tail -40 "$cache/make-run.log" >&2
    say "no answer from $url/api/v1/health within ${timeout} s" >&2
    exit 1
  fi
  sleep 2
done
t_up=$(date +%s)

# 4. What a newcomer opens first: the health check, the directory, its JSON.
grep -q '"status": *"ok"' "$cache/health.json" || { say "unexpected health answer: $(cat "$cache/health.json")" >&2; exit 1; }
curl -fsS --max-time 10 "$url/cities" >"$cache/cities.html"
grep -q 'Cork' "$cache/cities.html" || { say "the directory page does not list Cork" >&2; exit 1; }
curl -fsS --max-time 10 "$url/api/v1/cities?q=cork" >"$cache/cities.json"
grep -q '"slug": *"cork"' "$cache/cities.json" || { say "the directory API does not find Cork" >&2; exit 1; }

installed=$(grep -m1 '^install-deps.sh:' "$cache/make-run.log" || echo "install-deps.sh said nothing")
say "$installed"
say "passed: make run answered in $((t_up - t_run)) s; the whole check took $(($(date +%s) - start)) s"
