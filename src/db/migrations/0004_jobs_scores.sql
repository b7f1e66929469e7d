-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 0004: background jobs and index runs.
--
-- jobs: work the HTTP threads never do themselves (an index run with its
-- uncertainty analysis). A request inserts a queued row; the worker thread
-- of `serve` (domain/job.c) claims it, writes its progress at most a few
-- times a second, and ends it done (with a result reference), failed (with a
-- message) or cancelled (cancel_requested set by a request, read by the
-- worker at each progress write).
--
-- index_runs and scores: the results of an index run, stored per run and
-- never updated once done, so published figures never change under a
-- reader's feet (domain/score.c). index_specs: other specs admins saved.

CREATE TABLE jobs (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 40),
	params TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(params)),
	state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled')),
	done INTEGER NOT NULL DEFAULT 0 CHECK (done >= 0),
	total INTEGER NOT NULL DEFAULT 0 CHECK (total >= 0),
	message TEXT NOT NULL DEFAULT '',
	cancel_requested INTEGER NOT NULL DEFAULT 0 CHECK (cancel_requested IN (0, 1)),
	-- What the job produced: a type ("index_run") and its id, when done.
	result_type TEXT,
	result_id INTEGER,
	created_by INTEGER REFERENCES accounts (id),
	created_by_email TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	started_at INTEGER,
	finished_at INTEGER
) STRICT;
CREATE INDEX jobs_queue ON jobs (state, id);

CREATE TABLE index_specs (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 80),
	spec TEXT NOT NULL CHECK (json_valid(spec)),
	created_by_email TEXT NOT NULL,
	created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE index_runs (
	id INTEGER PRIMARY KEY,
	year INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2999),
	-- The full spec as run (nominal steps with the fixed goalposts, and the
	-- uncertain inputs), and the number of uncertainty runs.
	spec TEXT NOT NULL CHECK (json_valid(spec)),
	ua_runs INTEGER NOT NULL CHECK (ua_runs >= 0),
	-- The scored codes in tree order: [{"code", "level", "name"}] (areas, parts, "index").
	codes TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(codes)),
	ua_failed INTEGER NOT NULL DEFAULT 0,
	n_cities INTEGER NOT NULL DEFAULT 0,
	synthetic INTEGER NOT NULL DEFAULT 0 CHECK (synthetic IN (0, 1)),
	state TEXT NOT NULL CHECK (state IN ('running', 'done', 'failed')),
	created_by INTEGER REFERENCES accounts (id),
	created_by_email TEXT NOT NULL,
	created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX index_runs_year ON index_runs (year, state, id);

CREATE TABLE scores (
	run_id INTEGER NOT NULL REFERENCES index_runs (id) ON DELETE CASCADE,
	city_id INTEGER NOT NULL REFERENCES cities (id) ON DELETE CASCADE,
	-- A tree code: an area of focus, a part, or "index" (the overall score).
	code TEXT NOT NULL,
	level INTEGER NOT NULL CHECK (level BETWEEN 2 AND 4),
	score REAL, -- NULL when it could not be computed (missing data)
	rank REAL,
	rank_q5 REAL,
	rank_median REAL,
	rank_q95 REAL,
	PRIMARY KEY (run_id, city_id, code)
) STRICT, WITHOUT ROWID;
CREATE INDEX scores_city ON scores (city_id, code, run_id);
CREATE TRIGGER scores_no_update BEFORE UPDATE ON scores
BEGIN
	SELECT RAISE(ABORT, 'scores are stored per run and never change');
END;
