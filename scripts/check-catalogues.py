#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Checks the message catalogues as files, not through the English fallback.

Fails (exit 1, one line per problem) when
* a key of i18n/en.json is missing from another catalogue, or one has a key
  English lacks;
* a {placeholder} of an English string is missing from its translation;
* a key is used by no source: a string literal "key" in src/ (C), or
  {{t.key}} / {{#t.key}} in templates/. Keys still composed at run time from
  a prefix and a name are listed, with where, in scripts/catalogue-composed.txt;
  a key with such a prefix counts as used;
* a C format string in src/web, src/mail or src/cli (the layers that look
  catalogue text up) composes catalogue keys ("wf_state_%s": its text before
  the first conversion starts keys of i18n/en.json) with a prefix that
  file does not list: look the key up by value in a table of literal keys
  (src/web/routes/label.h) instead, so that every key is seen used.

Usage: check-catalogues.py [ROOT]   (ROOT defaults to the repository)
"""
import json
import os
import re
import sys

PLACEHOLDER = re.compile(r"\{([a-z0-9_]+)\}")
C_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
TEMPLATE_KEY = re.compile(r"\bt\.([A-Za-z0-9_-]+)")


def load(path, problems):
    def no_twins(pairs):
        # A key written twice reads as its last value: a merge that kept both is a mistake.
        seen = set()
        for key, _ in pairs:
            if key in seen:
                problems.append(f"{path}: key {key} is written twice")
            seen.add(key)
        return dict(pairs)

    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f, object_pairs_hook=no_twins)
    except (OSError, ValueError) as e:
        problems.append(f"{path}: cannot read: {e}")
        return {}
    if not isinstance(data, dict):
        problems.append(f"{path}: not a JSON object")
        return {}
    return data


def used_keys(root):
    used = set()
    for top, pattern in (("src", C_STRING), ("templates", TEMPLATE_KEY)):
        for d, _, files in os.walk(os.path.join(root, top)):
            for name in files:
                if not name.endswith((".c", ".h", ".mustache")):
                    continue
                with open(os.path.join(d, name), encoding="utf-8") as f:
                    used.update(pattern.findall(f.read()))
    return used


LOOKUP_LAYERS = ("web", "mail", "cli")
FORMAT_PREFIX = re.compile(r"^([a-z][a-z0-9_]*)%[-+ #0-9.]*(?:l|ll|z|j)?[sdiu]")


def composed_lookups(root, keys, allowed):
    """(place, literal, prefix) of every C format string that composes keys, in the
    layers that look catalogue text up (the domain names fields and codes, says nothing)."""
    found = []
    walks = [os.walk(os.path.join(root, "src", top)) for top in LOOKUP_LAYERS]
    for d, _, files in (entry for w in walks for entry in w):
        for name in sorted(files):
            if not name.endswith((".c", ".h")):
                continue
            path = os.path.join(d, name)
            with open(path, encoding="utf-8") as f:
                for n, line in enumerate(f, 1):
                    for lit in C_STRING.findall(line):
                        m = FORMAT_PREFIX.match(lit)
                        if not m or any(m.group(1).startswith(p) for p in allowed):
                            continue
                        if any(k.startswith(m.group(1)) and k != m.group(1) for k in keys):
                            rel = os.path.relpath(path, root)
                            found.append((f"{rel}:{n}", lit, m.group(1)))
    return found


def composed_prefixes(root):
    path = os.path.join(root, "scripts", "catalogue-composed.txt")
    out = []
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.split("#", 1)[0].strip()
                if line:
                    out.append(line.split()[0])
    return out


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
    problems = []
    i18n = os.path.join(root, "i18n")
    en = load(os.path.join(i18n, "en.json"), problems)
    # languages.json lists the languages (code, name, dir); the rest are catalogues.
    others = sorted(n for n in os.listdir(i18n)
                    if n.endswith(".json") and n not in ("en.json", "languages.json"))
    for name in others:
        cat = load(os.path.join(i18n, name), problems)
        for key in sorted(set(en) - set(cat)):
            problems.append(f"i18n/{name}: missing key {key} (i18n/en.json has it)")
        for key in sorted(set(cat) - set(en)):
            problems.append(f"i18n/{name}: key {key} is not in i18n/en.json")
        for key in sorted(set(en) & set(cat)):
            if not isinstance(cat[key], str) or not isinstance(en[key], str):
                continue
            lost = set(PLACEHOLDER.findall(en[key])) - set(PLACEHOLDER.findall(cat[key]))
            for p in sorted(lost):
                problems.append(f"i18n/{name}: {key} lacks the placeholder {{{p}}} of English")
    used = used_keys(root)
    prefixes = composed_prefixes(root)
    for key in sorted(en):
        if key in used or any(key.startswith(p) for p in prefixes):
            continue
        problems.append(f"i18n/en.json: key {key} is used by no source in src/ or templates/")
    for place, lit, prefix in composed_lookups(root, en, prefixes):
        problems.append(f'{place}: "{lit}" composes catalogue keys ({prefix}...) at run time:'
                        " look them up in a table of literal keys (src/web/routes/label.h)")
    for p in problems:
        print(p)
    if problems:
        print(f"check-catalogues: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"check-catalogues: {len(en)} keys in {len(others) + 1} catalogues, all used and complete")
    return 0


if __name__ == "__main__":
    sys.exit(main())
