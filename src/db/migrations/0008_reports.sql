-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Biennial progress reports (domain/progress.h): the cohorts the secretariat
-- opens (a year, a deadline, a grace period, a list of member cities), one
-- report per city of a cohort (a workflow item of process "report", whose
-- state and history live in wf_items and wf_history), and the answers of
-- each report to the questionnaire (data/report-questionnaire.json), one row
-- per question, saved as drafts until the report is submitted.

CREATE TABLE report_cohorts (
	id INTEGER PRIMARY KEY,
	year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2999),
	deadline TEXT NOT NULL CHECK (deadline GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
	-- The end of the deadline's day (UTC), when a report not filed becomes overdue.
	due_at INTEGER NOT NULL,
	grace_days INTEGER NOT NULL CHECK (grace_days BETWEEN 0 AND 365),
	questionnaire TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	created_by INTEGER REFERENCES accounts (id)
) STRICT;

CREATE TABLE reports (
	item_id INTEGER PRIMARY KEY REFERENCES wf_items (id),
	cohort_id INTEGER NOT NULL REFERENCES report_cohorts (id),
	city_id INTEGER NOT NULL REFERENCES cities (id),
	-- The earlier report whose answers filled this one at creation, or NULL.
	prefilled_from INTEGER REFERENCES reports (item_id),
	UNIQUE (cohort_id, city_id)
) STRICT;
CREATE INDEX reports_city ON reports (city_id, item_id);

CREATE TABLE report_answers (
	item_id INTEGER NOT NULL REFERENCES reports (item_id),
	question TEXT NOT NULL CHECK (length(question) BETWEEN 1 AND 40),
	value TEXT NOT NULL CHECK (length(value) BETWEEN 1 AND 20000),
	updated_at INTEGER NOT NULL,
	updated_by INTEGER REFERENCES accounts (id),
	PRIMARY KEY (item_id, question)
) STRICT;
