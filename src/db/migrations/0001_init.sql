-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 0001: reference data (regions, countries), the public directory
-- (cities, membership history), award rounds and awards, conferences, the
-- published membership series, and the monitoring framework.
--
-- Conventions of every migration:
-- * STRICT tables, foreign keys, CHECKs for closed vocabularies.
-- * A translatable text is a JSON object column {"en": "...", "fr": "..."}:
--   one key per language code, "en" always present (the fallback). SQL reads
--   it as coalesce(json_extract(col, '$.' || lang), json_extract(col, '$.en')).
-- * Every fact carries its provenance: 'verified' (seen on an official
--   UNESCO/UIL page), 'secondary' (secondary source) or 'provisional' (our
--   reconstruction, to be replaced by the official text). Pages show it.
-- * Dates are ISO 8601 text ('YYYY-MM-DD'); NULL when unknown, never invented.
-- The migration runner wraps this file in a transaction.

CREATE TABLE app_meta (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL
) STRICT;

CREATE TABLE regions (
	code TEXT PRIMARY KEY CHECK (code IN ('AFR', 'ARB', 'APA', 'EUR', 'LAC')),
	name TEXT NOT NULL CHECK (json_valid(name) AND json_type(name, '$.en') = 'text'),
	position INTEGER NOT NULL UNIQUE,
	provenance TEXT NOT NULL CHECK (provenance IN ('verified', 'secondary', 'provisional'))
) STRICT;

INSERT INTO regions (code, name, position, provenance) VALUES
	('AFR', '{"en":"Africa","fr":"Afrique"}', 1, 'verified'),
	('ARB', '{"en":"Arab States","fr":"États arabes"}', 2, 'verified'),
	('APA', '{"en":"Asia and the Pacific","fr":"Asie et Pacifique"}', 3, 'verified'),
	('EUR', '{"en":"Europe and North America","fr":"Europe et Amérique du Nord"}', 4, 'verified'),
	('LAC', '{"en":"Latin America and the Caribbean","fr":"Amérique latine et Caraïbes"}', 5, 'verified');

CREATE TABLE countries (
	alpha2 TEXT PRIMARY KEY CHECK (length(alpha2) = 2 AND alpha2 GLOB '[A-Z][A-Z]'),
	alpha3 TEXT NOT NULL UNIQUE CHECK (length(alpha3) = 3 AND alpha3 GLOB '[A-Z][A-Z][A-Z]'),
	numeric INTEGER NOT NULL UNIQUE CHECK (numeric BETWEEN 1 AND 999),
	name TEXT NOT NULL CHECK (json_valid(name) AND json_type(name, '$.en') = 'text'),
	-- The folded name per language (see domain/text.h), {"en": "..."}: names
	-- sort by it so that accents do not send Égypte after Zimbabwe.
	sort_key TEXT NOT NULL CHECK (json_valid(sort_key) AND json_type(sort_key, '$.en') = 'text'),
	-- The UNESCO region; NULL when we are not certain of it.
	region TEXT REFERENCES regions (code),
	region_provenance TEXT CHECK (region_provenance IN ('verified', 'secondary', 'provisional')),
	CHECK ((region IS NULL) = (region_provenance IS NULL))
) STRICT;
CREATE INDEX countries_region ON countries (region);

-- A member or applicant: a city, a district (Seodaemun-gu), a county or a
-- consortium. Every measure is optional and stays NULL unless sourced.
CREATE TABLE cities (
	id INTEGER PRIMARY KEY,
	slug TEXT NOT NULL UNIQUE CHECK (length(slug) BETWEEN 1 AND 80
		AND slug NOT GLOB '*[^a-z0-9-]*' AND slug NOT GLOB '-*' AND slug NOT GLOB '*-'),
	name TEXT NOT NULL CHECK (json_valid(name) AND json_type(name, '$.en') = 'text'),
	-- The folded names of every language joined by ' | ' (see domain/text.h):
	-- SQLite's NOCASE folds ASCII only, so the search matches against this.
	search_key TEXT NOT NULL,
	-- The folded name per language, {"en": "..."}, to sort by.
	sort_key TEXT NOT NULL CHECK (json_valid(sort_key) AND json_type(sort_key, '$.en') = 'text'),
	country TEXT NOT NULL REFERENCES countries (alpha2),
	kind TEXT CHECK (kind IN ('city', 'district', 'county', 'consortium')),
	population INTEGER CHECK (population > 0),
	population_year INTEGER CHECK (population_year BETWEEN 1900 AND 2999),
	area_km2 REAL CHECK (area_km2 > 0),
	latitude REAL CHECK (latitude BETWEEN -90 AND 90),
	longitude REAL CHECK (longitude BETWEEN -180 AND 180),
	provenance TEXT NOT NULL CHECK (provenance IN ('verified', 'secondary', 'provisional')),
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;
CREATE INDEX cities_country ON cities (country);

-- Membership is dated and has a history: statuses follow one another; the
-- row with no end date is the current status.
CREATE TABLE memberships (
	id INTEGER PRIMARY KEY,
	city_id INTEGER NOT NULL REFERENCES cities (id) ON DELETE CASCADE,
	status TEXT NOT NULL CHECK (status IN ('member', 'applicant', 'lapsed', 'suspended', 'withdrawn')),
	from_date TEXT CHECK (from_date IS NULL OR date(from_date) = from_date),
	to_date TEXT CHECK (to_date IS NULL OR date(to_date) = to_date),
	-- When from_date is unknown: a date by which the status is known to hold
	-- (an award winner was a member at its award).
	known_by TEXT CHECK (known_by IS NULL OR date(known_by) = known_by),
	reason TEXT,
	source TEXT NOT NULL,
	provenance TEXT NOT NULL CHECK (provenance IN ('verified', 'secondary', 'provisional')),
	CHECK (to_date IS NULL OR from_date IS NULL OR to_date >= from_date)
) STRICT;
CREATE INDEX memberships_city ON memberships (city_id, from_date);
CREATE UNIQUE INDEX memberships_current ON memberships (city_id) WHERE to_date IS NULL;
CREATE INDEX memberships_current_status ON memberships (status, city_id) WHERE to_date IS NULL;

CREATE TABLE conferences (
	number INTEGER PRIMARY KEY CHECK (number BETWEEN 1 AND 99),
	start_date TEXT NOT NULL CHECK (date(start_date) = start_date),
	end_date TEXT NOT NULL CHECK (date(end_date) = end_date AND end_date >= start_date),
	host_city_id INTEGER NOT NULL REFERENCES cities (id),
	mode TEXT CHECK (mode IN ('in_person', 'hybrid', 'online')),
	theme TEXT NOT NULL CHECK (json_valid(theme) AND json_type(theme, '$.en') = 'text'),
	outcome TEXT CHECK (outcome IS NULL OR (json_valid(outcome) AND json_type(outcome, '$.en') = 'text')),
	participation TEXT CHECK (participation IS NULL
		OR (json_valid(participation) AND json_type(participation, '$.en') = 'text')),
	provenance TEXT NOT NULL CHECK (provenance IN ('verified', 'secondary', 'provisional'))
) STRICT;
CREATE INDEX conferences_host ON conferences (host_city_id);

CREATE TABLE award_rounds (
	year INTEGER PRIMARY KEY CHECK (year BETWEEN 1900 AND 2999),
	conference_number INTEGER UNIQUE REFERENCES conferences (number),
	eligibility TEXT CHECK (eligibility IS NULL
		OR (json_valid(eligibility) AND json_type(eligibility, '$.en') = 'text')),
	selection TEXT CHECK (selection IS NULL
		OR (json_valid(selection) AND json_type(selection, '$.en') = 'text')),
	-- What the jury looks at, when published.
	criteria TEXT CHECK (criteria IS NULL
		OR (json_valid(criteria) AND json_type(criteria, '$.en') = 'text')),
	-- The eligibility, selection and criteria texts may come from another source than
	-- the list of awardees (provenance).
	rules_provenance TEXT CHECK (rules_provenance IN ('verified', 'secondary', 'provisional')),
	provenance TEXT NOT NULL CHECK (provenance IN ('verified', 'secondary', 'provisional'))
) STRICT;

CREATE TABLE awards (
	id INTEGER PRIMARY KEY,
	round_year INTEGER NOT NULL REFERENCES award_rounds (year),
	city_id INTEGER NOT NULL REFERENCES cities (id) ON DELETE CASCADE,
	provenance TEXT NOT NULL CHECK (provenance IN ('verified', 'secondary', 'provisional')),
	UNIQUE (round_year, city_id)
) STRICT;
CREATE INDEX awards_city ON awards (city_id, round_year);

-- Published membership counts of the whole network (the directory holds only
-- part of it). as_of has the precision that was published.
CREATE TABLE network_counts (
	id INTEGER PRIMARY KEY,
	as_of TEXT NOT NULL UNIQUE CHECK (as_of GLOB '[12][0-9][0-9][0-9]'
		OR as_of GLOB '[12][0-9][0-9][0-9]-[01][0-9]'
		OR (as_of GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]' AND date(as_of) = as_of)),
	members INTEGER NOT NULL CHECK (members >= 0),
	countries INTEGER CHECK (countries >= 0),
	source TEXT NOT NULL,
	provenance TEXT NOT NULL CHECK (provenance IN ('verified', 'secondary', 'provisional'))
) STRICT;

-- The monitoring framework is data: versions -> parts -> areas -> features
-- -> measurements, each level ordered by position and coded ("1", "1.1",
-- "1.1.1", "1.1.1.a").
CREATE TABLE framework_versions (
	id INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,
	title TEXT NOT NULL CHECK (json_valid(title) AND json_type(title, '$.en') = 'text'),
	adopted TEXT CHECK (adopted IS NULL OR date(adopted) = adopted),
	note TEXT CHECK (note IS NULL OR (json_valid(note) AND json_type(note, '$.en') = 'text')),
	is_current INTEGER NOT NULL DEFAULT 0 CHECK (is_current IN (0, 1)),
	provenance TEXT NOT NULL CHECK (provenance IN ('verified', 'secondary', 'provisional'))
) STRICT;
CREATE UNIQUE INDEX framework_versions_current ON framework_versions (is_current) WHERE is_current = 1;

CREATE TABLE framework_parts (
	id INTEGER PRIMARY KEY,
	version_id INTEGER NOT NULL REFERENCES framework_versions (id) ON DELETE CASCADE,
	code TEXT NOT NULL,
	position INTEGER NOT NULL,
	title TEXT NOT NULL CHECK (json_valid(title) AND json_type(title, '$.en') = 'text'),
	provenance TEXT NOT NULL CHECK (provenance IN ('verified', 'secondary', 'provisional')),
	UNIQUE (version_id, code)
) STRICT;

CREATE TABLE framework_areas (
	id INTEGER PRIMARY KEY,
	part_id INTEGER NOT NULL REFERENCES framework_parts (id) ON DELETE CASCADE,
	code TEXT NOT NULL,
	position INTEGER NOT NULL,
	title TEXT NOT NULL CHECK (json_valid(title) AND json_type(title, '$.en') = 'text'),
	provenance TEXT NOT NULL CHECK (provenance IN ('verified', 'secondary', 'provisional')),
	UNIQUE (part_id, code)
) STRICT;

CREATE TABLE framework_features (
	id INTEGER PRIMARY KEY,
	area_id INTEGER NOT NULL REFERENCES framework_areas (id) ON DELETE CASCADE,
	code TEXT NOT NULL,
	position INTEGER NOT NULL,
	title TEXT NOT NULL CHECK (json_valid(title) AND json_type(title, '$.en') = 'text'),
	provenance TEXT NOT NULL CHECK (provenance IN ('verified', 'secondary', 'provisional')),
	UNIQUE (area_id, code)
) STRICT;

CREATE TABLE framework_measurements (
	id INTEGER PRIMARY KEY,
	feature_id INTEGER NOT NULL REFERENCES framework_features (id) ON DELETE CASCADE,
	code TEXT NOT NULL,
	position INTEGER NOT NULL,
	label TEXT NOT NULL CHECK (json_valid(label) AND json_type(label, '$.en') = 'text'),
	unit TEXT,
	direction TEXT NOT NULL CHECK (direction IN ('higher_is_better', 'lower_is_better', 'neutral')),
	type TEXT NOT NULL CHECK (type IN ('number', 'percentage', 'yes_no', 'maturity_0_4', 'text')),
	goalpost_low REAL,
	goalpost_high REAL,
	provenance TEXT NOT NULL CHECK (provenance IN ('verified', 'secondary', 'provisional')),
	CHECK (goalpost_low IS NULL OR goalpost_high IS NULL OR goalpost_low < goalpost_high),
	UNIQUE (feature_id, code)
) STRICT;
