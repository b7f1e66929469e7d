#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Installs the Debian 12 packages learncity needs, and nothing it already has.
# Usage: scripts/install-deps.sh [build|test|bench]   (default: build)
# Idempotent: a second run on a complete machine calls no package manager.
set -euo pipefail

profile=${1:-build}

# python3-yaml converts docs/openapi.yaml to the JSON the binary embeds.
# cairo and pango draw the conference's PDFs (badges, letters, the printed
# programme) with text shaped for every script; the Noto fonts are what they
# shape with (Latin, Arabic, Cyrillic in core, Chinese in cjk): without them a
# badge prints boxes. libqrencode draws the tickets' QR codes, libical writes
# the programme's iCalendar, libstemmer stems the library's search terms.
build_pkgs=(build-essential cmake ninja-build pkg-config python3-yaml
  libmicrohttpd-dev libsqlite3-dev libjansson-dev libsodium-dev libcsv-dev
  libxlsxwriter-dev libzip-dev libexpat1-dev libgsl-dev libcurl4-openssl-dev
  libcairo2-dev libpango1.0-dev libqrencode-dev libical-dev libstemmer-dev
  fonts-noto-core fonts-noto-cjk)
# debootstrap builds the minimal Debian root of the fresh-machine check;
# sqlite3 lets the crash-safety campaign read the databases it kills.
# poppler-utils turns PDFs back into text and pictures for the tests; Python's
# icalendar, lxml and jsonschema check the exports against other readers and
# the vendored schemas (Frab, OAI-PMH).
test_pkgs=(libcmocka-dev clang-14 libclang-rt-14-dev clang-format curl chromium python3-aiosmtpd john-data
  debootstrap sqlite3 poppler-utils python3-icalendar python3-lxml python3-jsonschema)
bench_pkgs=(nginx-light wrk)

pkgs=("${build_pkgs[@]}")
case "$profile" in
  build) ;;
  test) pkgs+=("${test_pkgs[@]}") ;;
  bench) pkgs+=("${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
  *) echo "install-deps.sh: unknown profile '$profile' (build, test or bench)" >&2; exit 2 ;;
esac

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# nginx-light is virtual-ish on some mirrors: any nginx binary will do for the benchmark.
if [ "${#missing[@]}" -gt 0 ] && [[ " ${missing[*]} " == *" nginx-light "* ]] && command -v nginx >/dev/null; then
  missing=("${missing[@]/nginx-light}")
fi
missing=($(printf '%s\n' "${missing[@]}" | sed '/^$/d'))
# Node.js and npm run the browser tests. A machine may carry its own Node.js,
# which conflicts with Debian's npm package: only install them when absent.
if [ "$profile" != build ]; then
  command -v node >/dev/null || missing+=(nodejs)
  command -v npm >/dev/null || missing+=(npm)
fi

if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  log=$(mktemp)
  if ! { $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "install-deps.sh: apt-get could not install ${missing[*]} ($profile profile)" >&2
    exit 1
  fi
  rm -f "$log"
  echo "install-deps.sh: installed ${#missing[@]} packages for the $profile profile: ${missing[*]}"
else
  echo "install-deps.sh: the $profile profile is complete, nothing installed"
fi

# Browser tests drive Debian's Chromium through playwright-core (never a downloaded browser);
# axe-core checks every page for accessibility problems; the HTTP tests validate answers
# against docs/openapi.yaml with ajv. All are locked in
# tests/browser/package-lock.json; npm ci runs again when any of them is missing.
if [ "$profile" != build ]; then
  here=$(cd "$(dirname "$0")/.." && pwd)
  modules="$here/tests/browser/node_modules"
  if [ -f "$here/tests/browser/package.json" ] &&
    { [ ! -d "$modules/playwright-core" ] || [ ! -d "$modules/ajv" ] || [ ! -d "$modules/ajv-formats" ] || [ ! -d "$modules/axe-core" ]; }; then
    (cd "$here/tests/browser" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
    echo "install-deps.sh: installed the npm modules of tests/browser/package-lock.json (playwright-core, axe-core, ajv, ajv-formats)"
  fi
fi
