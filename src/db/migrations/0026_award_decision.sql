-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 0026: the award's decision (domain/award/award_decision.c).
--
-- The secretariat shortlists nominations and marks awardees; the caps of
-- awardees per country and per UNESCO region are checked at that step.
-- A decision is pending (seen by the secretariat only) until the round is
-- published once: then its awardees are written into awards (the public
-- /awards and each city's page) and published_at is set; no decision of
-- a published round changes.

CREATE TABLE award_decisions (
	item_id INTEGER PRIMARY KEY REFERENCES award_nominations (item_id),
	round_year INTEGER NOT NULL REFERENCES award_round_settings (year),
	decision TEXT NOT NULL CHECK (decision IN ('shortlisted', 'awardee')),
	decided_by TEXT NOT NULL,
	decided_at INTEGER NOT NULL
) STRICT;
CREATE INDEX award_decisions_round ON award_decisions (round_year, decision);

ALTER TABLE award_round_settings ADD COLUMN published_at INTEGER;
