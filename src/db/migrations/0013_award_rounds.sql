-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 0013: the Learning City Award's rounds as data, and its
-- nominations as the workflow process "nomination" (domain/award/).
--
-- award_rounds (0001) keeps the facts of every round; a round run in
-- learncity also has its settings row here: the dates, the caps, the
-- eligibility parameters and the criteria. The past rounds (2015-2024)
-- have none: they stay facts, read by /awards as before.
--
-- A nomination is a wf_items row (process 'nomination', city, country,
-- year); its dossier and its two signed forms belong to this module.
-- The jury's tables (panels, conflicts, scores) come with the jury.

CREATE TABLE award_round_settings (
	year INTEGER PRIMARY KEY REFERENCES award_rounds (year),
	-- A demonstration round: shown as such, never an official call.
	demo INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
	-- ISO days; a window is inclusive, UTC, and ends at the end of its day.
	nominations_open TEXT NOT NULL CHECK (date(nominations_open) = nominations_open),
	nominations_close TEXT NOT NULL CHECK (date(nominations_close) = nominations_close),
	natcom_deadline TEXT NOT NULL CHECK (date(natcom_deadline) = natcom_deadline),
	scoring_open TEXT NOT NULL CHECK (date(scoring_open) = scoring_open),
	scoring_close TEXT NOT NULL CHECK (date(scoring_close) = scoring_close),
	cap_per_natcom INTEGER NOT NULL DEFAULT 2 CHECK (cap_per_natcom BETWEEN 1 AND 50),
	-- Awardees per country and per UNESCO region; NULL: no cap.
	cap_per_country INTEGER DEFAULT 1 CHECK (cap_per_country IS NULL OR cap_per_country >= 1),
	cap_per_region INTEGER CHECK (cap_per_region IS NULL OR cap_per_region >= 1),
	-- Eligibility: a member for more than so many months at the nomination
	-- deadline; an awardee of round Y eligible again from round Y + bar_years.
	min_member_months INTEGER NOT NULL DEFAULT 12 CHECK (min_member_months BETWEEN 0 AND 120),
	bar_years INTEGER NOT NULL DEFAULT 6 CHECK (bar_years BETWEEN 0 AND 50),
	-- [{"id", "name": {"en", "fr"}, "weight", "scale_max", "required",
	--   "independent", "max_words"}], checked by domain/award/round.c.
	criteria TEXT NOT NULL CHECK (json_valid(criteria) AND json_type(criteria) = 'array'),
	created_at INTEGER NOT NULL,
	CHECK (nominations_open <= nominations_close),
	CHECK (nominations_close <= natcom_deadline),
	CHECK (natcom_deadline <= scoring_open),
	CHECK (scoring_open <= scoring_close)
) STRICT;

CREATE TABLE award_nominations (
	item_id INTEGER PRIMARY KEY REFERENCES wf_items (id),
	round_year INTEGER NOT NULL REFERENCES award_round_settings (year),
	city_id INTEGER NOT NULL REFERENCES cities (id),
	-- The dossier: texts as typed, answers {"criterion id": text}, links [url].
	general TEXT NOT NULL DEFAULT '',
	plan TEXT NOT NULL DEFAULT '',
	answers TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(answers) AND json_type(answers) = 'object'),
	links TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(links) AND json_type(links) = 'array'),
	-- The secretariat's override of the eligibility rules, with its reason (audited).
	override_reason TEXT,
	override_by TEXT,
	override_at INTEGER,
	updated_at INTEGER NOT NULL,
	UNIQUE (round_year, city_id),
	CHECK ((override_reason IS NULL) = (override_at IS NULL))
) STRICT;
CREATE INDEX award_nominations_city ON award_nominations (city_id);

-- The mayor's signed nomination form and the consent form: type decided from
-- the content (formats/filetype.h), as the application's pledge.
CREATE TABLE award_nomination_files (
	item_id INTEGER NOT NULL REFERENCES award_nominations (item_id),
	kind TEXT NOT NULL CHECK (kind IN ('mayor_form', 'consent')),
	content_type TEXT NOT NULL CHECK (content_type IN ('application/pdf', 'image/png', 'image/jpeg')),
	size INTEGER NOT NULL CHECK (size > 0),
	sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
	filename TEXT NOT NULL,
	data BLOB NOT NULL,
	uploaded_at INTEGER NOT NULL,
	PRIMARY KEY (item_id, kind)
) STRICT;

-- A round's nominations of one country (the cap) and of one round (the pipeline).
CREATE INDEX wf_items_nomination ON wf_items (year, country, state)
	WHERE process = 'nomination';
