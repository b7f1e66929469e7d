-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 0027: a generation number of the library's search index.
--
-- The search keeps the published cases' facts and facet values in memory
-- (domain/library/library_read.c) instead of scanning lib_facets on every
-- query. n changes whenever lib_facets does (every publish, withdraw,
-- delete, reindex and import rewrites a case's rows) or a city's sort key
-- does, so one read of this row tells whether what is in memory is current.
CREATE TABLE lib_generation (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	n INTEGER NOT NULL
) STRICT;
INSERT INTO lib_generation (id, n) VALUES (1, 0);

CREATE TRIGGER lib_facets_insert_generation AFTER INSERT ON lib_facets
BEGIN
	UPDATE lib_generation SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER lib_facets_delete_generation AFTER DELETE ON lib_facets
BEGIN
	UPDATE lib_generation SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER cities_sort_generation AFTER UPDATE OF sort_key ON cities
BEGIN
	UPDATE lib_generation SET n = n + 1 WHERE id = 1;
END;
