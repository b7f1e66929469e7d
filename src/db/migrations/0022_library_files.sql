-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 0022: the case-study library's files (domain/library/library.h).
--
-- An image or a document uploaded with a case: its bytes, the type decided
-- from its content (formats/filetype.h), its SHA-256. The version's facts
-- name the file by its address in "images" (with alt text, credit, licence)
-- or "documents"; the public is served a file only when the published
-- version names it, so a draft's files never reach it.
CREATE TABLE lib_files (
	id INTEGER PRIMARY KEY,
	case_id INTEGER NOT NULL REFERENCES lib_cases (id) ON DELETE CASCADE,
	kind TEXT NOT NULL CHECK (kind IN ('image', 'document')),
	content_type TEXT NOT NULL CHECK (content_type IN ('application/pdf', 'image/png', 'image/jpeg')),
	size INTEGER NOT NULL CHECK (size > 0),
	sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
	filename TEXT NOT NULL,
	data BLOB NOT NULL,
	uploaded_at INTEGER NOT NULL,
	CHECK ((kind = 'image') = (content_type <> 'application/pdf'))
) STRICT;
CREATE INDEX lib_files_case ON lib_files (case_id);
