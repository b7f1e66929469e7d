#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Fails on functions CONVENTIONS.md bans: unbounded string functions, atoi,
# system, and raw malloc/free outside the allocator (src/base/alloc.c).
set -euo pipefail
cd "$(dirname "$0")/.."
bad=0
if grep -rnE '\b(strcpy|strcat|sprintf|vsprintf|strtok|atoi|atol|atoll|gets|system)\s*\(' src tests/unit tests/fuzz \
     --include='*.c' --include='*.h' | grep -vE '^\S+:\s*(/\*|\*)'; then
  echo "check-banned: banned function above" >&2; bad=1
fi
if grep -rnE '(^|[^_a-z])(malloc|calloc|realloc|free)\s*\(' src --include='*.c' --include='*.h' \
     | grep -v '^src/base/alloc.c:' | grep -vE 'lc_(x?(malloc|calloc|realloc)|free)|_free\s*\(|sqlite3_free|json_decref'; then
  echo "check-banned: raw allocation above (use base/alloc.h)" >&2; bad=1
fi
[ "$bad" -eq 0 ] && echo "check-banned: ok"
exit "$bad"
