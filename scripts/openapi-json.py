#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Converts docs/openapi.yaml to the JSON the server embeds and serves.

The YAML is the one source of the API's description; the build runs this
script (CMakeLists.txt) and embeds its output as "docs/openapi.json", which
GET /api/v1/openapi.json answers. Debian's python3-yaml parses it (the build
profile of scripts/install-deps.sh installs it).

Refuses, with the place, what JSON cannot hold or what is not a description:
a YAML value that is no JSON value (a date such as 2026-01-31 unquoted, a
binary), a duplicate key, a document that is not OpenAPI 3.1, and an
operation without responses.

Usage: scripts/openapi-json.py IN.yaml OUT.json   (OUT is written atomically)
"""
import json
import os
import sys

import yaml


class Loader(yaml.SafeLoader):
    """The safe loader, refusing duplicate keys (a silent overwrite in YAML)."""


def construct_mapping(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep)


Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)

METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def check(doc):
    if not isinstance(doc, dict) or not str(doc.get("openapi", "")).startswith("3.1."):
        raise ValueError("not an OpenAPI 3.1 document (openapi: 3.1.x)")
    paths = doc.get("paths")
    if not isinstance(paths, dict) or not paths:
        raise ValueError("no paths")
    for path, item in paths.items():
        for method in METHODS:
            op = item.get(method) if isinstance(item, dict) else None
            if op is not None and not (isinstance(op, dict) and op.get("responses")):
                raise ValueError(f"{method.upper()} {path}: no responses")


def main(argv):
    if len(argv) != 3:
        print("usage: openapi-json.py IN.yaml OUT.json", file=sys.stderr)
        return 2
    src, out = argv[1], argv[2]
    try:
        with open(src, encoding="utf-8") as f:
            doc = yaml.load(f, Loader=Loader)
        check(doc)
        text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except (OSError, yaml.YAMLError, ValueError, TypeError) as e:
        print(f"{src}: {e}", file=sys.stderr)
        return 1
    tmp = out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.write("\n")
    os.replace(tmp, out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
