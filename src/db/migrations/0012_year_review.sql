-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 0012: the review of a city-year's monitoring data becomes the
-- workflow process "year_review" (domain/monitoring/year_review.h) instead
-- of its own state machine in report_years and report_history.
--
-- Every report_years row becomes a wf_items row (same city, year and state;
-- created when its first history row was written, entered when the row was
-- last updated), and every report_history row a wf_history row of that item
-- in the same order (same from and to states, actor, time and comment as
-- the reason; the step's name from its target state: the first row is
-- "create"). Audit rows written before stay as they were ("report.submit",
-- object "city_year"); new ones are "year_review.<step>".
-- Then the old tables are dropped, so that nothing can read them.

-- One item per city-year, as report_years' primary key was, and the lookup
-- of the approved years of one year (the monitoring pages and the engine).
CREATE UNIQUE INDEX wf_items_year_review ON wf_items (city_id, year)
	WHERE process = 'year_review';
CREATE INDEX wf_items_year_review_state ON wf_items (year, state)
	WHERE process = 'year_review';

-- A history without its status row cannot be written by learncity (both are
-- written and deleted together), but would take its last state if it were.
INSERT INTO wf_items (process, state, city_id, year, created_at, entered_at, reminders_sent)
SELECT 'year_review',
	coalesce(r.status, (SELECT h.to_status FROM report_history h
	                    WHERE h.city_id = y.city_id AND h.year = y.year
	                    ORDER BY h.id DESC LIMIT 1)),
	y.city_id, y.year,
	coalesce((SELECT min(h.at) FROM report_history h
	          WHERE h.city_id = y.city_id AND h.year = y.year), r.updated_at),
	coalesce(r.updated_at, (SELECT max(h.at) FROM report_history h
	                        WHERE h.city_id = y.city_id AND h.year = y.year)),
	0
FROM (SELECT city_id, year FROM report_years
      UNION SELECT city_id, year FROM report_history) y
LEFT JOIN report_years r ON r.city_id = y.city_id AND r.year = y.year
ORDER BY 6, y.city_id, y.year;

INSERT INTO wf_history (item_id, transition, from_state, to_state, actor_id, actor_email,
	reason, at)
SELECT w.id,
	CASE WHEN h.from_status IS NULL THEN 'create'
	     WHEN h.to_status = 'submitted' THEN 'submit'
	     WHEN h.to_status = 'returned' THEN 'return'
	     WHEN h.to_status = 'approved' THEN 'approve'
	     ELSE 'create' END,
	h.from_status, h.to_status, h.actor_id, h.actor_email, h.comment, h.at
FROM report_history h
JOIN wf_items w ON w.process = 'year_review' AND w.city_id = h.city_id AND w.year = h.year
ORDER BY h.id;

DROP TABLE report_history;
DROP TABLE report_years;
