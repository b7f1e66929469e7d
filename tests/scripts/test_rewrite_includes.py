#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Tests of scripts/rewrite-includes.py on a small tree: includes of moved
headers are rewritten, mentions only with --mentions, never in SQL
migrations nor in names that merely start like a moved one, and a second run
changes nothing."""

import os
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(ROOT, "scripts", "rewrite-includes.py")
MAP = os.path.join(ROOT, "scripts", "domain-rooms.map")

C_FILE = """/* Uses domain/account.h and src/domain/obs_import.c, not domain/accountsx.h. */
#include "domain/account.h"
#  include "domain/obs_import.h"
#include "domain/accounts/account.h"
#include "base/diag.h"
"""
SQL_FILE = "-- see domain/account.h\n"
MD_FILE = "The module `domain/account` lives in `src/domain/account.c`.\n"


def run(*args):
    p = subprocess.run([sys.executable, SCRIPT, *args], capture_output=True, text=True, check=False)
    return p.returncode, p.stdout + p.stderr


class RewriteTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="rewrite-includes-")
        for rel, text in (("src/x.c", C_FILE), ("src/db/migrations/0001.sql", SQL_FILE),
                          ("docs/a.md", MD_FILE)):
            path = os.path.join(self.tmp, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def read(self, rel):
        with open(os.path.join(self.tmp, rel), encoding="utf-8") as f:
            return f.read()

    def test_includes_only(self):
        rc, out = run(MAP, self.tmp)
        self.assertEqual(rc, 0, out)
        c = self.read("src/x.c")
        self.assertIn('#include "domain/accounts/account.h"\n#  include "domain/monitoring/obs_import.h"', c)
        self.assertEqual(c.count('"domain/accounts/account.h"'), 2)
        # Without --mentions the comment is left as it was.
        self.assertIn("/* Uses domain/account.h and src/domain/obs_import.c", c)
        self.assertEqual(self.read("docs/a.md"), MD_FILE)
        rc, out = run(MAP, self.tmp)
        self.assertIn("0 file(s) changed", out)

    def test_mentions(self):
        rc, out = run("--mentions", MAP, self.tmp)
        self.assertEqual(rc, 0, out)
        c = self.read("src/x.c")
        self.assertIn("Uses domain/accounts/account.h and src/domain/monitoring/obs_import.c,", c)
        self.assertIn("not domain/accountsx.h", c)
        self.assertEqual(self.read("docs/a.md"),
                         "The module `domain/accounts/account` lives in `src/domain/accounts/account.c`.\n")
        self.assertEqual(self.read("src/db/migrations/0001.sql"), SQL_FILE)
        rc, out = run("--mentions", MAP, self.tmp)
        self.assertIn("0 file(s) changed", out)

    def test_bad_map_is_refused(self):
        bad = os.path.join(self.tmp, "bad.map")
        with open(bad, "w", encoding="utf-8") as f:
            f.write("domain/a.h domain/b.h\ndomain/b.h domain/c.h\n")
        rc, out = run(bad, self.tmp)
        self.assertEqual(rc, 2, out)
        self.assertIn("both a new and an old path", out)


if __name__ == "__main__":
    unittest.main()
