#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Tests of scripts/check-includes.py: the real tree passes; a copy of it with
one planted mistake (an upward include, a cycle, an include between db,
formats and engine that the layers forbid, a missing header, a stale or
outgrown allowlist line) fails, naming the file, line, include and rule."""

import os
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(ROOT, "scripts", "check-includes.py")
ALLOW = os.path.join(ROOT, "scripts", "include-allow.txt")


def run(root, allow=None):
    cmd = [sys.executable, SCRIPT, "--root", root]
    if allow is not None:
        cmd += ["--allow", allow]
    p = subprocess.run(cmd, capture_output=True, text=True, check=False)
    return p.returncode, p.stdout + p.stderr


class CopyTest(unittest.TestCase):
    """Each test works on its own copy of src/ and the allowlist."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="check-includes-")
        shutil.copytree(os.path.join(ROOT, "src"), os.path.join(self.tmp, "src"))
        os.makedirs(os.path.join(self.tmp, "scripts"))
        if os.path.exists(ALLOW):
            shutil.copy(ALLOW, os.path.join(self.tmp, "scripts", "include-allow.txt"))

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def plant(self, rel, line):
        """Adds an include after the file's first line; returns its line number (2)."""
        path = os.path.join(self.tmp, "src", rel)
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        lines.insert(1, line)
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
        return 2

    def allow(self, text):
        with open(os.path.join(self.tmp, "scripts", "include-allow.txt"), "a", encoding="utf-8") as f:
            f.write(text + "\n")

    def test_copy_passes(self):
        rc, out = run(self.tmp)
        self.assertEqual(rc, 0, out)

    def test_upward_include_fails(self):
        n = self.plant("domain/directory/city.c", '#include "web/http.h"')
        rc, out = run(self.tmp)
        self.assertEqual(rc, 1, out)
        self.assertIn(f'src/domain/directory/city.c:{n}: #include "web/http.h": domain may not include web', out)
        self.assertIn("rule: dependencies point down", out)

    def test_web_core_may_not_include_routes(self):
        n = self.plant("web/static.c", '#include "web/routes/site.h"')
        rc, out = run(self.tmp)
        self.assertEqual(rc, 1, out)
        self.assertIn(f"src/web/static.c:{n}: #include \"web/routes/site.h\": web may not include web/routes", out)

    def test_base_includes_nothing_above(self):
        n = self.plant("base/buf.h", '#include "db/db.h"')
        rc, out = run(self.tmp)
        self.assertEqual(rc, 1, out)
        self.assertIn(f"src/base/buf.h:{n}: #include \"db/db.h\": base may not include db", out)

    def test_engine_knows_no_file_format(self):
        n = self.plant("engine/rank.c", '#include "formats/csv.h"')
        rc, out = run(self.tmp)
        self.assertEqual(rc, 1, out)
        self.assertIn(f"src/engine/rank.c:{n}: #include \"formats/csv.h\": engine may not include formats", out)

    def test_db_knows_no_engine_and_engine_no_sqlite(self):
        n = self.plant("db/db.c", '#include "engine/matrix.h"')
        m = self.plant("engine/stats.c", '#include "db/db.h"')
        rc, out = run(self.tmp)
        self.assertEqual(rc, 1, out)
        self.assertIn(f"src/db/db.c:{n}: #include \"engine/matrix.h\": db may not include engine", out)
        self.assertIn(f"src/engine/stats.c:{m}: #include \"db/db.h\": engine may not include db", out)

    def test_cycle_fails_naming_its_path(self):
        # region.c includes nothing of city; city.c includes region.h: planting the
        # reverse edge closes a cycle of two modules.
        n = self.plant("domain/directory/region.c", '#include "domain/directory/city.h"')
        rc, out = run(self.tmp)
        self.assertEqual(rc, 1, out)
        self.assertIn("cycle: domain/directory/city -> domain/directory/region -> domain/directory/city", out)
        self.assertIn(f"domain/directory/region -> domain/directory/city at src/domain/directory/region.c:{n}", out)
        self.assertIn("rule: no two modules include each other", out)

    def test_longer_cycle_names_every_module(self):
        # score -> observation -> year_review; year_review -> score closes it (and
        # score -> monitoring_input -> year_review joins the same component).
        self.plant("domain/monitoring/year_review.c", '#include "domain/monitoring/score.h"')
        rc, out = run(self.tmp)
        self.assertEqual(rc, 1, out)
        line = next(x for x in out.splitlines() if "cycle:" in x and "domain/monitoring/score" in x)
        for mod in ("domain/monitoring/monitoring_input", "domain/monitoring/observation", "domain/monitoring/year_review", "domain/monitoring/score"):
            self.assertIn(mod, line)

    def test_header_edge_counts(self):
        # An include in a module's header is an edge of the module too:
        # monitoring_input -> year_review, closed from year_review.h.
        n = self.plant("domain/monitoring/year_review.h", '#include "domain/monitoring/monitoring_input.h"')
        rc, out = run(self.tmp)
        self.assertEqual(rc, 1, out)
        self.assertIn(f"domain/monitoring/year_review -> domain/monitoring/monitoring_input at src/domain/monitoring/year_review.h:{n}", out)

    def test_internal_header_belongs_to_its_module(self):
        # account_internal.h includes account.h and account.c includes it: one
        # module, no cycle. outbox including the internal header depends on
        # account, which depends on outbox: still a cycle, named by module.
        rc, out = run(self.tmp)
        self.assertEqual(rc, 0, out)
        n = self.plant("domain/platform/outbox.c", '#include "domain/accounts/account_internal.h"')
        rc, out = run(self.tmp)
        self.assertEqual(rc, 1, out)
        self.assertIn(f"domain/platform/outbox -> domain/accounts/account at src/domain/platform/outbox.c:{n}", out)

    def test_missing_header_fails(self):
        n = self.plant("domain/directory/city.c", '#include "domain/nosuch.h"')
        rc, out = run(self.tmp)
        self.assertEqual(rc, 1, out)
        self.assertIn(f'src/domain/directory/city.c:{n}: #include "domain/nosuch.h": no such file under src/', out)

    def test_allowlisted_upward_include_passes_and_stale_line_fails(self):
        self.plant("domain/directory/city.c", '#include "web/http.h"')
        self.allow("up src/domain/directory/city.c web/http.h: a test of the allowlist")
        rc, out = run(self.tmp)
        self.assertEqual(rc, 0, out)
        os.remove(os.path.join(self.tmp, "src", "domain", "directory", "city.c"))
        shutil.copy(os.path.join(ROOT, "src", "domain", "directory", "city.c"), os.path.join(self.tmp, "src", "domain", "directory", "city.c"))
        rc, out = run(self.tmp)
        self.assertEqual(rc, 1, out)
        self.assertIn("allowed include src/domain/directory/city.c web/http.h is no longer upward or gone", out)

    def test_allowed_cycle_must_match_exactly(self):
        self.plant("domain/directory/region.c", '#include "domain/directory/city.h"')
        self.allow("cycle domain/directory/city domain/directory/region: a test of the allowlist")
        rc, out = run(self.tmp)
        self.assertEqual(rc, 0, out)
        # A third module joining the cycle makes it another cycle: reported again
        # (country.c includes region.h).
        self.plant("domain/directory/region.c", '#include "domain/directory/country.h"')
        rc, out = run(self.tmp)
        self.assertEqual(rc, 1, out)
        self.assertIn("component: domain/directory/city domain/directory/country domain/directory/region", out)
        self.assertIn("allowed cycle domain/directory/city domain/directory/region is no longer one", out)

    def test_allowlist_line_without_reason_is_refused(self):
        self.allow("cycle domain/directory/city domain/directory/region")
        rc, out = run(self.tmp)
        self.assertEqual(rc, 2, out)
        self.assertIn("include-allow.txt", out)


class RealTreeTest(unittest.TestCase):
    def test_real_tree_passes(self):
        rc, out = run(ROOT)
        self.assertEqual(rc, 0, out)
        self.assertIn("check-includes: ok", out)

    def test_without_the_allowlist_only_its_cycles_remain(self):
        # Every line of the allowlist is needed: without it, exactly those fail.
        rc, out = run(ROOT, allow=os.devnull)
        with open(ALLOW, encoding="utf-8") as f:
            entries = [x for x in f if x.strip() and not x.startswith("#")]
        problems = [x for x in out.splitlines() if x.startswith("check-includes: ") and x != "check-includes: ok"]
        self.assertEqual(len(problems), len(entries), out)
        self.assertEqual(rc, 1 if entries else 0, out)


if __name__ == "__main__":
    unittest.main(verbosity=2)
