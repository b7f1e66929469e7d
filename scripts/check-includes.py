#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Fails when an #include "..." in src/ breaks the layering of the code.

Two rules, both from docs/architecture.md ("Layers"):

(a) Dependencies point down. Layers, top to bottom:
        main.c > cli > web/routes > web > domain > db > formats, engine > base
    A file may include a header of its own layer or of a layer below it.
    db, formats and engine each sit directly on base and know nothing of one
    another, with one exception: formats may include engine (COINr's files
    become the engine's tree and matrix in formats/coinr.c); engine includes
    no file format and db no computation.
(b) No cycles between modules. A module is a .c/.h pair (domain/accounts/account
    is src/domain/accounts/account.c with src/domain/accounts/account.h, and
    account_internal.h, the header private to the files behind account.h,
    belongs to it too); an include in module A of module B's header is an
    edge A -> B. Any strongly connected component of
    more than one module is reported with one cycle through it.

Every quoted include must name a file under src/ (as the compiler sees them,
relative to src/ or to the including file).

scripts/include-allow.txt may accept a known exception while it is being
removed, one per line with its reason after a colon:
    cycle domain/accounts/account domain/platform/outbox: <reason>
    up src/x/y.c z/w.h: <reason>
A "cycle" line accepts a component of exactly those modules (a component that
grows is reported again); an "up" line accepts one upward include. A line that
no longer matches anything fails too, so that it is removed with the problem.

Usage: check-includes.py [--root DIR] [--allow FILE]
Exit 0 when clean, 1 when a rule is broken (each problem on one line naming
file, line, include and rule), 2 on a usage or allowlist error.
"""

import argparse
import os
import re
import sys

# Layer of a path relative to src/: the longest matching prefix wins.
LAYER_OF_PREFIX = [
    ("web/routes/", "web/routes"),
    ("cli/", "cli"),
    ("web/", "web"),
    ("domain/", "domain"),
    ("mail/", "mail"),
    ("text/", "text"),
    ("db/", "db"),
    ("formats/", "formats"),
    ("engine/", "engine"),
    ("base/", "base"),
]

# What each layer may include besides itself.
MAY_INCLUDE = {
    "main": {"cli", "web/routes", "web", "domain", "mail", "text", "db", "formats", "engine",
             "base"},
    "cli": {"web/routes", "web", "domain", "mail", "text", "db", "formats", "engine", "base"},
    "web/routes": {"web", "domain", "mail", "text", "db", "formats", "engine", "base"},
    "web": {"domain", "mail", "text", "db", "formats", "engine", "base"},
    "domain": {"mail", "text", "db", "formats", "engine", "base"},
    "mail": {"text", "base"},
    "text": {"base"},
    "db": {"base"},
    "formats": {"engine", "base"},
    "engine": {"base"},
    "base": set(),
}

INCLUDE_RE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')


def layer_of(rel):
    if rel == "main.c":
        return "main"
    for prefix, layer in LAYER_OF_PREFIX:
        if rel.startswith(prefix):
            return layer
    return None


def module_of(rel):
    """A file's module: its path without extension; X_internal.h is part of X
    (the private header that the files behind X.h share, see
    docs/architecture.md)."""
    base = os.path.splitext(rel)[0]
    if rel.endswith("_internal.h"):
        return base[: -len("_internal")]
    return base


def read_allow(path):
    """Returns ({frozenset(modules): (lineno, reason)}, {(file, inc): (lineno, reason)})."""
    cycles, ups = {}, {}
    if not os.path.exists(path):
        return cycles, ups
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            text = line.strip()
            if not text or text.startswith("#"):
                continue
            head, sep, reason = text.partition(":")
            words = head.split()
            if not sep or not reason.strip() or len(words) < 2:
                raise ValueError(f"{path}:{n}: expected 'cycle A B ...: reason' or 'up FILE INCLUDE: reason'")
            if words[0] == "cycle" and len(words) >= 3:
                cycles[frozenset(words[1:])] = (n, reason.strip())
            elif words[0] == "up" and len(words) == 3:
                ups[(words[1], words[2])] = (n, reason.strip())
            else:
                raise ValueError(f"{path}:{n}: expected 'cycle A B ...: reason' or 'up FILE INCLUDE: reason'")
    return cycles, ups


def scan(src):
    """Yields (rel_file, line_no, include_text, rel_target or None)."""
    for dirpath, dirnames, filenames in os.walk(src):
        dirnames.sort()
        for name in sorted(filenames):
            if not name.endswith((".c", ".h")):
                continue
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, src).replace(os.sep, "/")
            with open(path, encoding="utf-8", errors="replace") as f:
                for n, line in enumerate(f, 1):
                    m = INCLUDE_RE.match(line)
                    if not m:
                        continue
                    inc = m.group(1)
                    target = None
                    here = os.path.normpath(os.path.join(os.path.dirname(rel), inc)).replace(os.sep, "/")
                    if os.path.isfile(os.path.join(src, here)) and not here.startswith(".."):
                        target = here
                    elif os.path.isfile(os.path.join(src, inc)):
                        target = os.path.normpath(inc).replace(os.sep, "/")
                    yield rel, n, inc, target


def strongly_connected(graph):
    """Tarjan's algorithm, iterative; returns the components in a stable order."""
    index, low, on_stack, stack, comps = {}, {}, set(), [], []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, it = work[-1]
            advanced = False
            for nxt in it:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph[nxt]))))
                    advanced = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == node:
                        break
                comps.append(sorted(comp))
    return comps


def cycle_through(graph, comp):
    """A shortest cycle inside comp starting at its first module (breadth first)."""
    members = set(comp)
    start = comp[0]
    prev = {start: None}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for nxt in sorted(graph[node]):
            if nxt not in members:
                continue
            if nxt == start:
                path = [node]
                while prev[path[-1]] is not None:
                    path.append(prev[path[-1]])
                path.reverse()
                return path + [start]
            if nxt not in prev:
                prev[nxt] = node
                queue.append(nxt)
    return comp + [start]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description="Checks the include layering of src/.")
    ap.add_argument("--root", default=os.path.dirname(here), help="the project's root (holding src/)")
    ap.add_argument("--allow", default=None, help="the allowlist (default: ROOT/scripts/include-allow.txt)")
    args = ap.parse_args()
    src = os.path.join(args.root, "src")
    allow_path = args.allow or os.path.join(args.root, "scripts", "include-allow.txt")
    if not os.path.isdir(src):
        print(f"check-includes: no src/ under {args.root}", file=sys.stderr)
        return 2
    try:
        allow_cycles, allow_ups = read_allow(allow_path)
    except (OSError, ValueError) as e:
        print(f"check-includes: {e}", file=sys.stderr)
        return 2

    problems = []
    graph = {}
    evidence = {}
    used_ups = set()
    for rel, n, inc, target in scan(src):
        mod = module_of(rel)
        graph.setdefault(mod, set())
        if target is None:
            problems.append(f"src/{rel}:{n}: #include \"{inc}\": no such file under src/ (rule: includes name files in src/)")
            continue
        tmod = module_of(target)
        graph.setdefault(tmod, set())
        layer, tlayer = layer_of(rel), layer_of(target)
        if layer is None or tlayer is None:
            what = rel if layer is None else target
            problems.append(f"src/{rel}:{n}: #include \"{inc}\": src/{what} is in no layer (rule: every file belongs to a layer)")
        elif tlayer != layer and tlayer not in MAY_INCLUDE[layer]:
            key = (f"src/{rel}", target)
            if key in allow_ups:
                used_ups.add(key)
            else:
                problems.append(
                    f"src/{rel}:{n}: #include \"{inc}\": {layer} may not include {tlayer} "
                    f"(rule: dependencies point down; {layer} may include {', '.join(sorted(MAY_INCLUDE[layer])) or 'only itself'})"
                )
        if tmod != mod:
            graph[mod].add(tmod)
            evidence.setdefault((mod, tmod), f"src/{rel}:{n}")

    used_cycles = set()
    for comp in strongly_connected(graph):
        if len(comp) < 2:
            continue
        key = frozenset(comp)
        if key in allow_cycles:
            used_cycles.add(key)
            continue
        path = cycle_through(graph, comp)
        if len(comp) > len(path) - 1:
            # The shortest cycle does not show every module: name every edge inside.
            edges = [(x, y) for x in comp for y in sorted(graph[x]) if y in key]
            extra = f" (component: {' '.join(comp)})"
        else:
            edges, extra = list(zip(path, path[1:])), ""
        steps = ", ".join(f"{x} -> {y} at {evidence[(x, y)]}" for x, y in edges)
        problems.append(f"cycle: {' -> '.join(path)}{extra} (rule: no two modules include each other); {steps}")

    for key, (n, _) in sorted(allow_cycles.items(), key=lambda kv: kv[1][0]):
        if key not in used_cycles:
            problems.append(f"{allow_path}:{n}: allowed cycle {' '.join(sorted(key))} is no longer one: remove the line")
    for key, (n, _) in sorted(allow_ups.items(), key=lambda kv: kv[1][0]):
        if key not in used_ups:
            problems.append(f"{allow_path}:{n}: allowed include {key[0]} {key[1]} is no longer upward or gone: remove the line")

    for p in problems:
        print(f"check-includes: {p}", file=sys.stderr)
    if problems:
        return 1
    print("check-includes: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
