#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# scripts/check-catalogues.py passes on the tree and fails on a planted
# missing key, a planted unused key, a planted lost placeholder and a planted
# key composed at run time, each in a copy of i18n/, src/, templates/ and
# scripts/.
set -eu
root=${1:-$(dirname "$0")/../..}
check="$root/scripts/check-catalogues.py"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$check" "$root" >/dev/null || { echo "FAIL: the tree does not pass"; exit 1; }
fresh() {
	rm -rf "$tmp/t" && mkdir -p "$tmp/t"
	cp -r "$root/i18n" "$root/src" "$root/templates" "$root/scripts" "$tmp/t/"
}
expect_fail() { # what, expected text
	if python3 "$check" "$tmp/t" >"$tmp/out" 2>&1; then
		echo "FAIL: $1 passed"; exit 1
	fi
	grep -q "$2" "$tmp/out" || { echo "FAIL: $1 not named:"; cat "$tmp/out"; exit 1; }
	echo "ok: $1"
}
edit() { # file, python expression over c (the catalogue)
	python3 - "$1" "$2" <<'PY'
import json, sys
path, expr = sys.argv[1], sys.argv[2]
c = json.load(open(path, encoding="utf-8"))
exec(expr)
json.dump(c, open(path, "w", encoding="utf-8"), ensure_ascii=False, indent=2)
PY
}
fresh
edit "$tmp/t/i18n/fr.json" 'del c["err_password_short"]'
expect_fail "a key missing from fr.json" "i18n/fr.json: missing key err_password_short"
fresh
edit "$tmp/t/i18n/en.json" 'c["err_planted_unused"] = "never said"'
edit "$tmp/t/i18n/fr.json" 'c["err_planted_unused"] = "jamais dit"'
expect_fail "a key no source uses" "key err_planted_unused is used by no source"
fresh
edit "$tmp/t/i18n/fr.json" 'c["err_obs_year"] = "l’année doit aller de {min} à 2999"'
expect_fail "a placeholder lost in French" "err_obs_year lacks the placeholder {max}"
fresh
edit "$tmp/t/i18n/fr.json" 'c["err_planted_extra"] = "en trop"'
expect_fail "a key only French has" "key err_planted_extra is not in i18n/en.json"
fresh
# A key written twice (a merge that kept both lines): JSON keeps the last silently.
sed -i 's/^{$/{\n  "err_password_short": "twice",/' "$tmp/t/i18n/fr.json"
expect_fail "a key written twice" "i18n/fr.json: key err_password_short is written twice"
fresh
cat >>"$tmp/t/src/web/routes/label.c" <<'C'
static const char *planted(char *key, unsigned long n, const char *state)
{
	snprintf(key, n, "wf_state_%s", state);
	return key;
}
C
expect_fail "a key composed at run time" 'src/web/routes/label.c:[0-9]*: "wf_state_%s" composes catalogue keys'
