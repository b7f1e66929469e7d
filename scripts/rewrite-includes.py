#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Rewrites #include lines after headers have moved.

MAPFILE names one moved header a line, old and new path relative to src/
("domain/account.h domain/accounts/account.h"); blank lines and lines starting
with # are ignored. Every `#include "OLD"` in the .c and .h files under PATHS
(files or folders; default src tests bench) becomes `#include "NEW"`. The
rewrite is idempotent: a new path is never the old path of another line, so
running it again, or on a branch merged later, changes only what still names
an old path.

With --mentions it also rewrites plain mentions of the moved files in any text
file under PATHS but SQL migrations, whose text is checksummed (comments,
docs, scripts, tests): `domain/account.h`,
`domain/account.c` (the source file follows its header) and the module name
`domain/account` as scripts/check-includes.py writes it, when not followed by
a letter, digit, _, / or - (so `domain/accounts/...` and other names are left
alone).

Usage: rewrite-includes.py [--mentions] [--dry-run] MAPFILE [PATHS...]
Prints each changed file; exit 0, or 2 on a bad map or path.
"""

import argparse
import os
import re
import sys

INCLUDE_RE = re.compile(r'^(\s*#\s*include\s*")([^"]+)(")', re.M)
SKIP_DIRS = {".git", "node_modules", "build", "build-asan"}
# Not .sql: a migration's text is checksummed in schema_migrations, so even
# its comments must never change once released.
TEXT_EXT = (".c", ".h", ".md", ".txt", ".py", ".sh", ".cmake", ".mjs", ".js", ".json", ".yaml",
            ".yml", ".mustache")


def read_map(path):
    moves = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            text = line.strip()
            if not text or text.startswith("#"):
                continue
            words = text.split()
            if len(words) != 2 or not words[0].endswith(".h") or not words[1].endswith(".h"):
                raise ValueError(f"{path}:{n}: expected 'OLD.h NEW.h'")
            if words[0] in moves:
                raise ValueError(f"{path}:{n}: {words[0]} is mapped twice")
            moves[words[0]] = words[1]
    for old, new in moves.items():
        if new in moves:
            raise ValueError(f"{path}: {new} is both a new and an old path")
    return moves


def files_under(paths, exts):
    for p in paths:
        if os.path.isfile(p):
            yield p
            continue
        if not os.path.isdir(p):
            raise ValueError(f"no such file or folder: {p}")
        for dirpath, dirnames, filenames in os.walk(p):
            dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("build"))
            for name in sorted(filenames):
                if name.endswith(exts):
                    yield os.path.join(dirpath, name)


def mention_re(moves):
    """One pattern for every old module, longest first so that `obs_import` wins over `obs`."""
    mods = sorted((old[:-2] for old in moves), key=len, reverse=True)
    alt = "|".join(re.escape(m) for m in mods)
    return re.compile(r"(?<![\w.-])(" + alt + r")(\.[ch])?(?![\w/-]|\.\w)")


def main():
    ap = argparse.ArgumentParser(description="Rewrites includes of moved headers.")
    ap.add_argument("--mentions", action="store_true", help="also rewrite plain mentions in text files")
    ap.add_argument("--dry-run", action="store_true", help="print what would change, write nothing")
    ap.add_argument("mapfile")
    ap.add_argument("paths", nargs="*", default=["src", "tests", "bench"])
    args = ap.parse_args()
    try:
        moves = read_map(args.mapfile)
        files = list(files_under(args.paths, TEXT_EXT if args.mentions else (".c", ".h")))
    except (OSError, ValueError) as e:
        print(f"rewrite-includes: {e}", file=sys.stderr)
        return 2
    module_moves = {old[:-2]: new[:-2] for old, new in moves.items()}
    mre = mention_re(moves)

    def include_sub(m):
        return m.group(1) + moves.get(m.group(2), m.group(2)) + m.group(3)

    def mention_sub(m):
        return module_moves[m.group(1)] + (m.group(2) or "")

    changed = 0
    for path in files:
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
        except UnicodeDecodeError:
            continue
        new = text
        if path.endswith((".c", ".h")):
            new = INCLUDE_RE.sub(include_sub, new)
        if args.mentions:
            new = mre.sub(mention_sub, new)
        if new != text:
            changed += 1
            print(path)
            if not args.dry_run:
                with open(path, "w", encoding="utf-8") as f:
                    f.write(new)
    print(f"rewrite-includes: {changed} file(s) {'would change' if args.dry_run else 'changed'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
