-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 0006: framework versions that can be drafted, edited and
-- published, and index runs that record the version they were computed with.
--
-- A version is a draft (editable, never current) or published (frozen: its
-- rows never change again, whether it is the current version or an earlier
-- one). A new version starts as a copy of another (based_on). Publishing a
-- draft makes it the one current version. domain/framework.c holds the rules;
-- the triggers below refuse any change to the rows of a published version
-- that would slip past it.
--
-- Versions loaded before this migration were loaded as current and are
-- published. Index runs made before it used the version current then; there
-- was only ever one loaded version, so that is the current one.

ALTER TABLE framework_versions ADD COLUMN status TEXT NOT NULL DEFAULT 'published'
	CHECK (status IN ('draft', 'published'));
ALTER TABLE framework_versions ADD COLUMN based_on INTEGER REFERENCES framework_versions (id);
ALTER TABLE framework_versions ADD COLUMN created_at INTEGER;
ALTER TABLE framework_versions ADD COLUMN published_at INTEGER;

CREATE TRIGGER framework_versions_draft_not_current BEFORE UPDATE OF is_current
	ON framework_versions WHEN NEW.is_current = 1 AND NEW.status <> 'published'
BEGIN
	SELECT RAISE(ABORT, 'only a published framework version can be current');
END;
CREATE TRIGGER framework_versions_published_stays BEFORE UPDATE OF status ON framework_versions
	WHEN OLD.status = 'published'
BEGIN
	SELECT RAISE(ABORT, 'a published framework version stays published');
END;

CREATE TRIGGER framework_measurements_frozen_update BEFORE UPDATE ON framework_measurements
	WHEN (SELECT v.status FROM framework_features f
		JOIN framework_areas a ON a.id = f.area_id
		JOIN framework_parts p ON p.id = a.part_id
		JOIN framework_versions v ON v.id = p.version_id
		WHERE f.id = OLD.feature_id) = 'published'
BEGIN
	SELECT RAISE(ABORT, 'a published framework version is frozen: make a new version');
END;
CREATE TRIGGER framework_measurements_frozen_delete BEFORE DELETE ON framework_measurements
	WHEN (SELECT v.status FROM framework_features f
		JOIN framework_areas a ON a.id = f.area_id
		JOIN framework_parts p ON p.id = a.part_id
		JOIN framework_versions v ON v.id = p.version_id
		WHERE f.id = OLD.feature_id) = 'published'
BEGIN
	SELECT RAISE(ABORT, 'a published framework version is frozen: make a new version');
END;

ALTER TABLE index_runs ADD COLUMN framework_version_id INTEGER
	REFERENCES framework_versions (id);
UPDATE index_runs SET framework_version_id =
	(SELECT id FROM framework_versions WHERE is_current = 1);
