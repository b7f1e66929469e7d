-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Membership applications (domain/call.h, domain/application.h): the calls
-- for applications with their windows and caps, the answers of each
-- application (keyed by its workflow item, whose state is in wf_items), and
-- the signed pledge stored in the database with its SHA-256.

CREATE TABLE calls (
	id INTEGER PRIMARY KEY,
	year INTEGER NOT NULL UNIQUE CHECK (year BETWEEN 1900 AND 2999),
	title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	-- Dates (UTC), both inclusive.
	opens TEXT NOT NULL CHECK (date(opens) = opens),
	closes TEXT NOT NULL CHECK (date(closes) = closes),
	-- Applications one National Commission may endorse in this call.
	cap INTEGER NOT NULL DEFAULT 3 CHECK (cap BETWEEN 1 AND 50),
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	CHECK (closes >= opens)
) STRICT;

CREATE TABLE applications (
	item_id INTEGER PRIMARY KEY REFERENCES wf_items (id),
	call_id INTEGER NOT NULL REFERENCES calls (id),
	country TEXT NOT NULL REFERENCES countries (alpha2),
	city_name TEXT NOT NULL DEFAULT '',
	-- The folded city name (domain/text.h): one city, one application per call.
	city_key TEXT NOT NULL DEFAULT '',
	mayor_name TEXT NOT NULL DEFAULT '',
	mayor_title TEXT NOT NULL DEFAULT '',
	contact_name TEXT NOT NULL DEFAULT '',
	contact_email TEXT NOT NULL DEFAULT '',
	language TEXT NOT NULL DEFAULT '' CHECK (language IN ('', 'en', 'fr')),
	data_year INTEGER,
	population INTEGER CHECK (population IS NULL OR population > 0),
	area_km2 REAL CHECK (area_km2 IS NULL OR area_km2 > 0),
	gdp_city_usd REAL CHECK (gdp_city_usd IS NULL OR gdp_city_usd >= 0),
	gdp_country_usd REAL CHECK (gdp_country_usd IS NULL OR gdp_country_usd >= 0),
	schooling_men REAL CHECK (schooling_men IS NULL OR schooling_men BETWEEN 0 AND 30),
	schooling_women REAL CHECK (schooling_women IS NULL OR schooling_women BETWEEN 0 AND 30),
	motivation TEXT NOT NULL DEFAULT '',
	implementation TEXT NOT NULL DEFAULT '',
	links TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(links) AND json_type(links) = 'array'),
	-- {"area code": 1..5}
	challenges TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(challenges) AND json_type(challenges) = 'object'),
	-- The city the approval made or found.
	city_id INTEGER REFERENCES cities (id),
	updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX applications_call ON applications (call_id, country);
CREATE INDEX applications_city ON applications (call_id, country, city_key);

CREATE TABLE application_pledges (
	item_id INTEGER PRIMARY KEY REFERENCES applications (item_id),
	-- Decided from the content's magic bytes, never from the client.
	content_type TEXT NOT NULL CHECK (content_type IN ('application/pdf', 'image/png', 'image/jpeg')),
	size INTEGER NOT NULL CHECK (size > 0),
	sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
	filename TEXT NOT NULL,
	data BLOB NOT NULL,
	uploaded_at INTEGER NOT NULL
) STRICT;
