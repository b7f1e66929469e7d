-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 0003: monitoring. A city's values per measurement and year
-- (observations), its reporting status per year with the history of every
-- transition, its self-assessment per key feature, and its own
-- "contextualised" local measurements.
--
-- Versions, never overwrites: a correction inserts a new version row and
-- clears is_current on the previous one; triggers refuse any other UPDATE,
-- so every version stays readable with who (author) and when (created_at,
-- Unix seconds from domain/clock.h). The partial unique indexes guarantee
-- one current version per key.
--
-- An observation belongs to exactly one measurement: a framework measurement
-- (counts in every index run) or a local measurement of its city (counts in
-- that city's profile only, never in the network's index).

CREATE TABLE local_measurements (
	id INTEGER PRIMARY KEY,
	city_id INTEGER NOT NULL REFERENCES cities (id) ON DELETE CASCADE,
	-- The key feature it contextualises.
	feature_id INTEGER NOT NULL REFERENCES framework_features (id),
	code TEXT NOT NULL CHECK (length(code) BETWEEN 1 AND 40),
	label TEXT NOT NULL CHECK (json_valid(label) AND json_type(label, '$.en') = 'text'),
	unit TEXT,
	direction TEXT NOT NULL CHECK (direction IN ('higher_is_better', 'lower_is_better', 'neutral')),
	type TEXT NOT NULL CHECK (type IN ('number', 'percentage', 'yes_no', 'maturity_0_4', 'text')),
	goalpost_low REAL,
	goalpost_high REAL,
	created_at INTEGER NOT NULL,
	CHECK (goalpost_low IS NULL OR goalpost_high IS NULL OR goalpost_low < goalpost_high),
	UNIQUE (city_id, code)
) STRICT;

CREATE TABLE observations (
	id INTEGER PRIMARY KEY,
	city_id INTEGER NOT NULL REFERENCES cities (id) ON DELETE CASCADE,
	measurement_id INTEGER REFERENCES framework_measurements (id),
	local_measurement_id INTEGER REFERENCES local_measurements (id) ON DELETE CASCADE,
	year INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2999),
	version INTEGER NOT NULL CHECK (version >= 1),
	is_current INTEGER NOT NULL CHECK (is_current IN (0, 1)),
	-- The value as entered (normalised by domain/observation.c: "12.5", "yes",
	-- "3", free text) and, for every type but text, its number (yes = 1).
	value_text TEXT NOT NULL CHECK (length(value_text) BETWEEN 1 AND 65536),
	value_num REAL,
	source TEXT,
	note TEXT,
	author_id INTEGER REFERENCES accounts (id),
	author_email TEXT NOT NULL, -- the e-mail at the time, or 'system'
	created_at INTEGER NOT NULL,
	CHECK ((measurement_id IS NULL) <> (local_measurement_id IS NULL))
) STRICT;
CREATE UNIQUE INDEX observations_version ON observations
	(city_id, year, coalesce(measurement_id, 0), coalesce(local_measurement_id, 0), version);
CREATE UNIQUE INDEX observations_current ON observations
	(city_id, year, coalesce(measurement_id, 0), coalesce(local_measurement_id, 0))
	WHERE is_current = 1;
-- No index by year across cities: the approved matrix starts from the approved
-- city-years (report_years) and reads each through observations_current, and
-- an index in another order than the imports' would make every bulk insert
-- touch pages at random.

CREATE TRIGGER observations_versions_only BEFORE UPDATE OF id, city_id, measurement_id,
	local_measurement_id, year, version, value_text, value_num, source, note, author_id,
	author_email, created_at ON observations
BEGIN
	SELECT RAISE(ABORT, 'observations are versioned: insert a new version');
END;
CREATE TRIGGER observations_current_once BEFORE UPDATE OF is_current ON observations
	WHEN NOT (OLD.is_current = 1 AND NEW.is_current = 0)
BEGIN
	SELECT RAISE(ABORT, 'a superseded observation version stays superseded');
END;

-- The reporting status of a city's year: draft -> submitted -> approved, or
-- submitted -> returned (with a comment) -> submitted ... An approved year
-- goes back to returned only through the secretariat (domain/reporting.c).
CREATE TABLE report_years (
	city_id INTEGER NOT NULL REFERENCES cities (id) ON DELETE CASCADE,
	year INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2999),
	status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'returned', 'approved')),
	comment TEXT, -- the secretariat's comment of the last return
	updated_at INTEGER NOT NULL,
	CHECK (status <> 'returned' OR length(comment) > 0),
	PRIMARY KEY (city_id, year)
) STRICT;
CREATE INDEX report_years_status ON report_years (year, status);

CREATE TABLE report_history (
	id INTEGER PRIMARY KEY,
	city_id INTEGER NOT NULL REFERENCES cities (id) ON DELETE CASCADE,
	year INTEGER NOT NULL,
	from_status TEXT CHECK (from_status IN ('draft', 'submitted', 'returned', 'approved')),
	to_status TEXT NOT NULL CHECK (to_status IN ('draft', 'submitted', 'returned', 'approved')),
	comment TEXT,
	actor_id INTEGER REFERENCES accounts (id),
	actor_email TEXT NOT NULL,
	at INTEGER NOT NULL
) STRICT;
CREATE INDEX report_history_city ON report_history (city_id, year, id);
CREATE TRIGGER report_history_no_update BEFORE UPDATE ON report_history
BEGIN
	SELECT RAISE(ABORT, 'the reporting history is append-only');
END;

-- Self-assessment per key feature and year: a maturity level 0-4 with its
-- evidence and links (a JSON array of URLs), versioned like observations.
CREATE TABLE self_assessments (
	id INTEGER PRIMARY KEY,
	city_id INTEGER NOT NULL REFERENCES cities (id) ON DELETE CASCADE,
	feature_id INTEGER NOT NULL REFERENCES framework_features (id),
	year INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2999),
	version INTEGER NOT NULL CHECK (version >= 1),
	is_current INTEGER NOT NULL CHECK (is_current IN (0, 1)),
	maturity INTEGER NOT NULL CHECK (maturity BETWEEN 0 AND 4),
	evidence TEXT,
	links TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(links) AND json_type(links) = 'array'),
	author_id INTEGER REFERENCES accounts (id),
	author_email TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	UNIQUE (city_id, feature_id, year, version)
) STRICT;
CREATE UNIQUE INDEX self_assessments_current ON self_assessments (city_id, feature_id, year)
	WHERE is_current = 1;
CREATE TRIGGER self_assessments_versions_only BEFORE UPDATE OF id, city_id, feature_id, year,
	version, maturity, evidence, links, author_id, author_email, created_at ON self_assessments
BEGIN
	SELECT RAISE(ABORT, 'self-assessments are versioned: insert a new version');
END;
CREATE TRIGGER self_assessments_current_once BEFORE UPDATE OF is_current ON self_assessments
	WHEN NOT (OLD.is_current = 1 AND NEW.is_current = 0)
BEGIN
	SELECT RAISE(ABORT, 'a superseded self-assessment version stays superseded');
END;
