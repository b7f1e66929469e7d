#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Generates data/common-passwords.txt, the list domain/accounts/password.c refuses
# (case-insensitively), from Debian's john-data package:
# /usr/share/john/password.lst, "compiled by Solar Designer of Openwall
# Project in 1996 through 2011 ... assumed to be in the public domain"
# (3546 of the most common passwords). Comment lines (#!comment) are
# dropped, entries lower-cased, de-duplicated and sorted (LC_ALL=C).
# Usage: scripts/gen-common-passwords.sh   (needs: apt-get install john-data)
set -euo pipefail
cd "$(dirname "$0")/.."
src=/usr/share/john/password.lst
[ -r "$src" ] || { echo "gen-common-passwords: $src missing (apt-get install john-data)" >&2; exit 1; }
grep -v '^#!comment' "$src" | tr -d '\r' | tr '[:upper:]' '[:lower:]' | sed '/^$/d' |
  LC_ALL=C sort -u > data/common-passwords.txt.new
mv data/common-passwords.txt.new data/common-passwords.txt
echo "gen-common-passwords: $(wc -l < data/common-passwords.txt) entries"
