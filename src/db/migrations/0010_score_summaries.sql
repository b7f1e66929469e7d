-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 0010: per-city summaries of an index run, and intervals for
-- every area and part.
--
-- score_summaries: one row per city of a done run, written once by the run
-- in the same transaction as its scores (domain/score.c) and never updated:
-- the facts the city's peer group was chosen by (region, population class,
-- as the directory said when the run was made), the group's size, and the
-- city's overall rank (the order peers are listed in). With the per-code
-- figures below, the monitoring profile reads a few rows of its own city
-- instead of a whole run and the directory (domain/monitoring_view.c). year
-- repeats index_runs.year. Runs stored before this migration have no
-- summaries; the pages compute the same figures from their scores.
--
-- scores.peer_median: the median score of the city's peer group for an area
-- of focus (NULL for parts, the index, and an empty group), written with the
-- summary. scores.n_values: for an area, how many of its measurements the
-- city reported for the year (approved, current, not text) when the run was
-- made: the data coverage the dashboard shows next to the run's heat map. scores.score_q5 / score_q95: the 5th and 95th percentile of the
-- score over the uncertainty runs, now stored for every area, part and the
-- index, like rank_q5 / rank_median / rank_q95 (which earlier runs have for
-- "index" only).

ALTER TABLE scores ADD COLUMN score_q5 REAL;
ALTER TABLE scores ADD COLUMN score_q95 REAL;
ALTER TABLE scores ADD COLUMN peer_median REAL;
ALTER TABLE scores ADD COLUMN n_values INTEGER;

CREATE TABLE score_summaries (
	city_id INTEGER NOT NULL REFERENCES cities (id) ON DELETE CASCADE,
	run_id INTEGER NOT NULL REFERENCES index_runs (id) ON DELETE CASCADE,
	year INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2999),
	region TEXT,
	pop_class TEXT,
	peers INTEGER NOT NULL CHECK (peers >= 0),
	rank REAL,
	PRIMARY KEY (city_id, run_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX score_summaries_run ON score_summaries (run_id, region);
CREATE TRIGGER score_summaries_no_update BEFORE UPDATE ON score_summaries
BEGIN
	SELECT RAISE(ABORT, 'score summaries are written once by their run');
END;
